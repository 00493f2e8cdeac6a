"""A throw-away benchmark database on the configured (or embedded) PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def server_url() -> str:
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return configured
    return _embedded_held().postgres_url()


def _embedded_held():  # type: ignore[no-untyped-def]
    """The embedded servers, held for this process: a test run that ends meanwhile must not
    stop them under a running benchmark."""
    import atexit

    from jobrec import embedded

    if not getattr(_embedded_held, "done", False):
        embedded.hold()
        atexit.register(embedded.release)
        _embedded_held.done = True  # type: ignore[attr-defined]
    return embedded


def bench_database_url(name: str = "jobrec_bench") -> str:
    return urlsplit(server_url())._replace(path=f"/{name}").geturl()


def recreate(name: str = "jobrec_bench") -> str:
    """Drop and create the benchmark database, then migrate it. Returns its URL."""
    import psycopg

    admin = urlsplit(server_url())._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = bench_database_url(name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=bench_env(url), check=True
    )
    return url


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "benchmark-only")
    env.setdefault("DEBUG", "0")
    env["DATABASE_URL"] = database_url
    if "REDIS_URL" not in env:
        env["REDIS_URL"] = _embedded_held().redis_url()
    return env


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {system}"


def start_worker(env: dict[str, str], *, concurrency: int) -> subprocess.Popen[bytes]:
    """A real celery worker (prefork) on the benchmark's database and broker, in its own
    process group so that ``os.killpg`` stops it and its children together."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jobrec",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
