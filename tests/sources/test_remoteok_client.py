"""RemoteOKSource end to end (fetch + parse) against the fake RemoteOK server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jobrec.http import HttpClient, HttpConnectionError, HttpStatusError, HttpTimeout
from jobs.sources import JobSource
from jobs.sources.base import PayloadNotJSONError, PayloadShapeError, SourceFetchError
from jobs.sources.remoteok import RemoteOKSource
from tests.fakes import remoteok_server as fake
from tests.fakes.remoteok_server import FakeRemoteOKServer

# Makes the fixture visible even under ``--noconftest``. An assignment rather than
# ``from ... import remoteok_server``: ruff reports an imported name that is shadowed
# by test parameters (F811), and ``pytest_plugins`` here would warn that the module
# cannot be assertion-rewritten once conftest.py has imported it.
remoteok_server = fake.remoteok_server

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
UA = "jobrec-tests/1.0 (+https://example.invalid/contact)"


@pytest.fixture
def http() -> Iterator[HttpClient]:
    client = HttpClient(
        user_agent=UA,
        connect_timeout=1.0,
        read_timeout=0.5,
        max_retries=2,
        backoff_factor=0.01,
        backoff_max=0.05,
        max_retry_after=0.2,
        trust_env=False,  # loopback tests must not go through an environment proxy
    )
    yield client
    client.close()


@pytest.fixture
def source(http: HttpClient, remoteok_server: FakeRemoteOKServer) -> RemoteOKSource:
    return RemoteOKSource(http, api_url=remoteok_server.url)


def test_source_implements_the_protocol(source: RemoteOKSource) -> None:
    assert isinstance(source, JobSource)
    typed: JobSource = source  # mypy checks structural compatibility here
    assert typed.name == "remoteok"


@pytest.mark.parametrize(
    ("name", "drafts", "rejected"),
    [
        ("remoteok-2024-12-04.json", 97, 1),
        ("remoteok-2021-01.json", 276, 0),
        ("remoteok-2021-03-sample-string-epoch.json", 3, 0),
        ("remoteok-2017-05-legacy-format.json", 289, 0),
    ],
)
def test_fetch_and_parse_each_real_file(
    source: RemoteOKSource,
    remoteok_server: FakeRemoteOKServer,
    name: str,
    drafts: int,
    rejected: int,
) -> None:
    path = DATA_DIR / name
    remoteok_server.enqueue_file(path, etag='W/"feed-1"')
    before = datetime.now(UTC)
    fetched = source.fetch()
    assert fetched.body == path.read_bytes()
    assert fetched.etag == 'W/"feed-1"'
    assert fetched.not_modified is False
    assert before - timedelta(seconds=1) <= fetched.fetched_at <= datetime.now(UTC)
    result = source.parse(fetched.body)
    assert (len(result.drafts), len(result.rejected)) == (drafts, rejected)
    (request,) = remoteok_server.requests
    assert request.path == "/api"
    assert request.headers["user-agent"] == UA
    assert request.headers["accept"] == "application/json"


def test_304_with_etag(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    path = DATA_DIR / "remoteok-2021-03-sample-string-epoch.json"
    remoteok_server.enqueue_file(path, etag='"v7"')
    remoteok_server.enqueue_file(path, etag='"v7"')
    first = source.fetch()
    second = source.fetch(etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified is True
    assert second.body == b""
    assert second.etag == '"v7"'
    assert remoteok_server.requests[1].headers["if-none-match"] == '"v7"'


def test_500_then_200_is_retried(
    source: RemoteOKSource, remoteok_server: FakeRemoteOKServer
) -> None:
    remoteok_server.enqueue(status=500, body=b"Internal Server Error")
    remoteok_server.enqueue_file(DATA_DIR / "remoteok-2021-03-sample-string-epoch.json")
    result = source.parse(source.fetch().body)
    assert len(result.drafts) == 3
    assert len(remoteok_server.requests) == 2


def test_429_with_retry_after(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=429, headers={"Retry-After": "60"}, body=b"slow down")
    remoteok_server.enqueue(body=[{"legal": "Terms"}])
    fetched = source.fetch()
    assert source.parse(fetched.body).notice == "Terms"
    first, second = remoteok_server.requests
    assert 0.18 <= second.received_at - first.received_at < 1.5  # capped at 0.2 s, not 60


def test_429_exhausted_becomes_source_fetch_error(
    source: RemoteOKSource, remoteok_server: FakeRemoteOKServer
) -> None:
    remoteok_server.enqueue(status=429, headers={"Retry-After": "60"}, times=3)
    with pytest.raises(SourceFetchError) as info:
        source.fetch()
    assert info.value.status == 429
    assert info.value.retry_after == 60.0
    assert isinstance(info.value.__cause__, HttpStatusError)
    assert len(remoteok_server.requests) == 3


def test_timeout(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(delay=3.0, body=b"[]", times=3)
    with pytest.raises(SourceFetchError) as info:
        source.fetch()
    assert isinstance(info.value.__cause__, HttpTimeout)
    assert info.value.status is None
    assert len(remoteok_server.requests) == 3


def test_html_instead_of_json(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    page = b"<!DOCTYPE html><html><title>Just a moment...</title></html>"
    remoteok_server.enqueue(body=page, headers={"Content-Type": "text/html"})
    fetched = source.fetch()  # a 200 is a successful fetch...
    with pytest.raises(PayloadNotJSONError, match="HTML instead of JSON") as info:
        source.parse(fetched.body)  # ...but not a RemoteOK response
    assert info.value.excerpt.startswith("<!DOCTYPE html>")


def test_json_object_instead_of_array(
    source: RemoteOKSource, remoteok_server: FakeRemoteOKServer
) -> None:
    remoteok_server.enqueue(body={"error": "API disabled"})
    with pytest.raises(PayloadShapeError):
        source.parse(source.fetch().body)


def test_empty_array(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"[]")
    result = source.parse(source.fetch().body)
    assert result.drafts == ()
    assert result.rejected == ()
    assert result.notice is None


def test_truncated_transfer(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    body = (DATA_DIR / "remoteok-2021-01.json").read_bytes()
    remoteok_server.enqueue(body=body, truncate_at=len(body) // 2)
    with pytest.raises(SourceFetchError) as info:
        source.fetch()
    assert isinstance(info.value.__cause__, HttpConnectionError)


def test_truncated_json_document(
    source: RemoteOKSource, remoteok_server: FakeRemoteOKServer
) -> None:
    # The transfer is complete but the document itself was cut (e.g. by a proxy).
    body = (DATA_DIR / "remoteok-2021-01.json").read_bytes()
    remoteok_server.enqueue(body=body[: len(body) // 2])
    with pytest.raises(PayloadNotJSONError, match="invalid or truncated JSON"):
        source.parse(source.fetch().body)


def test_jobs_with_missing_ids(source: RemoteOKSource, remoteok_server: FakeRemoteOKServer) -> None:
    jobs = json.loads((DATA_DIR / "remoteok-2024-12-04.json").read_bytes())
    jobs[1].pop("id")
    jobs[2]["id"] = ""
    jobs[3]["id"] = None
    remoteok_server.enqueue(body=jobs)
    result = source.parse(source.fetch().body)
    assert len(result.drafts) == 97 - 3
    assert [(r.index, r.reason) for r in result.rejected] == [
        (1, "missing id"),
        (2, "missing id"),
        (3, "missing id"),
        (56, "missing position"),
    ]


def test_server_error_after_retries(
    source: RemoteOKSource, remoteok_server: FakeRemoteOKServer
) -> None:
    remoteok_server.enqueue(status=502, body=b"<html>Bad Gateway</html>", times=3)
    with pytest.raises(SourceFetchError, match="502") as info:
        source.fetch()
    assert info.value.status == 502
