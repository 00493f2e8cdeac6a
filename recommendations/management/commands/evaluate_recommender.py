"""Precision@10 and nDCG@10 of engine 1 on labeled resumes and jobs, beside BM25."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jobrec.progress import progress_bar
from recommendations.evaluation import as_dict, evaluate, load_jobs, load_resumes, report_rows

DEFAULT_DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "labeled"


class Command(BaseCommand):
    help = (
        "Rank the labeled jobs for the labeled resumes with engine 1 and a BM25 baseline; "
        "print P@10, nDCG@10 and an ablation table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=DEFAULT_DATA,
            help="folder with UpdatedResumeDataSet.csv and google_job_skills.csv",
        )
        parser.add_argument(
            "--per-category", type=int, default=20, help="resumes drawn per category (reproducibly)"
        )
        parser.add_argument(
            "--split",
            choices=["all", "dev", "test"],
            default="all",
            help="a fixed half of the resumes: dev (used to tune the ranking) or test",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        data: Path = options["data"]
        resumes_csv = data / "UpdatedResumeDataSet.csv"
        jobs_csv = data / "google_job_skills.csv"
        for path in (resumes_csv, jobs_csv):
            if not path.is_file():
                raise CommandError(f"{path} not found (pass --data with the labeled folder)")
        if options["per_category"] < 1:
            raise CommandError("--per-category must be at least 1")
        jobs = load_jobs(jobs_csv)
        resumes = load_resumes(
            resumes_csv, per_category=options["per_category"], split=options["split"]
        )
        started = time.perf_counter()
        with progress_bar(total=len(resumes), desc="ranking", unit="resume") as bar:
            report = evaluate(
                jobs=jobs,
                resumes=resumes,
                today=timezone.localdate(),
                progress=lambda done: bar.update(1),
            )
        elapsed = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(
                json.dumps({**as_dict(report), "seconds": round(elapsed, 1)}, indent=2)
            )
            return
        self.stdout.write(
            f"{report.resumes} resumes x {report.jobs} jobs in {elapsed:.1f} s\n"
            f"{'run':<22} {'P@10':>6} {'nDCG@10':>8}"
        )
        for name, p10, ndcg in report_rows(report):
            self.stdout.write(f"{name:<22} {p10:6.3f} {ndcg:8.3f}")
        self.stdout.write(f"engine 1 / BM25 (P@10): {report.ratio():.2f}x (target >= 1.5x)")
