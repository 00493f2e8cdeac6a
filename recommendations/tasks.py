"""Celery tasks for recommendations: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from recommendations.services import recommendations_refresh_stale


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=30, max_retries=3)
def refresh_recommendations_task() -> int:
    # Idempotent: a second run finds the lists it refreshed fresh and skips them.
    return recommendations_refresh_stale()
