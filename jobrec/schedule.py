"""jobrec's default periodic tasks, kept in django-celery-beat's tables so staff can edit them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask


@dataclass(frozen=True)
class DefaultTask:
    name: str
    task: str
    every_minutes: int
    kwargs: dict[str, Any] = field(default_factory=dict)


def default_tasks() -> list[DefaultTask]:
    from django.conf import settings

    return [
        DefaultTask(
            name="Scrape RemoteOK",
            task="jobs.tasks.scrape_source_task",
            every_minutes=settings.SCRAPE_INTERVAL_MINUTES,
            kwargs={"source": "remoteok"},
        ),
        DefaultTask(
            name="Expire stale jobs", task="jobs.tasks.expire_jobs_task", every_minutes=360
        ),
        DefaultTask(
            name="Retry failed enrichments",
            task="jobs.tasks.retry_failed_enrichments_task",
            every_minutes=15,
        ),
        DefaultTask(
            name="Refresh recommendations",
            task="recommendations.tasks.refresh_recommendations_task",
            every_minutes=15,
        ),
        DefaultTask(
            name="Fail stuck resumes",
            task="accounts.tasks.fail_stuck_resumes_task",
            every_minutes=10,
        ),
    ]


def periodic_tasks_ensure(tasks: list[DefaultTask] | None = None) -> list[str]:
    """Create the missing default tasks; return the names created."""
    created: list[str] = []
    with transaction.atomic():
        for spec in default_tasks() if tasks is None else tasks:
            if PeriodicTask.objects.filter(name=spec.name).exists():
                continue
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=spec.every_minutes, period=IntervalSchedule.MINUTES
            )
            PeriodicTask.objects.create(
                name=spec.name, task=spec.task, interval=interval, kwargs=json.dumps(spec.kwargs)
            )
            created.append(spec.name)
    return created
