#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobrec.settings")
    from django.core.management import execute_from_command_line

    from jobrec.embedded import EmbeddedServiceError

    try:
        execute_from_command_line(sys.argv)
    except EmbeddedServiceError as exc:
        # A port in use, a stale or foreign data directory: say so plainly, no traceback.
        sys.exit(f"jobrec: {exc}")


if __name__ == "__main__":
    main()
