"""Scrapes through the real RemoteOK client against a local server speaking its format."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from jobrec.celery import app as celery_app
from jobs.models import Job, ScrapeRun
from jobs.sources.base import InvalidPayloadError, SourceFetchError
from jobs.tasks import scrape_source_task
from tests.fakes.remoteok_server import FakeRemoteOKServer

REMOTEOK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
FEED_2024 = REMOTEOK / "remoteok-2024-12-04.json"


@pytest.fixture
def feed(remoteok_server: FakeRemoteOKServer, settings: SettingsWrapper) -> FakeRemoteOKServer:
    settings.REMOTEOK_API_URL = remoteok_server.url
    settings.HTTP_RETRIES = 2
    settings.HTTP_BACKOFF_S = 0.01
    settings.HTTP_TIMEOUT_S = 1.0
    return remoteok_server


def scrape() -> str:
    out = StringIO()
    call_command("scrape_jobs", stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Job.objects.order_by("pk").values_list("pk", "content_hash", "status", "last_seen_at")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "created", "rejected", "status"),
    [
        ("remoteok-2017-05-legacy-format.json", 289, 0, "succeeded"),
        ("remoteok-2021-01.json", 276, 0, "succeeded"),
        ("remoteok-2021-03-sample-string-epoch.json", 3, 0, "succeeded"),
        ("remoteok-2024-12-04.json", 97, 1, "partial"),
    ],
)
def test_scrape_of_each_era_records_exact_counts(
    feed: FakeRemoteOKServer, name: str, created: int, rejected: int, status: str
) -> None:
    feed.enqueue_file(REMOTEOK / name)
    out = scrape()
    run = ScrapeRun.objects.get()
    assert (run.status, run.fetched, run.created, run.updated, run.unchanged, run.rejected) == (
        status,
        created + rejected,
        created,
        0,
        0,
        rejected,
    )
    assert f"fetched {created + rejected}, created {created}" in out
    assert Job.objects.count() == created
    request = feed.requests[0]
    assert request.headers["user-agent"].startswith("jobrec/")
    assert request.headers["accept"] == "application/json"


@pytest.mark.django_db
def test_conditional_request_and_unchanged_feed(feed: FakeRemoteOKServer) -> None:
    feed.enqueue_file(FEED_2024, etag='"v1"')
    scrape()
    before = snapshot()
    feed.enqueue_file(FEED_2024, etag='"v1"')  # same validator: the server answers 304
    out = scrape()
    assert "not modified since the last run" in out
    assert feed.requests[1].headers["if-none-match"] == '"v1"'
    latest = ScrapeRun.objects.order_by("-started_at").first()
    assert latest is not None and latest.not_modified and latest.status == "succeeded"
    assert snapshot() == before

    feed.enqueue_file(FEED_2024, etag='"v2"')
    scrape()
    latest = ScrapeRun.objects.order_by("-started_at").first()
    assert latest is not None and (latest.created, latest.unchanged) == (0, 97)
    assert all(a[:3] == b[:3] for a, b in zip(before, snapshot(), strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("programme", "reason"),
    [
        ({"status": 500, "times": 3}, "500"),
        ({"status": 429, "headers": {"Retry-After": "0"}, "times": 3}, "429"),
        ({"delay": 2.5, "times": 3}, "timed out"),
        ({"body": "<html><body>Checking your browser</body></html>"}, "HTML instead of JSON"),
        ({"body": b"[]"}, "no job postings"),
        ({"body": b'[{"legal": "x"}, {"id": "1", "position": "Dev'}, "truncated JSON"),
        ({"body": b'{"error": "oops"}'}, "array"),
    ],
)
def test_failures_end_the_run_as_failed_and_change_nothing(
    feed: FakeRemoteOKServer, programme: dict[str, object], reason: str
) -> None:
    feed.enqueue_file(FEED_2024)
    scrape()
    before = snapshot()
    feed.enqueue(**programme)  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="scrape failed"):
        scrape()
    run = ScrapeRun.objects.order_by("-started_at").first()
    assert run is not None
    assert run.status == "failed"
    assert reason.lower() in run.error.lower()
    assert run.finished_at is not None
    assert snapshot() == before


@pytest.mark.django_db
def test_jobs_missing_ids_make_a_partial_run(feed: FakeRemoteOKServer) -> None:
    feed.enqueue(
        body=[
            {"legal": "API terms"},
            {
                "id": "1",
                "position": "Go Developer",
                "url": "https://remoteok.com/1",
                "epoch": 1733260504,
            },
            {"position": "No id", "url": "https://remoteok.com/2", "epoch": 1733260504},
            {
                "id": "",
                "position": "Empty id",
                "url": "https://remoteok.com/3",
                "epoch": 1733260504,
            },
        ]
    )
    out = scrape()
    run = ScrapeRun.objects.get()
    assert (run.status, run.fetched, run.created, run.rejected) == ("partial", 3, 1, 2)
    assert "missing id" in run.error
    assert "missing id" in out


@pytest.fixture
def eager_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    # With propagation on, eager Celery raises Retry instead of running the retry.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_retries")
def test_task_retries_transient_failures_then_succeeds(feed: FakeRemoteOKServer) -> None:
    # One task attempt makes up to 3 requests (2 HTTP retries); the first attempt fails,
    # the task retries itself (eagerly in tests) and the second attempt gets the feed.
    feed.enqueue(status=503, times=3)
    feed.enqueue_file(FEED_2024)
    result = scrape_source_task.delay(source="remoteok")
    assert result.successful()
    runs = list(ScrapeRun.objects.order_by("started_at").values_list("status", "created"))
    assert runs == [("failed", 0), ("partial", 97)]
    assert result.result == ScrapeRun.objects.get(status="partial").pk


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_retries")
def test_task_gives_up_after_bounded_retries(feed: FakeRemoteOKServer) -> None:
    feed.enqueue(status=503, times=3 * 4)
    result = scrape_source_task.delay(source="remoteok")
    assert result.failed()
    assert isinstance(result.result, SourceFetchError)
    assert ScrapeRun.objects.filter(status="failed").count() == 4  # first try + 3 retries
    assert feed.pending == 0


@pytest.mark.django_db
def test_a_payload_that_is_no_feed_is_not_retried(feed: FakeRemoteOKServer) -> None:
    feed.enqueue(body="<html>maintenance</html>")
    with pytest.raises(InvalidPayloadError):
        scrape_source_task.delay(source="remoteok")
    assert ScrapeRun.objects.count() == 1
