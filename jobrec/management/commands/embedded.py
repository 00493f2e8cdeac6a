"""Inspect or stop the embedded PostgreSQL and Redis under ./var."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jobrec import embedded


class Command(BaseCommand):
    help = "Show the status of the embedded PostgreSQL and Redis, or stop them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "stop":
            stopped = embedded.stop_all()
            self.stdout.write("stopped" if stopped else "nothing was running")
            return
        for name, state in embedded.status().items():
            self.stdout.write(f"{name}: {state}")
