"""Writing postings: create new ones, update changed ones, touch unchanged ones.

Works in batches (a feed, or a chunk of an import file) with a fixed number of statements
per batch, whatever its size: find existing rows, resolve companies, update the changed
rows, touch the unchanged ones, look up repost originals, ``COPY`` the new rows, add
search words. PostgreSQL computes the search documents itself (``Job.search_vector`` and
``Job.title_vector`` are generated columns).

New rows go in with ``COPY`` rather than ORM ``bulk_create``: building a model instance
and a 25-column parameter list per posting cost more CPU than PostgreSQL spent storing
and indexing it (see docs/benchmarks.md). Their ids are drawn from the sequence first, so
reposts can point at postings of the same batch before anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from psycopg import errors as pg_errors

from jobs.cache import jobs_cache_invalidate
from jobs.models import Job
from jobs.normalization import company_normalize, search_words, title_normalize
from jobs.services.enrichment import enrichment_enqueue
from jobs.sources.base import JobDraft

logger = logging.getLogger(__name__)

# Columns a changed posting overwrites (with last_seen_at and updated_at), in the order of
# _content_values. Moderation state, first_seen_at and enrichment results are never
# touched by a feed.
_CONTENT_COLUMNS = (
    "url",
    "apply_url",
    "company_id",
    "company_name",
    "position",
    "normalized_title",
    "location",
    "remote_policy",
    "tags",
    "salary_min",
    "salary_max",
    "salary_currency",
    "description_text",
    "description_html",
    "posted_at",
    "content_hash",
)
# Every column a new posting is written with (the generated search columns excepted), in
# the order of _copy_new. Django's field defaults are Python-side only, so they are
# spelled out per row.
_NEW_COLUMNS = (
    "id",
    "source",
    "external_id",
    *_CONTENT_COLUMNS,
    "skills",
    "seniority",
    "first_seen_at",
    "last_seen_at",
    "status",
    "moderation_reason",
    "duplicate_of_id",
    "updated_at",
)
# A concurrent writer (another import worker, a scrape) may insert one of our new postings
# between the look-up and the COPY; the batch is then classified again.
_ATTEMPTS = 3
_NUL = "\x00"


@dataclass
class UpsertResult:
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    unchanged: int = 0
    reposts: int = 0

    @property
    def created(self) -> int:
        return len(self.created_ids)

    @property
    def updated(self) -> int:
        return len(self.updated_ids)

    def add(self, other: UpsertResult) -> None:
        self.created_ids += other.created_ids
        self.updated_ids += other.updated_ids
        self.unchanged += other.unchanged
        self.reposts += other.reposts


@dataclass(frozen=True, slots=True)
class _CompanyRow:
    id: int
    name: str
    normalized_name: str


@dataclass(frozen=True, slots=True)
class _NewJob:
    """A posting about to be inserted, with its id drawn from the sequence."""

    id: int
    draft: JobDraft
    digest: str
    company: _CompanyRow
    normalized_title: str


def job_upsert_many(
    *, drafts: Sequence[JobDraft], seen_at: datetime | None = None, enrich: bool = True
) -> UpsertResult:
    """Store a batch of drafts; queue enrichment for new and changed jobs on commit
    (unless ``enrich`` is off: bulk imports can leave it to ``enrich_jobs --missing``)."""
    now = seen_at or timezone.now()
    # The last draft wins when a batch names the same posting twice; sorted by key so that
    # concurrent writers take row and index locks in one order and cannot deadlock.
    latest = {(d.source, d.external_id): d for d in drafts}
    unique = [latest[key] for key in sorted(latest)]
    if not unique:
        return UpsertResult()
    with transaction.atomic():
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with transaction.atomic():  # a savepoint, so a lost race can be retried
                    result = _upsert(unique, now=now)
                break
            except IntegrityError as exc:
                if attempt == _ATTEMPTS or not _is_job_key_conflict(exc):
                    raise
                logger.info("posting inserted concurrently, classifying the batch again")
        touched = result.created_ids + result.updated_ids
        if touched and enrich:
            transaction.on_commit(lambda: enrichment_enqueue(job_ids=touched))
        if touched:
            updated = list(result.updated_ids)
            transaction.on_commit(lambda: jobs_cache_invalidate(job_ids=updated))
    return result


def search_words_add(*, drafts: Sequence[JobDraft]) -> None:
    """Add the words of titles, companies and tags to the search vocabulary."""
    words: set[str] = set()
    for draft in drafts:
        words |= search_words(" ".join((draft.position, draft.company, *draft.tags)))
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO jobs_searchword (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
            [sorted(words)],
        )


def _upsert(drafts: Sequence[JobDraft], *, now: datetime) -> UpsertResult:
    result = UpsertResult()
    with connection.cursor() as cursor:
        existing = _existing_rows(cursor, drafts)
        new: list[tuple[JobDraft, str]] = []
        changed: list[tuple[int, JobDraft, str]] = []
        unchanged_ids: list[int] = []
        for draft in drafts:
            row = existing.get((draft.source, draft.external_id))
            digest = draft.content_hash()
            if row is None:
                new.append((draft, digest))
            elif row[1] != digest:
                changed.append((row[0], draft, digest))
            else:
                unchanged_ids.append(row[0])
        if not new and not changed:
            _touch(cursor, unchanged_ids, now=now)
            result.unchanged = len(unchanged_ids)
            return result

        companies = _companies(cursor, [d for d, _ in new] + [d for _, d, _ in changed], now=now)
        if changed:
            _update_changed(cursor, changed, companies, now=now)
        _touch(cursor, unchanged_ids, now=now)

        ids = _next_job_ids(cursor, len(new))
        pending = [
            _NewJob(
                id=job_id,
                draft=draft,
                digest=digest,
                company=companies[_company_key(draft)],
                normalized_title=_normalized_title(draft),
            )
            for job_id, (draft, digest) in zip(ids, new, strict=True)
        ]
        # After the changed rows are written, so a posting that changed into a group is
        # seen with its new title, exactly as if it had been stored first.
        originals = _repost_originals(cursor, pending)
        _copy_new(cursor, pending, originals, now=now)

    search_words_add(drafts=[d for d, _ in new] + [d for _, d, _ in changed])
    result.created_ids = ids
    result.updated_ids = [job_id for job_id, _, _ in changed]
    result.unchanged = len(unchanged_ids)
    result.reposts = len(originals)
    return result


def _is_job_key_conflict(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return (
        isinstance(cause, pg_errors.UniqueViolation)
        and cause.diag.constraint_name == "job_source_external_id"
    )


def _existing_rows(
    cursor: CursorWrapper, drafts: Sequence[JobDraft]
) -> dict[tuple[str, str], tuple[int, str]]:
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.external_id)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for source, external_ids in by_source.items():
        cursor.execute(
            "SELECT external_id, id, content_hash FROM jobs_job "
            "WHERE source = %s AND external_id = ANY(%s)",
            [source, external_ids],
        )
        for external_id, job_id, digest in cursor.fetchall():
            found[(source, external_id)] = (job_id, digest)
    return found


def _companies(
    cursor: CursorWrapper, drafts: Iterable[JobDraft], *, now: datetime
) -> dict[str, _CompanyRow]:
    """Companies by normalized name, creating the missing ones in one insert."""
    wanted: dict[str, JobDraft] = {}
    for draft in drafts:
        wanted.setdefault(_company_key(draft), draft)
    select = "SELECT id, name, normalized_name FROM jobs_company WHERE normalized_name = ANY(%s)"
    cursor.execute(select, [list(wanted)])
    found = {row[2]: _CompanyRow(*row) for row in cursor.fetchall()}
    # Sorted, so that concurrent importers take the unique-index locks in one order and
    # cannot deadlock on companies they both insert.
    missing = sorted(key for key in wanted if key not in found)
    if missing:
        cursor.execute(
            "INSERT INTO jobs_company (name, normalized_name, logo_url, created_at) "
            "SELECT name, key, logo, %s FROM unnest(%s::text[], %s::text[], %s::text[]) "
            "AS m(name, key, logo) "
            # Another importer may have created the same company meanwhile.
            "ON CONFLICT (normalized_name) DO NOTHING",
            [
                now,
                [_text(wanted[key].company.strip())[:255] or "Unknown company" for key in missing],
                missing,
                [_text(wanted[key].company_logo) for key in missing],
            ],
        )
        cursor.execute(select, [missing])
        found.update((row[2], _CompanyRow(*row)) for row in cursor.fetchall())
    return found


def _touch(cursor: CursorWrapper, job_ids: Sequence[int], *, now: datetime) -> None:
    if job_ids:
        cursor.execute(
            "UPDATE jobs_job SET last_seen_at = %s WHERE id = ANY(%s)",
            [now, list(job_ids)],
        )


def _next_job_ids(cursor: CursorWrapper, count: int) -> list[int]:
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence('jobs_job', 'id')) FROM generate_series(1, %s)",
        [count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy_new(
    cursor: CursorWrapper, new: Sequence[_NewJob], originals: dict[int, int], *, now: datetime
) -> None:
    if not new:
        return
    # A plain COPY: a posting inserted concurrently since the look-up makes it fail with a
    # unique violation, and job_upsert_many classifies the batch again.
    statement = f"COPY jobs_job ({', '.join(_NEW_COLUMNS)}) FROM STDIN"
    active = Job.Status.ACTIVE.value
    # Errors raised by COPY come from psycopg directly; wrap them like any other query's.
    with connection.wrap_database_errors, cursor.copy(statement) as copy:
        for job in new:
            draft = job.draft
            copy.write_row(
                (
                    job.id,
                    _text(draft.source),
                    _text(draft.external_id),
                    *_content_values(draft, job.company, job.digest, job.normalized_title),
                    "{}",  # skills: enrichment's
                    "",  # seniority: enrichment's
                    now,  # first_seen_at
                    now,  # last_seen_at
                    active,
                    "",  # moderation_reason
                    originals.get(job.id),  # duplicate_of
                    now,  # updated_at
                )
            )


def _update_changed(
    cursor: CursorWrapper,
    changed: Sequence[tuple[int, JobDraft, str]],
    companies: dict[str, _CompanyRow],
    *,
    now: datetime,
) -> None:
    """Overwrite the content of changed postings: COPY into a temporary table, then one
    UPDATE joined to it."""
    columns = ", ".join(_CONTENT_COLUMNS)
    create = "CREATE TEMPORARY TABLE IF NOT EXISTS jobs_upsert_changed ON COMMIT DROP AS "
    cursor.execute(f"{create} SELECT id, {columns} FROM jobs_job WITH NO DATA")  # noqa: S608 - constant column names
    statement = f"COPY jobs_upsert_changed (id, {columns}) FROM STDIN"
    with connection.wrap_database_errors, cursor.copy(statement) as copy:
        for job_id, draft, digest in changed:
            company = companies[_company_key(draft)]
            values = _content_values(draft, company, digest, _normalized_title(draft))
            copy.write_row((job_id, *values))
    assignments = ", ".join(f"{column} = c.{column}" for column in _CONTENT_COLUMNS)
    cursor.execute(
        f"UPDATE jobs_job AS j SET {assignments}, last_seen_at = %s, updated_at = %s "  # noqa: S608 - constant column names
        "FROM jobs_upsert_changed AS c WHERE j.id = c.id",
        [now, now],
    )
    cursor.execute("TRUNCATE jobs_upsert_changed")


def _content_values(
    draft: JobDraft, company: _CompanyRow, digest: str, normalized_title: str
) -> tuple[Any, ...]:
    """The values of ``_CONTENT_FIELDS`` up to ``content_hash``, in that order."""
    return (
        _text(draft.url),
        _text(draft.apply_url),
        company.id,
        company.name,
        _text(draft.position),
        normalized_title,
        _text(draft.location),
        draft.remote_policy,
        _text_array(draft.tags),
        draft.salary_min,
        draft.salary_max,
        draft.salary_currency,
        _text(draft.description_text),
        _text(draft.description_html),
        draft.posted_at,
        digest,
    )


def _text(value: str) -> str:
    # PostgreSQL text cannot hold NUL. Parsers remove control characters, but a NUL that
    # slipped through one must cost that character, not the batch.
    return value.replace(_NUL, "") if _NUL in value else value


def _company_key(draft: JobDraft) -> str:
    # The key column holds 255 characters; longer names are told apart by their start.
    return company_normalize(draft.company)[:255]


def _text_array(values: Sequence[str]) -> str:
    """A text[] literal. psycopg can adapt lists itself, but its array dumper is pure
    Python and cost more than the rest of a row's COPY formatting."""
    items = (_text(v).replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{item}"' for item in items) + "}"


def _normalized_title(draft: JobDraft) -> str:
    # Unicode folding can lengthen a title ("ﬁ" -> "fi"); the column holds 300 characters.
    return title_normalize(draft.position)[:300]


def _repost_originals(cursor: CursorWrapper, new_jobs: Sequence[_NewJob]) -> dict[int, int]:
    """The original each new repost points at, by the repost's id.

    A group is the postings of one company with one normalized title whose dates lie within
    ``JOB_REPOST_WINDOW_DAYS`` of each other, from any source. A repost points at the first
    posting of its group (by date, then id). Postings of an unknown company are never
    grouped: an empty name says nothing about sameness.
    """
    window = timedelta(days=settings.JOB_REPOST_WINDOW_DAYS)
    keyed = [j for j in new_jobs if j.company.normalized_name and j.normalized_title]
    if not keyed:
        return {}
    earliest = min(j.draft.posted_at for j in keyed) - window
    cursor.execute(
        "SELECT id, company_id, normalized_title, posted_at FROM jobs_job "
        "WHERE company_id = ANY(%s) AND normalized_title = ANY(%s) "
        "AND duplicate_of_id IS NULL AND posted_at >= %s AND status <> %s",
        [
            sorted({j.company.id for j in keyed}),
            sorted({j.normalized_title for j in keyed}),
            earliest,
            Job.Status.HIDDEN.value,
        ],
    )
    # The batch's own postings are candidates too: each is an original until grouped.
    candidates = [
        *cursor.fetchall(),
        *((j.id, j.company.id, j.normalized_title, j.draft.posted_at) for j in keyed),
    ]
    groups: dict[tuple[int, str], list[tuple[datetime, int]]] = {}
    for job_id, company_id, title, posted_at in candidates:
        groups.setdefault((company_id, title), []).append((posted_at, job_id))
    for group in groups.values():
        group.sort()

    new_ids = {j.id for j in keyed}
    originals: dict[int, int] = {}
    for job in sorted(keyed, key=lambda j: (j.draft.posted_at, j.id)):
        posted = job.draft.posted_at
        original = next(
            (
                pk
                for posted_at, pk in groups[(job.company.id, job.normalized_title)]
                if pk != job.id
                and abs(posted_at - posted) <= window
                and (pk not in new_ids or (posted_at, pk) < (posted, job.id))
            ),
            None,
        )
        if original is not None:
            originals[job.id] = original
    return originals
