"""Importing job files: a RemoteOK API response, or JSONL/CSV with mapped columns.

The whole import is one transaction. A file that cannot be read as its format (missing,
a directory, binary, malformed JSON or CSV) stops the import with a clear error and writes
nothing. Inside a readable file, each record is judged alone: bad records are reported with
their line numbers and reasons, good ones are kept. Records are streamed in batches, so
memory stays flat however large the file is.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from jobs.services.upsert import UpsertResult, job_upsert_many
from jobs.sources.base import InvalidPayloadError, JobDraft
from jobs.sources.mapped.parser import draft_from_record
from jobs.sources.remoteok.parser import parse_remoteok

ImportFormat = Literal["remoteok", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("remoteok", "jsonl", "csv")
BATCH_SIZE = 1000
_BINARY_SNIFF_BYTES = 8192


class ImportFileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class ImportReport:
    path: str
    format: str
    source: str
    records: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    result: UpsertResult = field(default_factory=UpsertResult)

    @property
    def accepted(self) -> int:
        return self.records - len(self.rejected)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if path.is_dir():
        raise ImportFileError(f"{path}: is a directory, not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(_BINARY_SNIFF_BYTES)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read: {exc.strerror}") from exc
    if b"\x00" in head:
        raise ImportFileError(f"{path}: is a binary file, not JSON or CSV text")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut at the end of the sniffed block is fine; a bad byte before it is not.
        if exc.start < len(head) - 4:
            raise ImportFileError(f"{path}: is not UTF-8 text (byte {exc.start})") from exc


def job_import_file(
    *,
    path: Path,
    fmt: ImportFormat,
    source: str,
    mapping: dict[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import ``path``; see the module docstring for the error contract."""
    _check_file(path)
    report = ImportReport(path=str(path), format=fmt, source=source)
    now = timezone.now()
    # Records without a date get the file's modification time: stable when the same file
    # is imported again, so those records are found unchanged rather than updated.
    file_time = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    records = _records(path=path, fmt=fmt, source=source, mapping=mapping or {}, now=file_time)
    with transaction.atomic():
        batch: list[JobDraft] = []
        for line, draft_or_reason in records:
            report.records += 1
            if isinstance(draft_or_reason, str):
                report.rejected.append((line, draft_or_reason))
            else:
                batch.append(draft_or_reason)
            if len(batch) >= BATCH_SIZE:
                report.result.add(job_upsert_many(drafts=batch, seen_at=now))
                if on_progress:
                    on_progress(report.records)
                batch = []
        if batch:
            report.result.add(job_upsert_many(drafts=batch, seen_at=now))
        if on_progress:
            on_progress(report.records)
    return report


def _records(
    *, path: Path, fmt: ImportFormat, source: str, mapping: dict[str, str], now: datetime
) -> Iterator[tuple[int, JobDraft | str]]:
    if fmt == "remoteok":
        yield from _remoteok_records(path, source)
        return

    def build(record: dict[str, Any]) -> JobDraft | str:
        return draft_from_record(record, mapping=mapping, source=source, default_posted_at=now)

    if fmt == "jsonl":
        yield from _jsonl_records(path, build)
    elif fmt == "csv":
        yield from _csv_records(path, mapping, build)
    else:  # pragma: no cover - the command validates the choice
        raise ImportFileError(f"unknown format {fmt!r}")


def _remoteok_records(path: Path, source: str) -> Iterator[tuple[int, JobDraft | str]]:
    try:
        parsed = parse_remoteok(path.read_bytes(), source=source)
    except InvalidPayloadError as exc:
        raise ImportFileError(f"{path}: not a RemoteOK API response: {exc}") from exc
    # Array elements are numbered from 1 like lines, so reports read the same way.
    outcomes: list[tuple[int, JobDraft | str]] = [
        (r.index + 1, f"{r.reason}" + (f" (id {r.external_id})" if r.external_id else ""))
        for r in parsed.rejected
    ]
    outcomes.sort(key=lambda item: item[0])
    yield from outcomes
    for draft in parsed.drafts:
        yield 0, draft


def _jsonl_records(
    path: Path, build: Callable[[dict[str, Any]], JobDraft | str]
) -> Iterator[tuple[int, JobDraft | str]]:
    with path.open(encoding="utf-8", errors="strict") as handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ImportFileError(
                        f"{path}: line {number}: invalid JSON ({exc.msg} at column {exc.colno}); "
                        "nothing was imported"
                    ) from exc
                if not isinstance(record, dict):
                    yield number, f"expected a JSON object, got {type(record).__name__}"
                    continue
                yield number, build(record)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: is not UTF-8 text; nothing was imported") from exc


def _csv_records(
    path: Path, mapping: dict[str, str], build: Callable[[dict[str, Any]], JobDraft | str]
) -> Iterator[tuple[int, JobDraft | str]]:
    # Job descriptions are long; the csv module's default 128 KiB field limit is too small.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            header = reader.fieldnames
            if not header:
                raise ImportFileError(f"{path}: is empty (no header row)")
            missing = sorted({c for c in mapping.values() if c not in header})
            if missing:
                raise ImportFileError(
                    f"{path}: --map names columns that are not in the header: {', '.join(missing)} "
                    f"(columns: {', '.join(header)})"
                )
            for row in reader:
                number = reader.line_num
                if None in row:
                    extra = len(row[None])  # DictReader keeps surplus fields under None
                    yield number, f"{len(header) + extra} fields, header has {len(header)}"
                    continue
                yield number, build(row)
        except csv.Error as exc:
            raise ImportFileError(
                f"{path}: line {reader.line_num}: malformed CSV ({exc}); nothing was imported"
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: is not UTF-8 text; nothing was imported") from exc
