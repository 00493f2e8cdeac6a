"""Scrape runs: fetch a source, parse, upsert, and record what happened."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobrec.http import HttpClient
from jobs.models import ScrapeRun
from jobs.services.upsert import UpsertResult, job_upsert_many
from jobs.sources.base import JobSource, ParseResult, SourceError
from jobs.sources.remoteok.client import RemoteOKSource

logger = logging.getLogger(__name__)
UPSERT_BATCH = 500
MAX_ERROR_LINES = 20


def http_client_build() -> HttpClient:
    """The project's outbound HTTP client, configured from settings."""
    return HttpClient(
        user_agent=settings.HTTP_USER_AGENT,
        connect_timeout=min(10.0, settings.HTTP_TIMEOUT_S),
        read_timeout=settings.HTTP_TIMEOUT_S,
        max_retries=settings.HTTP_RETRIES,
        backoff_factor=settings.HTTP_BACKOFF_S,
    )


SOURCES: dict[str, Callable[[HttpClient], JobSource]] = {
    "remoteok": lambda http: RemoteOKSource(http, api_url=settings.REMOTEOK_API_URL),
}


def source_build(*, name: str, http: HttpClient | None = None) -> JobSource:
    try:
        factory = SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}") from None
    return factory(http or http_client_build())


def scrape_run_execute(*, source: JobSource) -> ScrapeRun:
    """Run one scrape of ``source`` and return its finished ScrapeRun.

    The run is recorded whatever happens. A failed fetch or an unusable payload ends the run
    as ``failed`` with the reason and changes no stored job; the error is re-raised so the
    caller (a celery task) can decide to retry. Rejected postings make the run ``partial``.
    """
    run = ScrapeRun.objects.create(source=source.name, started_at=timezone.now())
    previous = (
        ScrapeRun.objects.filter(
            source=source.name, status__in=[ScrapeRun.Status.SUCCEEDED, ScrapeRun.Status.PARTIAL]
        )
        .exclude(pk=run.pk)
        .exclude(etag="", last_modified="")
        .order_by("-started_at")
        .first()
    )
    etag = (previous.etag or None) if previous else None
    last_modified = (previous.last_modified or None) if previous else None
    try:
        fetched = source.fetch(etag=etag, last_modified=last_modified)
        if fetched.not_modified:
            assert previous is not None
            run.not_modified = True
            run.etag, run.last_modified = previous.etag, previous.last_modified
            return _finish(run, status=ScrapeRun.Status.SUCCEEDED)
        parsed = source.parse(fetched.body)
    except SourceError as exc:
        run.error = str(exc)
        _finish(run, status=ScrapeRun.Status.FAILED)
        raise
    run.etag, run.last_modified = fetched.etag or "", fetched.last_modified or ""
    return _store(run, parsed)


def _store(run: ScrapeRun, parsed: ParseResult) -> ScrapeRun:
    run.fetched = len(parsed.drafts) + len(parsed.rejected)
    run.rejected = len(parsed.rejected)
    errors = [f"element {r.index} (id {r.external_id or '?'}): {r.reason}" for r in parsed.rejected]
    if not parsed.drafts and not parsed.rejected:
        # RemoteOK always lists jobs; an empty feed is an upstream fault, not "no jobs".
        run.error = "the feed contained no job postings; nothing was changed"
        return _finish(run, status=ScrapeRun.Status.FAILED)
    total = UpsertResult()
    try:
        with transaction.atomic():
            for start in range(0, len(parsed.drafts), UPSERT_BATCH):
                total.add(
                    job_upsert_many(
                        drafts=parsed.drafts[start : start + UPSERT_BATCH], seen_at=run.started_at
                    )
                )
    except Exception as exc:
        run.error = f"storing postings failed, nothing was changed: {exc}"
        _finish(run, status=ScrapeRun.Status.FAILED)
        raise
    run.created, run.updated, run.unchanged = total.created, total.updated, total.unchanged
    if errors:
        more = len(errors) - MAX_ERROR_LINES
        run.error = "\n".join(errors[:MAX_ERROR_LINES]) + (
            f"\n... and {more} more" if more > 0 else ""
        )
    status = ScrapeRun.Status.PARTIAL if parsed.rejected else ScrapeRun.Status.SUCCEEDED
    if not parsed.drafts:
        status = ScrapeRun.Status.FAILED
    return _finish(run, status=status)


def _finish(run: ScrapeRun, *, status: str) -> ScrapeRun:
    run.status = status
    run.finished_at = timezone.now()
    run.save()
    logger.info(
        "scrape %s %s: fetched=%d created=%d updated=%d unchanged=%d rejected=%d",
        run.source,
        run.status,
        run.fetched,
        run.created,
        run.updated,
        run.unchanged,
        run.rejected,
    )
    return run
