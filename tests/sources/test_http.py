"""HttpClient against a real loopback server: retries, timeouts, limits, 304s."""

from __future__ import annotations

import ast
import itertools
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from jobrec.http import (
    HttpClient,
    HttpConnectionError,
    HttpError,
    HttpResponseTooLarge,
    HttpResult,
    HttpStatusError,
    HttpTimeout,
)
from tests.fakes import remoteok_server as fake
from tests.fakes.remoteok_server import FakeRemoteOKServer

# Makes the fixture visible even under ``--noconftest``. An assignment rather than
# ``from ... import remoteok_server``: ruff reports an imported name that is shadowed
# by test parameters (F811), and ``pytest_plugins`` here would warn that the module
# cannot be assertion-rewritten once conftest.py has imported it.
remoteok_server = fake.remoteok_server

UA = "jobrec-tests/1.0 (+https://example.invalid/contact)"


def make_client(**overrides: Any) -> HttpClient:
    # Tiny backoff and timeouts keep the whole module to a few seconds.
    options: dict[str, Any] = {
        "user_agent": UA,
        "connect_timeout": 1.0,
        "read_timeout": 1.0,
        "max_retries": 2,
        "backoff_factor": 0.01,
        "backoff_max": 0.05,
        "max_retry_after": 0.3,
        # Loopback tests must not go through a proxy configured in the environment.
        "trust_env": False,
    }
    options.update(overrides)
    return HttpClient(**options)


def gaps(server: FakeRemoteOKServer) -> list[float]:
    times = [r.received_at for r in server.requests]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_get_returns_body_headers_and_validators(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(
        body=b'[{"legal": "x"}]',
        etag='"v1"',
        last_modified="Wed, 04 Dec 2024 21:00:04 GMT",
        headers={"X-Extra": "yes"},
    )
    with make_client() as client:
        result = client.get(remoteok_server.url, headers={"Accept": "application/json"})
    assert isinstance(result, HttpResult)
    assert result.status == 200
    assert result.body == b'[{"legal": "x"}]'
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 04 Dec 2024 21:00:04 GMT"
    assert result.not_modified is False
    assert result.url == remoteok_server.url
    assert result.headers["x-extra"] == "yes"  # case-insensitive
    assert "legal" not in repr(result)  # never dump bodies into logs
    (request,) = remoteok_server.requests
    assert request.path == "/api"
    assert request.headers["user-agent"] == UA
    assert request.headers["accept"] == "application/json"
    assert "if-none-match" not in request.headers
    assert "if-modified-since" not in request.headers


def test_conditional_request_304(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"[]", etag='"abc"', times=2)
    with make_client() as client:
        first = client.get(remoteok_server.url)
        second = client.get(remoteok_server.url, etag=first.etag)
    assert first.etag == '"abc"'
    assert second.status == 304
    assert second.not_modified is True
    assert second.body == b""
    assert second.etag == '"abc"'
    assert remoteok_server.requests[1].headers["if-none-match"] == '"abc"'


def test_304_without_validators_keeps_the_ones_sent(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=304)
    with make_client() as client:
        result = client.get(
            remoteok_server.url, etag='"old"', last_modified="Tue, 03 Dec 2024 00:00:00 GMT"
        )
    assert result.not_modified
    assert result.etag == '"old"'
    assert result.last_modified == "Tue, 03 Dec 2024 00:00:00 GMT"
    headers = remoteok_server.requests[0].headers
    assert headers["if-modified-since"] == "Tue, 03 Dec 2024 00:00:00 GMT"


def test_if_modified_since(remoteok_server: FakeRemoteOKServer) -> None:
    stamp = "Wed, 04 Dec 2024 21:00:04 GMT"
    remoteok_server.enqueue(body=b"[]", last_modified=stamp)
    with make_client() as client:
        result = client.get(remoteok_server.url, last_modified=stamp)
    assert result.not_modified
    assert result.last_modified == stamp


def test_5xx_is_retried_then_succeeds(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=500, body=b"boom")
    remoteok_server.enqueue(status=502)
    remoteok_server.enqueue(body=b"[]")
    with make_client() as client:
        result = client.get(remoteok_server.url)
    assert result.body == b"[]"
    assert len(remoteok_server.requests) == 3


def test_retries_exhausted_raise_last_status(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=503, body=b"down for maintenance", times=3)
    with make_client(max_retries=2) as client, pytest.raises(HttpStatusError) as info:
        client.get(remoteok_server.url)
    assert info.value.status == 503
    assert info.value.body_excerpt == "down for maintenance"
    assert info.value.url == remoteok_server.url
    assert len(remoteok_server.requests) == 3  # 1 try + 2 retries, no more
    assert remoteok_server.pending == 0


def test_backoff_grows_exponentially(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=500, times=3)
    remoteok_server.enqueue(body=b"[]")
    with make_client(max_retries=3, backoff_factor=0.1, backoff_max=1.0) as client:
        client.get(remoteok_server.url)
    # urllib3: first retry immediate, then factor * 2**(n-1): 0, 0.2, 0.4 s.
    first, second, third = gaps(remoteok_server)
    assert first < 0.15
    assert 0.18 <= second < 0.5
    assert 0.38 <= third < 0.8


def test_client_errors_are_not_retried(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=404, body=b"x" * 5000)
    with make_client() as client, pytest.raises(HttpStatusError) as info:
        client.get(remoteok_server.url)
    assert info.value.status == 404
    assert len(info.value.body_excerpt) == 512  # excerpt is bounded
    assert len(remoteok_server.requests) == 1


def test_retry_after_is_honoured_but_capped(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=429, headers={"Retry-After": "30"})
    remoteok_server.enqueue(body=b"[]")
    started = time.monotonic()
    with make_client(max_retry_after=0.3) as client:
        result = client.get(remoteok_server.url)
    assert result.status == 200
    (gap,) = gaps(remoteok_server)
    assert 0.28 <= gap < 1.5  # waited the cap, not 30 s
    assert time.monotonic() - started < 5


def test_retry_after_below_cap_is_used_as_is(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=503, headers={"Retry-After": "1"})
    remoteok_server.enqueue(body=b"[]")
    with make_client(max_retry_after=5.0) as client:
        client.get(remoteok_server.url)
    (gap,) = gaps(remoteok_server)
    assert 0.95 <= gap < 2.5


def test_invalid_retry_after_falls_back_to_backoff(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=429, headers={"Retry-After": "soon-ish"})
    remoteok_server.enqueue(body=b"[]")
    with make_client() as client:
        assert client.get(remoteok_server.url).status == 200


def test_exhausted_429_reports_server_retry_after(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=429, headers={"Retry-After": "120"}, times=2)
    with (
        make_client(max_retries=1, max_retry_after=0.05) as client,
        pytest.raises(HttpStatusError) as info,
    ):
        client.get(remoteok_server.url)
    assert info.value.status == 429
    assert info.value.retry_after == 120.0  # uncapped: for the scheduler to honour


def test_read_timeout_is_retried_then_raises(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(delay=2.0, body=b"[]", times=2)
    started = time.monotonic()
    with make_client(read_timeout=0.2, max_retries=1) as client, pytest.raises(HttpTimeout):
        client.get(remoteok_server.url)
    assert len(remoteok_server.requests) == 2
    assert time.monotonic() - started < 1.5


def test_read_timeout_then_success(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(delay=2.0, body=b"[]")
    remoteok_server.enqueue(body=b"[1]")
    with make_client(read_timeout=0.2) as client:
        assert client.get(remoteok_server.url).body == b"[1]"


def test_dropped_connection_is_retried(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(drop=True)
    remoteok_server.enqueue(body=b"[]")
    with make_client() as client:
        assert client.get(remoteok_server.url).body == b"[]"
    assert len(remoteok_server.requests) == 2


def test_connection_refused_raises_connection_error() -> None:
    # A port that was just free: nothing listens there now.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with make_client(max_retries=1) as client, pytest.raises(HttpConnectionError) as info:
        client.get(f"http://127.0.0.1:{port}/api")
    assert not isinstance(info.value, HttpTimeout)
    assert info.value.url == f"http://127.0.0.1:{port}/api"


def test_truncated_body_raises_connection_error(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"[" + b'{"id": "1"},' * 1000 + b"{}]", truncate_at=100)
    with make_client() as client, pytest.raises(HttpConnectionError):
        client.get(remoteok_server.url)


def test_declared_oversized_body_is_refused(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"x" * 10_000)
    with (
        make_client(max_response_bytes=1_000) as client,
        pytest.raises(HttpResponseTooLarge) as info,
    ):
        client.get(remoteok_server.url)
    assert info.value.declared == 10_000
    assert info.value.limit == 1_000


def test_undeclared_oversized_body_is_cut_off(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"x" * 300_000, content_length=False)
    with (
        make_client(max_response_bytes=100_000) as client,
        pytest.raises(HttpResponseTooLarge) as info,
    ):
        client.get(remoteok_server.url)
    assert info.value.declared is None


def test_body_at_the_limit_is_accepted(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(body=b"x" * 1_000, content_length=False)
    with make_client(max_response_bytes=1_000) as client:
        assert len(client.get(remoteok_server.url).body) == 1_000


def test_redirect_is_followed_and_final_url_reported(remoteok_server: FakeRemoteOKServer) -> None:
    remoteok_server.enqueue(status=301, headers={"Location": "/api/v2"})
    remoteok_server.enqueue(body=b"[]")
    with make_client() as client:
        result = client.get(remoteok_server.url)
    assert result.url == f"{remoteok_server.base_url}/api/v2"
    assert [r.path for r in remoteok_server.requests] == ["/api", "/api/v2"]


def test_invalid_url_raises_http_error() -> None:
    with make_client() as client, pytest.raises(HttpError):
        client.get("not-a-url")


def test_environment_proxies_can_be_ignored(
    remoteok_server: FakeRemoteOKServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    remoteok_server.enqueue(body=b"[]")
    with make_client(trust_env=False) as client:
        assert client.get(remoteok_server.url).body == b"[]"


def test_environment_proxies_are_honoured_by_default(
    remoteok_server: FakeRemoteOKServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 9 (discard) has no listener here: going through the "proxy" must fail.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    with (
        make_client(trust_env=True, max_retries=0) as client,
        pytest.raises(HttpConnectionError),
    ):
        client.get(remoteok_server.url)
    assert remoteok_server.requests == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"user_agent": "  "},
        {"connect_timeout": 0},
        {"read_timeout": -1},
        {"max_retries": -1},
        {"max_response_bytes": 0},
    ],
)
def test_constructor_rejects_unsafe_settings(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any message is fine here
        make_client(**overrides)


def test_http_client_and_sources_do_not_import_django() -> None:
    # They run in workers, scripts and these tests without Django settings. (The
    # ``jobrec`` package __init__ loads Celery; that is the package's business, the
    # modules themselves must stay framework-free.)
    root = Path(__file__).resolve().parents[2]
    files = [root / "jobrec" / "http.py", *sorted((root / "jobs" / "sources").rglob("*.py"))]
    assert len(files) >= 6
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"django", "rest_framework", "celery"}, path
