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


# Later issues append to this list (scrape every 30 minutes, expiry, enrichment retries).
DEFAULT_TASKS: list[DefaultTask] = []


def periodic_tasks_ensure(tasks: list[DefaultTask] | None = None) -> list[str]:
    """Create the missing default tasks; return the names created."""
    created: list[str] = []
    with transaction.atomic():
        for spec in DEFAULT_TASKS if tasks is None else tasks:
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
