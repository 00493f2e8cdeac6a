"""Celery tasks for the corpus: thin wrappers that call services.

Tasks are acknowledged late and may be delivered twice; each one is idempotent (a second
scrape finds everything unchanged, a second expiry finds nothing to expire).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from jobs.services.enrichment import (
    enrichment_enqueue,
    enrichment_retry_due,
    jobs_enrich_configured,
)
from jobs.services.moderation import job_expire_stale
from jobs.services.scraping import scrape_run_execute, source_build
from jobs.sources.base import SourceFetchError


@shared_task(
    bind=True,
    acks_late=True,
    # Network trouble and upstream 429/5xx are worth retrying later; a payload that is not
    # a feed at all (InvalidPayloadError) is not, so it is not listed.
    autoretry_for=(SourceFetchError,),
    retry_backoff=60,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=3,
)
def scrape_source_task(self: object, source: str = "remoteok") -> int:
    run = scrape_run_execute(source=source_build(name=source))
    return run.pk


@shared_task(acks_late=True)
def expire_jobs_task() -> int:
    return job_expire_stale()


@shared_task(
    acks_late=True,
    # Provider failures fall back to the local provider inside the service; what is left to
    # retry is the database going away mid-task.
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    max_retries=5,
)
def enrich_jobs_task(job_ids: list[int], force: bool = False) -> dict[str, int]:
    report = jobs_enrich_configured(job_ids=job_ids, force=force)
    return {
        "enriched": len(report.enriched),
        "skipped": report.skipped,
        "failed": len(report.failed),
        "fallbacks": report.fallbacks,
    }


@shared_task(acks_late=True)
def retry_failed_enrichments_task() -> int:
    job_ids = enrichment_retry_due()
    enrichment_enqueue(job_ids=job_ids, force=True)
    return len(job_ids)
