"""Rank jobs for a resume file, without creating a user: for operators and evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.resumes.errors import ResumeReadError
from accounts.services.resumes import resume_text_read
from jobs.models import Job
from recommendations.services import person_from_text, recommendations_rank


class Command(BaseCommand):
    help = "Parse a resume file (PDF, DOCX, text, Markdown) and print the ranked jobs with why."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resume", required=True, type=Path, help="path of the resume file")
        parser.add_argument("--engine", choices=["semantic", "llm"], default="semantic")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["resume"]
        limit: int = options["limit"]
        if not 1 <= limit <= 100:
            raise CommandError("--limit must be between 1 and 100")
        try:
            size = path.stat().st_size
            if size > settings.RESUME_MAX_BYTES:
                raise CommandError(f"{path} is larger than {settings.RESUME_MAX_BYTES} bytes")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            extracted = resume_text_read(data=data)
        except ResumeReadError as exc:
            raise CommandError(exc.user_message) from exc
        now = timezone.now()
        adhoc = person_from_text(text=extracted.text, today=now.date())
        computed = recommendations_rank(
            person=adhoc.person,
            engine=options["engine"],
            digest=adhoc.digest,
            space=adhoc.space,
            now=now,
            size=limit,
        )
        top = computed.items[:limit]
        jobs = Job.objects.in_bulk([job_id for job_id, _, _ in top])
        results: list[dict[str, Any]] = [
            {
                "rank": n,
                "job_id": job_id,
                "title": jobs[job_id].position,
                "company": jobs[job_id].company_name,
                "url": jobs[job_id].url,
                "score": round(score, 4),
                "explanation": explanation,
            }
            for n, (job_id, score, explanation) in enumerate(top, start=1)
        ]
        profile = {
            "titles": list(adhoc.titles),
            "skills": list(adhoc.skills),
            "seniority": adhoc.seniority,
            "years_experience": adhoc.years_experience,
        }
        if options["json"]:
            payload = {
                "engine": options["engine"],
                "notice": computed.notice,
                "profile": profile,
                "results": results,
            }
            self.stdout.write(json.dumps(payload, indent=2, default=str))
            return
        years = adhoc.years_experience
        self.stdout.write(
            f"Profile: {', '.join(adhoc.titles) or 'no titles found'}; "
            f"{adhoc.seniority or 'level unknown'}; "
            f"{'?' if years is None else f'{years:g}'} years; "
            f"skills: {', '.join(adhoc.skills[:15]) or 'none found'}"
        )
        if computed.notice:
            self.stdout.write(self.style.WARNING(computed.notice))
        if not results:
            self.stdout.write("No jobs to recommend (is the corpus imported and enriched?).")
        for item in results:
            ex = item["explanation"]
            self.stdout.write(
                f"\n#{item['rank']}  {item['title']} at {item['company']}  "
                f"score {item['score'] * 100:.0f}/100  [{ex['engine']}]\n"
                f"    have: {', '.join(ex['matched_skills']) or '-'}\n"
                f"    lack: {', '.join(ex['missing_skills'][:8]) or '-'}\n"
                f"    level: {ex['seniority_fit']}\n"
                f"    parts: " + ", ".join(f"{k} {v:.2f}" for k, v in ex["parts"].items())
            )
            if "llm" in ex:
                self.stdout.write("    AI: " + " ".join(ex["llm"]["reasons"]))
            self.stdout.write(f"    {item['url']}")
