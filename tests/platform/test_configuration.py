"""Settings from the environment: production checks, clear start-up errors, compose file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL, PYTHONPATH=str(ROOT)
    )
    env.update(overrides)
    return env


def test_check_deploy_passes_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(
            DEBUG="0",
            SECRET_KEY="k2#Jx9!vQm7$Lp4@Wz8&Rt5*Yn3^Hb6(Cd1)Ef0-Gs2+Ua7=Ib9",
            ALLOWED_HOSTS="jobs.example.com",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_is_a_clear_startup_error() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="0", SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="1", DATABASE_URL="sqlite:///tmp/x.db"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "jobrec needs PostgreSQL" in result.stderr


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose is not installed (`make test` installs it with apt on Debian)",
)
def test_docker_compose_file_is_valid_and_has_the_five_services(tmp_path: Path) -> None:
    # An empty env file instead of the checkout's .env (which `make run` writes with a
    # SECRET_KEY): only what each call passes is what compose sees.
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    compose = ["docker-compose", "--env-file", str(env_file), "-f", "docker-compose.yml"]
    result = subprocess.run(
        [*compose, "config"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for service in ("db:", "redis:", "web:", "worker:", "beat:"):
        assert f"\n  {service}" in result.stdout
    assert "pgvector/pgvector" in result.stdout
    assert "gunicorn jobrec.wsgi:application" in result.stdout
    # Without a SECRET_KEY compose refuses to start, with a message that says why.
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    missing = subprocess.run(
        [*compose, "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode != 0
    assert "set SECRET_KEY" in missing.stderr
