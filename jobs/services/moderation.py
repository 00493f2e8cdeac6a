"""Staff moderation of jobs, and expiry. Every moderation action is recorded."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from jobs.cache import jobs_cache_invalidate
from jobs.models import Job, ModerationEvent
from jobs.services.enrichment import enrichment_enqueue

_TARGET_STATUS = {
    ModerationEvent.Action.HIDE: Job.Status.HIDDEN,
    ModerationEvent.Action.FLAG: Job.Status.FLAGGED,
    ModerationEvent.Action.UNHIDE: Job.Status.ACTIVE,
}


class ModerationError(ValueError):
    pass


def job_moderate(*, jobs: Iterable[Job], action: str, actor: User | None, reason: str = "") -> int:
    """Hide, flag, unhide or re-enrich jobs; record one event per job. Returns the count.

    Hiding or flagging needs a reason, so the next moderator knows why.
    """
    action = ModerationEvent.Action(action)
    reason = reason.strip()
    if action in (ModerationEvent.Action.HIDE, ModerationEvent.Action.FLAG) and not reason:
        raise ModerationError(f"a reason is required to {action.label.lower()} a job")
    jobs = list(jobs)
    with transaction.atomic():
        events = []
        for job in jobs:
            events.append(
                ModerationEvent(
                    job=job, actor=actor, action=action, reason=reason, previous_status=job.status
                )
            )
            if action in _TARGET_STATUS:
                job.status = _TARGET_STATUS[action]
                job.moderation_reason = "" if action == ModerationEvent.Action.UNHIDE else reason
        ModerationEvent.objects.bulk_create(events)
        ids = [job.pk for job in jobs]
        if action in _TARGET_STATUS:
            Job.objects.bulk_update(jobs, ["status", "moderation_reason"])
        else:
            transaction.on_commit(lambda: enrichment_enqueue(job_ids=ids, force=True))
        transaction.on_commit(lambda: jobs_cache_invalidate(job_ids=ids))
    return len(jobs)


def job_expire_stale(*, now: datetime | None = None, max_age_days: int | None = None) -> int:
    """Expire active jobs neither posted nor seen in the feed for ``max_age_days``.

    Feeds list only their newest postings, so a job missing from one run is not gone;
    one that nobody has posted or listed for weeks is.
    """
    now = now or timezone.now()
    days = settings.JOB_EXPIRY_DAYS if max_age_days is None else max_age_days
    if days <= 0:
        return 0
    cutoff = now - timedelta(days=days)
    with transaction.atomic():
        ids = list(
            Job.objects.filter(
                status=Job.Status.ACTIVE, last_seen_at__lt=cutoff, posted_at__lt=cutoff
            ).values_list("pk", flat=True)
        )
        Job.objects.filter(pk__in=ids).update(status=Job.Status.EXPIRED)
        if ids:
            transaction.on_commit(lambda: jobs_cache_invalidate(job_ids=ids))
    return len(ids)
