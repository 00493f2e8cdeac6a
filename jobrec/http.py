"""The project's one outbound HTTP client.

Every request jobrec makes to another site goes through :class:`HttpClient`, so that
timeouts, retries, the User-Agent, response-size limits and conditional requests are
decided in exactly one place instead of being re-invented (and forgotten) per caller.

Design notes (the *why*):

* Built on ``requests`` with a ``urllib3.util.Retry`` mounted on the adapter. urllib3
  already implements bounded retries with exponential backoff for connect errors,
  read timeouts and retryable statuses, and parses ``Retry-After``; re-implementing
  that loop by hand is how subtle bugs (unbounded loops, retrying POSTs) creep in.
* ``Retry-After`` is honoured but capped (:class:`_CappedRetry`): a misbehaving or
  hostile server must not be able to park an import worker for hours.
* Bodies are streamed and counted so a huge (or endless, or gzip-bomb) response fails
  with :class:`HttpResponseTooLarge` instead of exhausting memory. The limit applies
  to *decoded* bytes because that is what ends up in memory.
* Failures while reading the body *after* the response head arrived (a stall longer
  than the read timeout, a connection cut mid-body) are not retried here: urllib3
  cannot replay them and doing it in an outer loop would multiply the retry budget.
  They surface as :class:`HttpTimeout` / :class:`HttpConnectionError`; the periodic
  import simply tries again on its next run.
* Callers get one small exception hierarchy rooted at :class:`HttpError`, never a
  ``requests`` exception, so that swapping the transport later does not ripple out.

This module must not import Django: it is used by workers, scripts and tests that run
without settings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Self

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

__all__ = [
    "RETRY_STATUSES",
    "HttpClient",
    "HttpConnectionError",
    "HttpError",
    "HttpResponseTooLarge",
    "HttpResult",
    "HttpStatusError",
    "HttpTimeout",
]

logger = logging.getLogger(__name__)

#: Statuses worth retrying: rate limiting and transient server/gateway failures.
#: 501 (Not Implemented) and 505 are deliberately absent: retrying cannot fix them.
RETRY_STATUSES: Final[frozenset[int]] = frozenset({429, 500, 502, 503, 504})

# Size of one streamed read. 64 KiB keeps syscalls few without holding much memory.
_CHUNK_SIZE: Final = 64 * 1024
# How much of an error body we keep for HttpStatusError: enough to see an upstream
# error message in logs, small enough to never matter for memory or log volume.
_EXCERPT_BYTES: Final = 512


# --------------------------------------------------------------------------- errors


class HttpError(Exception):
    """Base class of every error raised by :class:`HttpClient`.

    ``url`` is the URL that was requested, so a log line says which upstream failed.
    """

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class HttpTimeout(HttpError):
    """Connecting or reading took longer than the configured timeout."""


class HttpConnectionError(HttpError):
    """The connection could not be made, or broke (including a truncated body)."""


class HttpStatusError(HttpError):
    """The server answered with a status that is neither 2xx nor 304.

    ``body_excerpt`` is the start of the body, decoded leniently, for diagnostics.
    ``retry_after`` is the (uncapped) ``Retry-After`` in seconds when the server sent
    one, so a scheduler can back off for as long as the server asked.
    """

    def __init__(
        self,
        status: int,
        body_excerpt: str,
        *,
        url: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"HTTP {status} from {url}: {body_excerpt[:200]!r}", url=url)
        self.status = status
        self.body_excerpt = body_excerpt
        self.retry_after = retry_after


class HttpResponseTooLarge(HttpError):
    """The body exceeded ``max_response_bytes``; it was not read to the end."""

    def __init__(self, limit: int, *, url: str = "", declared: int | None = None) -> None:
        detail = f" (Content-Length {declared})" if declared is not None else ""
        super().__init__(f"response from {url} exceeds {limit} bytes{detail}", url=url)
        self.limit = limit
        self.declared = declared


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class HttpResult:
    """A completed GET.

    ``etag``/``last_modified`` are the validators to send next time. On a 304 the
    server may omit them, so the client falls back to the ones it sent: a caller can
    always store ``result.etag`` without special-casing 304.
    """

    status: int
    body: bytes
    headers: Mapping[str, str]
    etag: str | None
    last_modified: str | None
    not_modified: bool
    url: str

    # Hand-written so a 1 MB body never ends up in a log line.
    def __repr__(self) -> str:
        return (
            f"HttpResult(status={self.status}, url={self.url!r}, bytes={len(self.body)}, "
            f"etag={self.etag!r}, not_modified={self.not_modified})"
        )


# --------------------------------------------------------------------------- retry


class _CappedRetry(Retry):
    """``Retry`` whose honoured ``Retry-After`` never exceeds ``retry_after_cap``.

    Newer urllib3 has ``retry_after_max`` (an int); we cap here ourselves so the
    behaviour does not depend on the urllib3 version and so fractional caps work
    (tests use 0.2 s). An unparsable ``Retry-After`` falls back to normal backoff
    instead of raising ``InvalidHeader`` out of the middle of a request.
    """

    retry_after_cap: float = 60.0

    def new(self, **kw: Any) -> Self:
        # Retry.new() rebuilds the object from a fixed list of arguments, which would
        # silently drop our extra attribute; carry it over by hand.
        retry = super().new(**kw)
        retry.retry_after_cap = self.retry_after_cap
        return retry

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        try:
            seconds = super().get_retry_after(response)
        except InvalidHeader:
            return None
        if seconds is None:
            return None
        return max(0.0, min(seconds, self.retry_after_cap))


# --------------------------------------------------------------------------- client


class HttpClient:
    """Outbound HTTP with timeouts, bounded retries, a size cap and conditional GETs.

    One instance holds one ``requests.Session`` (connection pooling). Like the
    session, an instance is not meant to be shared between threads; create one per
    worker thread. Use it as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        max_retries: int = 3,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        max_retry_after: float = 60.0,
        max_response_bytes: int = 20 * 1024 * 1024,
        max_redirects: int = 5,
        trust_env: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        """Configure the client.

        ``user_agent`` is required: upstreams (RemoteOK included) block anonymous
        default library agents, and a descriptive agent with a contact URL is simply
        polite. ``backoff_factor`` follows urllib3: the first retry is immediate, then
        ``factor * 2**(n-1)`` seconds, each capped at ``backoff_max``.
        ``trust_env`` keeps requests' default of honouring ``HTTPS_PROXY``/``NO_PROXY``
        and CA-bundle variables, which self-hosters behind a proxy need; tests that
        talk to loopback servers turn it off so a developer's proxy can't interfere.
        """
        if not user_agent.strip():
            raise ValueError("user_agent must describe this client (name/version + URL)")
        if connect_timeout <= 0 or read_timeout <= 0:
            raise ValueError("timeouts must be positive: a missing timeout can hang forever")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if max_response_bytes <= 0:
            raise ValueError("max_response_bytes must be positive")

        self.user_agent = user_agent
        self.timeout: tuple[float, float] = (connect_timeout, read_timeout)
        self.max_response_bytes = max_response_bytes

        retry = _CappedRetry(
            total=max_retries,
            connect=max_retries,
            read=max_retries,
            status=max_retries,
            # Errors that are neither connect, read nor status (e.g. TLS failures) are
            # not transient in practice; retrying them only delays the real error.
            other=0,
            redirect=max_redirects,
            # Only idempotent reads are retried; this client only issues GETs anyway.
            allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            respect_retry_after_header=True,
            # Return the last retryable response instead of raising urllib3's
            # MaxRetryError, so we can build an HttpStatusError with its body.
            raise_on_status=False,
            raise_on_redirect=True,
        )
        retry.retry_after_cap = max_retry_after
        self._retry = retry

        self._session = session if session is not None else requests.Session()
        self._session.max_redirects = max_redirects
        self._session.trust_env = trust_env
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- requests --------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> HttpResult:
        """GET ``url``; conditional when ``etag``/``last_modified`` are given.

        Returns an :class:`HttpResult` for 2xx and 304 (``not_modified=True``, empty
        body). Raises :class:`HttpStatusError` for any other final status,
        :class:`HttpTimeout` / :class:`HttpConnectionError` when retries are
        exhausted, and :class:`HttpResponseTooLarge` when the body is over the limit.
        """
        request_headers: dict[str, str] = {"User-Agent": self.user_agent}
        if headers:
            request_headers.update(headers)
        # Conditional request: the server answers 304 with no body when nothing
        # changed, which saves transferring and re-parsing the whole feed.
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified

        try:
            response = self._session.get(
                url,
                headers=request_headers,
                timeout=self.timeout,
                # Stream so we can stop reading at max_response_bytes.
                stream=True,
                allow_redirects=True,
            )
        except requests.RequestException as exc:
            raise _translate(exc, url) from exc

        with response:
            return self._finish(response, url, etag=etag, last_modified=last_modified)

    def _finish(
        self,
        response: requests.Response,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
    ) -> HttpResult:
        status = response.status_code
        final_url = response.url or url
        response_headers: Mapping[str, str] = CaseInsensitiveDict(response.headers)

        if status == 304:
            logger.debug("GET %s -> 304 not modified", final_url)
            return HttpResult(
                status=status,
                body=b"",
                headers=response_headers,
                etag=response_headers.get("ETag") or etag,
                last_modified=response_headers.get("Last-Modified") or last_modified,
                not_modified=True,
                url=final_url,
            )

        if not 200 <= status < 300:
            excerpt = self._read_excerpt(response, final_url)
            raise HttpStatusError(
                status,
                excerpt,
                url=final_url,
                retry_after=_parse_retry_after(response_headers.get("Retry-After")),
            )

        body = self._read_capped(response, final_url)
        logger.debug("GET %s -> %s (%d bytes)", final_url, status, len(body))
        return HttpResult(
            status=status,
            body=body,
            headers=response_headers,
            etag=response_headers.get("ETag"),
            last_modified=response_headers.get("Last-Modified"),
            not_modified=False,
            url=final_url,
        )

    def _read_capped(self, response: requests.Response, url: str) -> bytes:
        limit = self.max_response_bytes
        declared = _content_length(response)
        # Fail before reading a byte when the server announces an oversized body.
        # (Content-Length counts encoded bytes; the decoded check below still runs.)
        if declared is not None and declared > limit:
            raise HttpResponseTooLarge(limit, url=url, declared=declared)
        buffer = bytearray()
        for chunk in self._iter_body(response, url):
            buffer += chunk
            if len(buffer) > limit:
                raise HttpResponseTooLarge(limit, url=url, declared=declared)
        return bytes(buffer)

    def _read_excerpt(self, response: requests.Response, url: str) -> str:
        # Diagnostics only: a failure to read the error body must not hide the status.
        buffer = bytearray()
        try:
            for chunk in self._iter_body(response, url):
                buffer += chunk
                if len(buffer) >= _EXCERPT_BYTES:
                    break
        except HttpError:
            pass
        return bytes(buffer[:_EXCERPT_BYTES]).decode("utf-8", errors="replace")

    @staticmethod
    def _iter_body(response: requests.Response, url: str) -> Iterator[bytes]:
        try:
            for chunk in response.iter_content(chunk_size=_CHUNK_SIZE):
                if chunk:
                    yield chunk
        except requests.RequestException as exc:
            raise _translate(exc, url) from exc


# --------------------------------------------------------------------------- helpers


def _content_length(response: requests.Response) -> int | None:
    raw = response.headers.get("Content-Length")
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    try:
        return max(0.0, Retry().parse_retry_after(value))
    except InvalidHeader:
        return None


def _root_cause(exc: BaseException) -> BaseException:
    """Unwrap requests/urllib3 wrappers to the error that actually happened.

    requests wraps urllib3 errors in its own classes, and urllib3 wraps the last error
    in ``MaxRetryError`` once retries run out; e.g. an exhausted *read* timeout
    arrives as ``requests.ConnectionError(MaxRetryError(reason=ReadTimeoutError))``.
    """
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MaxRetryError) and current.reason is not None:
            current = current.reason
        elif current.args and isinstance(current.args[0], BaseException):
            current = current.args[0]
        else:
            break
    return current


def _translate(exc: requests.RequestException, url: str) -> HttpError:
    """Map a requests exception onto our hierarchy."""
    root = _root_cause(exc)
    if isinstance(exc, requests.Timeout) or isinstance(root, ReadTimeoutError | TimeoutError):
        return HttpTimeout(f"timed out requesting {url}: {root}", url=url)
    if isinstance(root, ConnectTimeoutError) and not isinstance(root, NewConnectionError):
        return HttpTimeout(f"timed out connecting to {url}: {root}", url=url)
    if isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        # ChunkedEncodingError is what a body cut short (IncompleteRead) looks like.
        return HttpConnectionError(f"connection to {url} failed: {root}", url=url)
    return HttpError(f"request to {url} failed: {exc}", url=url)
