"""Enrich jobs now (skills, seniority, summary, facts, vectors), in this process."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F, Q, QuerySet

from jobrec.ai.registry import ProviderNotConfigured, extractor_build
from jobrec.progress import progress_bar
from jobs.models import Enrichment, Job
from jobs.services.enrichment import TASK_BATCH, EnrichReport, jobs_enrich_configured


def jobs_to_enrich(*, which: str) -> QuerySet[Job]:
    jobs = Job.objects.filter(status__in=[Job.Status.ACTIVE, Job.Status.FLAGGED])
    if which == "failed":
        return jobs.filter(enrichment__status=Enrichment.Status.FAILED)
    if which == "missing":
        return jobs.filter(
            Q(enrichment__isnull=True)
            | ~Q(enrichment__status=Enrichment.Status.DONE)
            | ~Q(enrichment__input_hash=F("content_hash"))
        )
    return jobs


class Command(BaseCommand):
    help = "Enrich jobs with the configured (or given) provider; progress bar and summary."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--missing", action="store_const", dest="which", const="missing")
        which.add_argument("--failed", action="store_const", dest="which", const="failed")
        which.add_argument("--all", action="store_const", dest="which", const="all")
        parser.add_argument("--provider", choices=["local", "gemini", "openai"])
        parser.add_argument("--limit", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        which = options["which"] or "missing"
        if options["provider"]:
            try:
                extractor_build(options["provider"])
            except ProviderNotConfigured as exc:
                raise CommandError(str(exc)) from exc
        ids = list(jobs_to_enrich(which=which).order_by("pk").values_list("pk", flat=True))
        if options["limit"]:
            ids = ids[: options["limit"]]
        total = EnrichReport()
        started = time.perf_counter()
        with progress_bar(total=len(ids), desc="enriching", unit="job") as bar:
            for start in range(0, len(ids), TASK_BATCH):
                batch = ids[start : start + TASK_BATCH]
                report = jobs_enrich_configured(
                    job_ids=batch, force=which == "all", provider=options["provider"]
                )
                total.enriched += report.enriched
                total.failed += report.failed
                total.skipped += report.skipped
                total.fallbacks += report.fallbacks
                total.embedded += report.embedded
                bar.update(len(batch))
        elapsed = time.perf_counter() - started
        rate = len(ids) / elapsed if elapsed else 0.0
        self.stdout.write(
            f"{which}: {len(ids)} jobs in {elapsed:.1f}s ({rate:.0f}/s): "
            f"enriched {len(total.enriched)}, skipped {total.skipped} (already done), "
            f"failed {len(total.failed)}, fell back to local {total.fallbacks}, "
            f"vectors written {total.embedded}"
        )
        if total.failed:
            raise CommandError(f"{len(total.failed)} jobs failed; see their enrichment errors")
