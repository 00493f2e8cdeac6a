"""Importing job files: a RemoteOK API response, or JSONL/CSV with mapped columns.

A file that cannot be read as its format (missing, a directory, binary, malformed JSON or
CSV) stops the import with a clear error and writes nothing. Inside a readable file each
record is judged alone: bad records are reported with their line numbers and reasons, good
ones are kept. Records are streamed in chunks, so memory stays flat however large the file.

With ``workers > 1`` (JSONL and CSV) the chunks are parsed and stored by that many
processes, each chunk in its own transaction. The whole file's syntax is checked first, so
bad input still writes nothing; an import interrupted half-way (a crash, Ctrl-C) can simply
be run again: it is idempotent. With one worker the whole import is one transaction.

A JSONL file is handed to the workers as byte ranges of about ``CHUNK_SIZE`` lines: each
worker reads, checks and parses its own lines, so the parent neither decodes JSON nor
pickles records, and the syntax check runs in parallel too. CSV rows can span lines, so
the parent reads CSV records and sends them to the workers.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from django.db import connections, transaction

from jobs.services.upsert import UpsertResult, job_upsert_many
from jobs.sources.base import InvalidPayloadError, JobDraft
from jobs.sources.mapped.parser import draft_from_record
from jobs.sources.remoteok.parser import parse_remoteok

ImportFormat = Literal["remoteok", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("remoteok", "jsonl", "csv")
CHUNK_SIZE = 1000
_BINARY_SNIFF_BYTES = 8192
# A record as read from the file: a line number and the parsed object, or a reason it is
# not a record at all (a JSON value that is not an object, a CSV row of the wrong width).
RawRecord = tuple[int, "dict[str, Any] | str"]


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

    def add(self, other: ChunkOutcome) -> None:
        self.records += other.records
        self.rejected += other.rejected
        self.result.add(other.result)


@dataclass
class ChunkOutcome:
    records: int
    rejected: list[tuple[int, str]]
    result: UpsertResult


@dataclass(frozen=True)
class _Span:
    """Lines ``first_line``.. of a file, between two byte offsets at line starts."""

    path: Path
    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class _ChunkJob:
    # The records themselves, or where a worker reads them (JSONL).
    records: list[RawRecord] | _Span
    mapping: dict[str, str]
    source: str
    default_posted_at: datetime
    enrich: bool


def job_import_file(
    *,
    path: Path,
    fmt: ImportFormat,
    source: str,
    mapping: dict[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
    workers: int = 1,
    enrich: bool = True,
) -> ImportReport:
    """Import ``path``; see the module docstring for the error contract."""
    _check_file(path)
    mapping = mapping or {}
    report = ImportReport(path=str(path), format=fmt, source=source)
    if fmt == "remoteok":
        with transaction.atomic():
            report.add(_import_remoteok(path, source, enrich=enrich))
        if on_progress:
            on_progress(report.records)
        return report

    # Records without a date get the file's modification time: stable when the same file
    # is imported again, so those records are found unchanged rather than updated.
    file_time = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    chunks = (
        _ChunkJob(
            records=chunk,
            mapping=mapping,
            source=source,
            default_posted_at=file_time,
            enrich=enrich,
        )
        for chunk in _chunked(_raw_records(path, fmt, mapping), CHUNK_SIZE)
    )
    if workers <= 1:
        with transaction.atomic():
            for chunk in chunks:
                report.add(_import_chunk(chunk))
                if on_progress:
                    on_progress(report.records)
        return report

    if fmt == "jsonl":
        spans = _jsonl_spans(path, CHUNK_SIZE)
        chunks = (
            _ChunkJob(
                records=span,
                mapping=mapping,
                source=source,
                default_posted_at=file_time,
                enrich=enrich,
            )
            for span in spans
        )
        outcomes = _run_parallel(chunks, workers=workers, spans=spans)
    else:
        # Reading the file once without storing anything proves it is well-formed, so the
        # parallel pass below cannot stop half-way on bad syntax.
        for _ in _raw_records(path, fmt, mapping):
            pass
        outcomes = _run_parallel(chunks, workers=workers)
    for outcome in outcomes:
        report.add(outcome)
        if on_progress:
            on_progress(report.records)
    return report


def _import_chunk(chunk: _ChunkJob) -> ChunkOutcome:
    drafts: list[JobDraft] = []
    rejected: list[tuple[int, str]] = []
    records = chunk.records
    if isinstance(records, _Span):
        records = list(_span_records(records))
    for line, record in records:
        built = (
            record
            if isinstance(record, str)
            else draft_from_record(
                record,
                mapping=chunk.mapping,
                source=chunk.source,
                default_posted_at=chunk.default_posted_at,
            )
        )
        if isinstance(built, str):
            rejected.append((line, built))
        else:
            drafts.append(built)
    with transaction.atomic():
        result = job_upsert_many(drafts=drafts, enrich=chunk.enrich) if drafts else UpsertResult()
    return ChunkOutcome(records=len(records), rejected=rejected, result=result)


def _run_parallel(
    chunks: Iterator[_ChunkJob], *, workers: int, spans: list[_Span] | None = None
) -> Iterator[ChunkOutcome]:
    # Forked workers must not share the parent's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        if spans:
            # Every line is checked before anything is stored, so bad syntax writes nothing.
            for error in pool.imap(_span_error, spans):
                if error:
                    raise ImportFileError(error)
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_import_chunk, (chunk,)))
            # A bounded number of chunks in flight keeps memory flat on huge files.
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _chunked(records: Iterator[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _jsonl_spans(path: Path, size: int) -> list[_Span]:
    """Byte ranges of about ``size`` non-blank lines each, covering the whole file."""
    spans: list[_Span] = []
    start = offset = 0
    first_line = line = 1
    records = 0
    with path.open("rb") as handle:
        for raw in handle:
            offset += len(raw)
            # Lines are counted the way text mode reads them (a lone CR ends a line too).
            line += len(raw.splitlines()) if b"\r" in raw else 1
            if raw.strip():
                records += 1
            if records >= size:
                spans.append(_Span(path, start, offset, first_line))
                start, first_line, records = offset, line, 0
    if offset > start:
        spans.append(_Span(path, start, offset, first_line))
    return spans


def _span_lines(span: _Span) -> Iterator[tuple[int, bytes]]:
    with span.path.open("rb") as handle:
        handle.seek(span.start)
        data = handle.read(span.end - span.start)
    for number, line in enumerate(data.splitlines(), start=span.first_line):
        if line.strip():
            yield number, line


def _span_error(span: _Span) -> str | None:
    """Why the span is not valid JSONL, or None."""
    try:
        for _ in _span_records(span):
            pass
    except ImportFileError as exc:
        return str(exc)
    return None


def _span_records(span: _Span) -> Iterator[RawRecord]:
    for number, line in _span_lines(span):
        try:
            record = json.loads(line)
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{span.path}: is not UTF-8 text; nothing was imported") from exc
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{span.path}: line {number}: invalid JSON ({exc.msg} at column {exc.colno}); "
                "nothing was imported"
            ) from exc
        if isinstance(record, dict):
            yield number, record
        else:
            yield number, f"expected a JSON object, got {type(record).__name__}"


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


def _import_remoteok(path: Path, source: str, *, enrich: bool) -> ChunkOutcome:
    try:
        parsed = parse_remoteok(path.read_bytes(), source=source)
    except InvalidPayloadError as exc:
        raise ImportFileError(f"{path}: not a RemoteOK API response: {exc}") from exc
    # Array elements are numbered from 1, like lines, so reports read the same way.
    rejected = [
        (r.index + 1, r.reason + (f" (id {r.external_id})" if r.external_id else ""))
        for r in parsed.rejected
    ]
    result = UpsertResult()
    for start in range(0, len(parsed.drafts), CHUNK_SIZE):
        result.add(job_upsert_many(drafts=parsed.drafts[start : start + CHUNK_SIZE], enrich=enrich))
    return ChunkOutcome(
        records=len(parsed.drafts) + len(parsed.rejected), rejected=rejected, result=result
    )


def _raw_records(path: Path, fmt: ImportFormat, mapping: dict[str, str]) -> Iterator[RawRecord]:
    if fmt == "jsonl":
        return _jsonl_records(path)
    if fmt == "csv":
        return _csv_records(path, mapping)
    raise ImportFileError(f"unknown format {fmt!r}")


def _jsonl_records(path: Path) -> Iterator[RawRecord]:
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
                if isinstance(record, dict):
                    yield number, record
                else:
                    yield number, f"expected a JSON object, got {type(record).__name__}"
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: is not UTF-8 text; nothing was imported") from exc


def _csv_records(path: Path, mapping: dict[str, str]) -> Iterator[RawRecord]:
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
                    f"{path}: --map names columns that are not in the header: "
                    f"{', '.join(missing)} (columns: {', '.join(header)})"
                )
            for row in reader:
                if None in row:
                    extra = len(row[None])  # DictReader keeps surplus fields under None
                    reason = f"{len(header) + extra} fields, header has {len(header)}"
                    yield reader.line_num, reason
                else:
                    yield reader.line_num, dict(row)
        except csv.Error as exc:
            raise ImportFileError(
                f"{path}: line {reader.line_num}: malformed CSV ({exc}); nothing was imported"
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(f"{path}: is not UTF-8 text; nothing was imported") from exc
