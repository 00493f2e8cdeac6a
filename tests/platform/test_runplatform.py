"""The run command, end to end: fresh ./var, all three processes, /healthz, Ctrl-C stops all."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from jobrec import embedded

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_runplatform_serves_healthz_and_ctrl_c_stops_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "var"
    web_port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        JOBREC_VAR_DIR=str(var),
        EMBEDDED_POSTGRES_PORT=str(_free_port()),
        EMBEDDED_REDIS_PORT=str(_free_port()),
        DEBUG="1",
        SECRET_KEY="runplatform-test",
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runplatform", "--port", str(web_port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, like a terminal's
        )
    try:
        deadline = time.monotonic() + 90
        status, body = 0, dict[str, str]()
        while time.monotonic() < deadline:
            try:
                status, body = _get_json(f"http://127.0.0.1:{web_port}/healthz")
            except (urllib.error.URLError, ConnectionError, OSError):
                status = 0
            if status == 200:
                break
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.5)
        assert status == 200, log_path.read_text()
        assert body == {"database": "ok", "redis": "ok", "status": "ok"}
        # Give the worker and beat a moment to log that they are up.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = log_path.read_text()
            if "celery@" in text and "beat: Starting" in text:
                break
            time.sleep(0.5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise

    output = log_path.read_text()
    assert "Created development superuser admin@example.com with password" in output
    for prefix in ("web.1", "worker.1", "beat.1"):
        assert prefix in output, output
    assert "embedded PostgreSQL 18 listening on 127.0.0.1:" in output
    assert "embedded PostgreSQL stopped" in output
    assert "embedded Redis stopped" in output
    monkeypatch.setenv("JOBREC_VAR_DIR", str(var))
    assert embedded.status() == {"postgres": "stopped", "redis": "stopped"}
