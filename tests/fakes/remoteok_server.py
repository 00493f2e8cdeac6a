"""A real HTTP server on 127.0.0.1 that plays RemoteOK's API, for client tests.

Why a real server instead of mocking ``requests``: the behaviour under test lives in
the transport (urllib3 retries, Retry-After sleeps, read timeouts, a body cut short,
streaming size limits), and a mock would only test our assumptions about it.

Tests queue the responses they want, in order, then inspect ``server.requests``::

    def test_x(remoteok_server):
        remoteok_server.enqueue(status=500)
        remoteok_server.enqueue(body=[{"legal": "..."}])
        ...
        assert len(remoteok_server.requests) == 2

When the queue is empty the server answers 501 ("nothing queued"), a status the
client does not retry, so a test that under-queues fails fast and visibly.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

__all__ = ["FakeRemoteOKServer", "FakeResponse", "RecordedRequest", "remoteok_server"]

API_PATH = "/api"


@dataclass(frozen=True)
class FakeResponse:
    """One programmed answer.

    ``delay`` sleeps before anything is sent (to trigger the client's read timeout).
    ``truncate_at`` sends a ``Content-Length`` for the whole body but only that many
    bytes, then closes the connection (a download cut short). ``drop`` closes the
    connection without any response at all. ``etag``/``last_modified`` make the
    response conditional: a request whose validators match gets a 304 instead.
    ``content_length=False`` omits the header, so the body simply ends when the
    connection closes (how a streaming or misbehaving server looks).
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_at: int | None = None
    drop: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_length: bool = True


@dataclass(frozen=True)
class RecordedRequest:
    """What the server saw; header names are lower-cased for easy assertions."""

    method: str
    path: str
    headers: Mapping[str, str]
    received_at: float  # time.monotonic(), to assert on backoff/Retry-After waits


class FakeRemoteOKServer:
    """ThreadingHTTPServer on an ephemeral loopback port, in a daemon thread."""

    def __init__(self) -> None:
        self._queue: deque[FakeResponse] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # Handler threads sleeping in a delay must not keep the test process alive.
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-remoteok",
            daemon=True,
        )

    # -- lifecycle -------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The API endpoint, what ``RemoteOKSource(api_url=...)`` should get."""
        return f"{self.base_url}{API_PATH}"

    def start(self) -> FakeRemoteOKServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a delay
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # -- programming -----------------------------------------------------------

    def enqueue(
        self,
        *,
        status: int = 200,
        body: bytes | str | object = b"",
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        truncate_at: int | None = None,
        drop: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        content_length: bool = True,
        times: int = 1,
    ) -> None:
        """Queue a response (``times`` copies). ``body`` may be bytes, str or JSON data."""
        if isinstance(body, bytes):
            payload = body
        elif isinstance(body, str):
            payload = body.encode("utf-8")
        else:
            payload = json.dumps(body).encode("utf-8")
        response = FakeResponse(
            status=status,
            body=payload,
            headers=dict(headers or {}),
            delay=delay,
            truncate_at=truncate_at,
            drop=drop,
            etag=etag,
            last_modified=last_modified,
            content_length=content_length,
        )
        with self._lock:
            self._queue.extend([response] * times)

    def enqueue_file(
        self,
        path: Path,
        *,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Queue a stored RemoteOK response byte for byte."""
        self.enqueue(
            body=path.read_bytes(), headers=headers, etag=etag, last_modified=last_modified
        )

    @property
    def pending(self) -> int:
        """Responses queued but not served yet."""
        with self._lock:
            return len(self._queue)

    def _next(self) -> FakeResponse | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # -- handler ---------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, which makes "truncated body"
            # and "dropped connection" unambiguous for the client.
            protocol_version = "HTTP/1.0"
            server_version = "FakeRemoteOK/1.0"

            def do_GET(self) -> None:
                server._record(
                    RecordedRequest(
                        method="GET",
                        path=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        received_at=time.monotonic(),
                    )
                )
                response = server._next()
                if response is None:
                    self._send(501, b"fake server: no response queued", {})
                    return
                if response.delay and server._stopping.wait(response.delay):
                    return
                if response.drop:
                    self.close_connection = True
                    return
                if _not_modified(
                    response,
                    self.headers.get("If-None-Match"),
                    self.headers.get("If-Modified-Since"),
                ):
                    self._send(304, b"", _validators(response))
                    return
                headers = {"Content-Type": "application/json; charset=utf-8"}
                headers.update(_validators(response))
                headers.update(response.headers)
                self._send(
                    response.status,
                    response.body,
                    headers,
                    truncate_at=response.truncate_at,
                    content_length=response.content_length,
                )

            def _send(
                self,
                status: int,
                body: bytes,
                headers: Mapping[str, str],
                *,
                truncate_at: int | None = None,
                content_length: bool = True,
            ) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if status != 304 and content_length:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if status != 304:
                        self.wfile.write(body if truncate_at is None else body[:truncate_at])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (e.g. its read timeout fired): expected.
                    pass
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                # Keep test output clean; requests are inspected via server.requests.
                return

        return Handler


def _validators(response: FakeResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    if response.etag:
        headers["ETag"] = response.etag
    if response.last_modified:
        headers["Last-Modified"] = response.last_modified
    return headers


def _not_modified(
    response: FakeResponse, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    # RFC 9110: If-None-Match wins over If-Modified-Since when both are present.
    if response.etag and if_none_match is not None:
        candidates = {tag.strip() for tag in if_none_match.split(",")}
        return response.etag in candidates or "*" in candidates
    if response.last_modified and if_modified_since is not None:
        return if_modified_since == response.last_modified
    return False


@pytest.fixture
def remoteok_server() -> Iterator[FakeRemoteOKServer]:
    """A started fake RemoteOK server, stopped after the test."""
    server = FakeRemoteOKServer().start()
    try:
        yield server
    finally:
        server.stop()
