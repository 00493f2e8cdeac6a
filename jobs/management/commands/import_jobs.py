"""Import postings from a file: a RemoteOK API response, JSONL or CSV with mapped columns."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobrec.progress import progress_bar
from jobs.services.importing import FORMATS, ImportFileError, ImportFormat, job_import_file
from jobs.sources.mapped.parser import FIELDS, MappingError, mapping_parse

MAX_REJECTED_SHOWN = 50
# Forking workers costs about a second; only worth it for files of thousands of records.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024
MAX_DEFAULT_WORKERS = 4


class Command(BaseCommand):
    help = (
        "Import job postings from PATH. Importing the same file again creates nothing new. "
        f"Mappable fields: {', '.join(FIELDS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="default: from the file name")
        parser.add_argument(
            "--source", help="source name stored with the jobs (default: remoteok or import)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that parse and store records in parallel (jsonl/csv); default: "
            "one per CPU for files over 8 MB, else 1",
        )
        parser.add_argument(
            "--no-enrich",
            action="store_true",
            help="store only; enrich later with `enrich_jobs --missing` (fast bulk loads)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="take job FIELD from COLUMN (repeatable), e.g. --map position=Title",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        fmt = cast(ImportFormat, options["format"] or _guess_format(path))
        try:
            mapping = mapping_parse(options["map"])
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        if mapping and fmt == "remoteok":
            raise CommandError("--map applies to jsonl and csv files, not RemoteOK responses")
        source = options["source"] or ("remoteok" if fmt == "remoteok" else "import")
        workers = options["workers"]
        if workers is None:
            large = path.is_file() and path.stat().st_size > PARALLEL_FROM_BYTES
            workers = min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS) if large else 1
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        started = time.perf_counter()
        bar = progress_bar(total=None, desc=f"importing {path.name}", unit="rec")
        try:
            report = job_import_file(
                path=path,
                fmt=fmt,
                source=source,
                mapping=mapping,
                on_progress=lambda done: bar.update(done - bar.n),
                workers=workers,
                enrich=not options["no_enrich"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        for line, reason in report.rejected[:MAX_REJECTED_SHOWN]:
            where = f"line {line}" if fmt != "remoteok" else f"element {line}"
            self.stderr.write(f"rejected {where}: {reason}")
        if len(report.rejected) > MAX_REJECTED_SHOWN:
            self.stderr.write(f"... and {len(report.rejected) - MAX_REJECTED_SHOWN} more rejected")
        result = report.result
        rate = report.records / elapsed if elapsed else 0.0
        self.stdout.write(
            f"imported {path} ({fmt}, source {source}): {report.records} records in "
            f"{elapsed:.1f}s ({rate:.0f}/s, {workers} worker(s)): created {result.created}, "
            f"updated {result.updated}, unchanged {result.unchanged}, "
            f"rejected {len(report.rejected)}, grouped as reposts {result.reposts}"
        )


def _guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".json":
        return "remoteok"
    raise CommandError(f"cannot tell the format of {path.name}; pass --format remoteok|jsonl|csv")
