"""The embedded PostgreSQL and Redis under ./var: started once, clear errors, clean stops.

These use a temporary var directory and their own ports, so they never touch the servers
the rest of the suite runs on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobrec import embedded

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("JOBREC_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("EMBEDDED_POSTGRES_PORT", str(_free_port()))
    monkeypatch.setenv("EMBEDDED_REDIS_PORT", str(_free_port()))
    yield tmp_path / "var"
    embedded.stop_all()


def test_a_port_in_use_is_a_clear_error(var: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        server = embedded.EmbeddedRedis(data_dir=var / "redis", port=port)
        with pytest.raises(embedded.EmbeddedServiceError, match=f"port {port} .* is used by"):
            server.ensure()
        pg = embedded.EmbeddedPostgres(data_dir=var / "postgres" / "data", port=port)
        with pytest.raises(embedded.EmbeddedServiceError, match="EMBEDDED_POSTGRES_PORT"):
            pg.ensure()


def test_a_data_directory_from_an_older_postgresql_is_refused(var: Path) -> None:
    data = var / "postgres" / "data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("16\n")
    with pytest.raises(embedded.EmbeddedServiceError, match="holds a PostgreSQL 16 cluster"):
        embedded.postgres().ensure()
    assert (data / "PG_VERSION").read_text() == "16\n"  # untouched


def test_a_foreign_non_empty_directory_is_refused(var: Path) -> None:
    data = var / "postgres" / "data"
    data.mkdir(parents=True)
    (data / "notes.txt").write_text("mine")
    with pytest.raises(embedded.EmbeddedServiceError, match="not a PostgreSQL data directory"):
        embedded.postgres().ensure()
    assert (data / "notes.txt").read_text() == "mine"


def test_two_processes_start_one_server_and_a_stale_pid_file_is_recovered(var: Path) -> None:
    code = "from jobrec import embedded; print(embedded.postgres_url(), embedded.redis_url())"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in starters]
    assert all(p.returncode == 0 for p in starters), outputs
    urls = {out.decode().strip() for out, _ in outputs}
    assert len(urls) == 1, urls  # both got the same servers
    said = b"".join(err for _, err in outputs).decode()
    assert said.count("embedded PostgreSQL 18 listening on 127.0.0.1:") == 1
    assert said.count("embedded Redis listening on") == 1

    pg_pid, _ = embedded.postgres().running() or (0, 0)
    assert pg_pid > 0
    # Kill it the hard way, as a power cut would, and start again.
    os.kill(pg_pid, 9)
    subprocess.run(["sleep", "0.5"], check=True)
    pid_file = var / "postgres" / "data" / "postmaster.pid"
    assert pid_file.exists()
    url = embedded.postgres_url()
    assert url == urls.pop().split()[0]
    new_pid, _ = embedded.postgres().running() or (0, 0)
    assert new_pid not in (0, pg_pid)

    assert embedded.stop_all() is True
    assert embedded.status() == {"postgres": "stopped", "redis": "stopped"}
    assert not pid_file.exists()


def test_holders_keep_servers_up_until_the_last_one_releases(var: Path) -> None:
    embedded.postgres_url()
    embedded.redis_url()
    embedded.hold()
    # A second holder that is still alive (this test's parent process).
    (var / "run" / "holders" / str(os.getppid())).touch()
    assert embedded.release() is False
    assert embedded.status()["postgres"].startswith("running")
    (var / "run" / "holders" / str(os.getppid())).unlink()
    # A holder whose process is gone does not count.
    (var / "run" / "holders" / "999999").touch()
    embedded.hold()
    assert embedded.release() is True
    assert embedded.status() == {"postgres": "stopped", "redis": "stopped"}
