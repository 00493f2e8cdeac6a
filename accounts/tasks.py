"""Celery tasks for resumes: thin wrappers that call services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError

from accounts.services.resumes import (
    STUCK_MESSAGE,
    resume_parse,
    resume_parse_fail,
    resumes_fail_stuck,
)

# The reader's child process has RESUME_PARSE_TIMEOUT_S; the soft limit leaves room for
# the profile, the embedding and the first list; the hard limit ends a task that ignored
# the soft one (the worker process is replaced, the worker itself carries on).
PARSE_SOFT_LIMIT_S = int(settings.RESUME_PARSE_TIMEOUT_S) + 30
PARSE_HARD_LIMIT_S = PARSE_SOFT_LIMIT_S + 15


@shared_task(
    acks_late=True,
    soft_time_limit=PARSE_SOFT_LIMIT_S,
    time_limit=PARSE_HARD_LIMIT_S,
    # The database going away, or the reader process failing to start (OSError): both
    # are the server's trouble and worth another try; a bad file fails inside the service.
    autoretry_for=(OperationalError, OSError),
    retry_backoff=10,
    max_retries=3,
)
def resume_parse_task(resume_id: int) -> str:
    try:
        return resume_parse(resume_id=resume_id).status
    except SoftTimeLimitExceeded:
        resume_parse_fail(resume_id=resume_id, message=STUCK_MESSAGE)
        return "failed"


@shared_task(acks_late=True)
def fail_stuck_resumes_task() -> int:
    return resumes_fail_stuck(older_than=timedelta(seconds=PARSE_HARD_LIMIT_S * 2))
