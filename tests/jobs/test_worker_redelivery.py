"""A real celery worker killed in the middle of enrichment: after redelivery the job is
enriched exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from jobrec.celery import app as celery_app
from jobs.models import Enrichment, ProviderUsage
from jobs.tasks import enrich_jobs_task
from tests.factories import job_draft, make_jobs
from tests.fakes.gemini_server import FakeGeminiServer

ROOT = Path(__file__).resolve().parents[2]
# A broker database of its own, so a running `make run` never sees these messages.
BROKER_DB = 13


def _broker_url() -> str:
    return urlsplit(settings.REDIS_URL)._replace(path=f"/{BROKER_DB}").geturl()


def _worker_env(gemini: FakeGeminiServer) -> dict[str, str]:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="jobrec.settings",
        SECRET_KEY="worker-test",
        DATABASE_URL=database_url,
        REDIS_URL=_broker_url(),
        CACHE_URL=urlsplit(settings.REDIS_URL)._replace(path="/15").geturl(),
        CELERY_VISIBILITY_TIMEOUT_S="3",
        CELERY_UNACKED_RESTORE_INTERVAL_S="1",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
        LLM_PROVIDER="gemini",
        GEMINI_API_KEY="test-gemini-key",
        GEMINI_BASE_URL=gemini.base_url,
        LLM_TIMEOUT_S="20",
        LLM_MAX_RETRIES="0",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    return env


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jobrec",
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition: object, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_killed_worker_mid_enrichment_leaves_the_job_enriched_exactly_once(
    gemini_server: FakeGeminiServer,
    workers: list[subprocess.Popen[bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This test is about a real broker and real workers: no eager execution.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    (job,) = make_jobs(job_draft(position="Senior Go Engineer", description_text="Go and gRPC."))
    log = tmp_path / "worker.log"
    env = _worker_env(gemini_server)
    # The first extraction hangs long enough to kill the worker in the middle of it.
    gemini_server.enqueue_timeout(15.0)

    with celery_app.connection_for_write(_broker_url()) as conn:
        conn.default_channel.client.flushdb()
        enrich_jobs_task.apply_async(kwargs={"job_ids": [job.pk]}, connection=conn)

    first = _start_worker(env, log)
    workers.append(first)
    _wait(lambda: gemini_server.calls("generateContent"), 60, "the first extraction call", log)
    os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown, no ack: as a crash or OOM kill
    first.wait(timeout=10)
    assert not Enrichment.objects.filter(job=job).exists()

    second = _start_worker(env, log)
    workers.append(second)
    _wait(
        lambda: Enrichment.objects.filter(job=job, status="done").exists(),
        90,
        "the redelivered task to enrich the job",
        log,
    )
    time.sleep(1)  # anything running a second time would show up now
    enrichment = Enrichment.objects.get(job=job)
    assert (enrichment.provider, enrichment.llm_calls) == ("gemini", 1)
    assert enrichment.input_hash == job.content_hash
    # Two calls reached the "model" (the interrupted one and the redelivered one); one
    # enrichment was stored and counted.
    assert len(gemini_server.calls("generateContent")) == 2
    assert ProviderUsage.objects.get(provider="gemini").calls == 1
