"""Create jobrec's default celery beat schedule (idempotent: existing entries are kept).

Staff change the schedule in the admin afterwards; this command never overwrites their edits.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jobrec.schedule import periodic_tasks_ensure


class Command(BaseCommand):
    help = "Create the default periodic tasks (scrape, expire, retries) if they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        created = periodic_tasks_ensure()
        if created:
            for name in created:
                self.stdout.write(f"created periodic task: {name}")
        else:
            self.stdout.write("periodic tasks already set up")
