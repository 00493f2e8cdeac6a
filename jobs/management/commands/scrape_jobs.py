"""Run one scrape now, synchronously, and print the ScrapeRun summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs.models import ScrapeRun
from jobs.services.scraping import SOURCES, scrape_run_execute, source_build
from jobs.sources.base import SourceError


class Command(BaseCommand):
    help = "Fetch a job source now and store its postings (prints the scrape run summary)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", default="remoteok", choices=sorted(SOURCES))

    def handle(self, *args: Any, **options: Any) -> None:
        source = source_build(name=options["source"])
        self.stderr.write(f"fetching {source.name} ...")
        try:
            run: ScrapeRun | None = scrape_run_execute(source=source)
        except SourceError:
            # The run was recorded as failed before the error was raised.
            run = ScrapeRun.objects.filter(source=source.name).order_by("-started_at").first()
        assert run is not None
        self.stdout.write(scrape_run_summary(run))
        if run.status == ScrapeRun.Status.FAILED:
            raise CommandError(f"scrape failed: {run.error}")


def scrape_run_summary(run: ScrapeRun) -> str:
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    lines = [
        f"scrape run #{run.pk} of {run.source}: {run.status} in {duration:.1f}s"
        + (" (not modified since the last run)" if run.not_modified else ""),
        f"  fetched {run.fetched}, created {run.created}, updated {run.updated}, "
        f"unchanged {run.unchanged}, rejected {run.rejected}",
    ]
    if run.error:
        lines.append("  " + run.error.replace("\n", "\n  "))
    return "\n".join(lines)
