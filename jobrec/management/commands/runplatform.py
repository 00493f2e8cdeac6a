"""Run the whole platform in one terminal: web, celery worker and celery beat.

Prepares the database first (migrations, periodic tasks, a development superuser), then runs
the ``Procfile`` with honcho so the three logs are interleaved and prefixed. Ctrl-C stops all
of them, and then the embedded PostgreSQL and Redis if this command was the one keeping them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import superuser_ensure
from jobrec import embedded


class Command(BaseCommand):
    help = "Run web server, celery worker and celery beat together (development)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("JOBREC_WEB_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("JOBREC_WEB_PORT", "8000"))
        )
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Migrate and create the development superuser, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        uses_embedded = not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL")
        if uses_embedded:
            embedded.hold()
        try:
            self._prepare()
            if not options["prepare_only"]:
                self._run(host=options["host"], port=options["port"])
        finally:
            if uses_embedded:
                embedded.release()

    def _prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=1)
        call_command("setup_periodic_tasks")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        user, password = superuser_ensure(email=settings.DEV_SUPERUSER_EMAIL)
        if password:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created development superuser {user.email} with password {password} "
                    "(change it in the admin)."
                )
            )

    def _run(self, *, host: str, port: int) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if sock.connect_ex((host, port)) == 0:
                raise CommandError(
                    f"port {port} on {host} is already in use (is jobrec already running?). "
                    "Stop the other server or pass --port / set JOBREC_WEB_PORT."
                )
        honcho = shutil.which("honcho", path=str(Path(sys.executable).parent)) or "honcho"
        env = {
            **os.environ,
            # The children connect to the servers this process prepared, without each one
            # checking ./var again.
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            "JOBREC_WEB_HOST": host,
            "JOBREC_WEB_PORT": str(port),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"jobrec is starting at http://{host}:{port}/ "
                f"(admin: /admin/, API: /api/, docs: /api/docs/, health: /healthz). Ctrl-C stops."
            )
        )
        process = subprocess.Popen(  # noqa: S603 - our own Procfile
            [honcho, "-f", str(Path(settings.BASE_DIR) / "Procfile"), "start"],
            env=env,
            cwd=settings.BASE_DIR,
        )
        try:
            process.wait()
        except KeyboardInterrupt:
            # The terminal sent SIGINT to honcho too; let it stop its children cleanly.
            process.send_signal(signal.SIGINT)
            process.wait()
