"""Write a development .env: DEBUG on and a fresh random SECRET_KEY. Never overwrites one."""

import secrets
from pathlib import Path

path = Path(__file__).resolve().parent.parent / ".env"
if not path.exists():
    path.write_text(
        "# Development settings written by `make run`; see the README for every variable.\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    print(f"wrote {path} (development settings)")
