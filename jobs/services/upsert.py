"""Writing postings: create new ones, update changed ones, touch unchanged ones.

Works in batches (a feed, or a chunk of an import file) with a fixed number of queries per
batch, whatever its size: one to resolve companies, one to find existing rows, one insert,
one update, one touch and one repost lookup. PostgreSQL computes the search document
itself (``Job.search_vector`` is a generated column).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jobs.cache import jobs_cache_invalidate
from jobs.models import Company, Job, SearchWord
from jobs.normalization import company_normalize, search_words, title_normalize
from jobs.services.enrichment import enrichment_enqueue
from jobs.sources.base import JobDraft

logger = logging.getLogger(__name__)

# Fields a changed posting overwrites. Moderation state, first_seen_at and enrichment
# results are never touched by a feed.
_CONTENT_FIELDS = (
    "url",
    "apply_url",
    "company",
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
    "last_seen_at",
)


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


def company_get_or_create_many(*, drafts: Sequence[JobDraft]) -> dict[str, Company]:
    """Companies by normalized name, creating the missing ones in one insert."""
    wanted: dict[str, JobDraft] = {}
    for draft in drafts:
        wanted.setdefault(company_normalize(draft.company), draft)
    found = {c.normalized_name: c for c in Company.objects.filter(normalized_name__in=wanted)}
    # Sorted, so that concurrent importers take the unique-index locks in one order and
    # cannot deadlock on companies they both insert.
    missing = [
        Company(
            name=draft.company.strip() or "Unknown company",
            normalized_name=key,
            logo_url=draft.company_logo,
        )
        for key, draft in sorted(wanted.items())
        if key not in found
    ]
    if missing:
        # ignore_conflicts: another importer may have created the same company meanwhile.
        Company.objects.bulk_create(missing, ignore_conflicts=True)
        created = Company.objects.filter(normalized_name__in=[c.normalized_name for c in missing])
        found.update((c.normalized_name, c) for c in created)
    return found


def job_upsert_many(
    *, drafts: Sequence[JobDraft], seen_at: datetime | None = None, enrich: bool = True
) -> UpsertResult:
    """Store a batch of drafts; queue enrichment for new and changed jobs on commit
    (unless ``enrich`` is off: bulk imports can leave it to ``enrich_jobs --missing``)."""
    now = seen_at or timezone.now()
    # The last draft wins when a batch names the same posting twice; sorted by key for the
    # same lock-order reason as companies.
    latest = {(d.source, d.external_id): d for d in drafts}
    unique = [latest[key] for key in sorted(latest)]
    result = UpsertResult()
    if not unique:
        return result
    with transaction.atomic():
        companies = company_get_or_create_many(drafts=unique)
        existing = _existing_rows(unique)
        new_jobs: list[Job] = []
        changed_jobs: list[Job] = []
        unchanged_ids: list[int] = []
        touched_drafts: list[JobDraft] = []
        for draft in unique:
            row = existing.get((draft.source, draft.external_id))
            digest = draft.content_hash()
            if row is None:
                new_jobs.append(_job_from_draft(draft, companies, digest, now, pk=None))
            elif row[1] != digest:
                changed_jobs.append(_job_from_draft(draft, companies, digest, now, pk=row[0]))
            else:
                unchanged_ids.append(row[0])
                continue
            touched_drafts.append(draft)

        # ON CONFLICT ... DO UPDATE: a concurrent import or scrape that inserted the same
        # posting a moment ago turns this insert into an update instead of an error.
        Job.objects.bulk_create(
            new_jobs,
            batch_size=500,
            update_conflicts=True,
            unique_fields=("source", "external_id"),
            update_fields=_CONTENT_FIELDS,
        )
        if changed_jobs:
            Job.objects.bulk_update(changed_jobs, _CONTENT_FIELDS, batch_size=200)
        if unchanged_ids:
            Job.objects.filter(pk__in=unchanged_ids).update(last_seen_at=now)

        result.created_ids = [job.pk for job in new_jobs]
        result.updated_ids = [job.pk for job in changed_jobs]
        result.unchanged = len(unchanged_ids)
        result.reposts = _group_reposts(new_jobs, now=now)
        search_words_add(drafts=touched_drafts)

        touched = result.created_ids + result.updated_ids
        if touched and enrich:
            transaction.on_commit(lambda: enrichment_enqueue(job_ids=touched))
            transaction.on_commit(lambda: jobs_cache_invalidate(job_ids=result.updated_ids))
    return result


def search_words_add(*, drafts: Sequence[JobDraft]) -> None:
    """Add the words of titles, companies and tags to the search vocabulary."""
    words: set[str] = set()
    for draft in drafts:
        words |= search_words(" ".join((draft.position, draft.company, *draft.tags)))
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True
        )


def _existing_rows(drafts: Sequence[JobDraft]) -> dict[tuple[str, str], tuple[int, str]]:
    by_source: dict[str, list[str]] = {}
    for draft in drafts:
        by_source.setdefault(draft.source, []).append(draft.external_id)
    condition = Q()
    for source, external_ids in by_source.items():
        condition |= Q(source=source, external_id__in=external_ids)
    rows = Job.objects.filter(condition).values_list("source", "external_id", "pk", "content_hash")
    return {(source, ext): (pk, digest) for source, ext, pk, digest in rows}


def _job_from_draft(
    draft: JobDraft, companies: dict[str, Company], digest: str, now: datetime, *, pk: int | None
) -> Job:
    company = companies[company_normalize(draft.company)]
    return Job(
        pk=pk,
        source=draft.source,
        external_id=draft.external_id,
        url=draft.url,
        apply_url=draft.apply_url,
        company=company,
        company_name=company.name,
        position=draft.position,
        normalized_title=title_normalize(draft.position),
        location=draft.location,
        remote_policy=draft.remote_policy,
        tags=list(draft.tags),
        salary_min=draft.salary_min,
        salary_max=draft.salary_max,
        salary_currency=draft.salary_currency,
        description_text=draft.description_text,
        description_html=draft.description_html,
        posted_at=draft.posted_at,
        first_seen_at=now,
        last_seen_at=now,
        content_hash=digest,
    )


def _group_reposts(new_jobs: Sequence[Job], *, now: datetime) -> int:
    """Point reposts at the first posting of their group (same company, same title).

    A group is the postings of one company with one normalized title whose dates lie within
    ``JOB_REPOST_WINDOW_DAYS`` of each other, from any source. Postings of an unknown
    company are never grouped: an empty name says nothing about sameness.
    """
    window = timedelta(days=settings.JOB_REPOST_WINDOW_DAYS)
    keyed = [j for j in new_jobs if j.company.normalized_name and j.normalized_title]
    if not keyed:
        return 0
    company_ids = {j.company_id for j in keyed}
    titles = {j.normalized_title for j in keyed}
    earliest = min(j.posted_at for j in keyed) - window
    new_ids = {j.pk for j in keyed}
    candidates = (
        Job.objects.filter(
            company_id__in=company_ids,
            normalized_title__in=titles,
            duplicate_of__isnull=True,
            posted_at__gte=earliest,
        )
        .exclude(status=Job.Status.HIDDEN)
        .order_by("posted_at", "pk")
        .values_list("pk", "company_id", "normalized_title", "posted_at")
    )
    firsts: dict[tuple[int, str], list[tuple[int, datetime]]] = {}
    for pk, company_id, title, posted_at in candidates:
        firsts.setdefault((company_id, title), []).append((pk, posted_at))

    reposts: list[Job] = []
    for job in sorted(keyed, key=lambda j: (j.posted_at, j.pk)):
        group = firsts.get((job.company_id, job.normalized_title), [])
        original = next(
            (
                pk
                for pk, posted_at in group
                if pk != job.pk
                and abs(posted_at - job.posted_at) <= window
                and (pk not in new_ids or (posted_at, pk) < (job.posted_at, job.pk))
            ),
            None,
        )
        if original is not None:
            job.duplicate_of_id = original
            reposts.append(job)
    if reposts:
        Job.objects.bulk_update(reposts, ["duplicate_of"], batch_size=500)
    return len(reposts)
