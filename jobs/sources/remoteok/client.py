"""RemoteOK as a :class:`~jobs.sources.base.JobSource`: fetch via HttpClient, parse."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from jobrec.http import HttpClient, HttpError, HttpStatusError
from jobs.sources.base import FetchResult, ParseResult, SourceFetchError
from jobs.sources.remoteok.parser import SOURCE_NAME, parse_remoteok

__all__ = ["DEFAULT_API_URL", "RemoteOKSource"]

DEFAULT_API_URL: Final = "https://remoteok.com/api"


class RemoteOKSource:
    """The RemoteOK job board.

    The HTTP client is injected rather than built here so that timeouts, retries and
    the User-Agent stay configured in one place (settings) and tests can point the
    source at a local fake server.
    """

    def __init__(self, http: HttpClient, api_url: str = DEFAULT_API_URL) -> None:
        self.name: str = SOURCE_NAME
        self.http = http
        self.api_url = api_url

    def fetch(self, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Download the feed, conditionally when validators from last time are given.

        Raises :class:`SourceFetchError` (HTTP error as ``__cause__``) on failure.
        """
        try:
            result = self.http.get(
                self.api_url,
                headers={"Accept": "application/json"},
                etag=etag,
                last_modified=last_modified,
            )
        except HttpStatusError as exc:
            raise SourceFetchError(
                f"{self.name}: {exc}", status=exc.status, retry_after=exc.retry_after
            ) from exc
        except HttpError as exc:
            raise SourceFetchError(f"{self.name}: {exc}") from exc
        return FetchResult(
            body=result.body,
            etag=result.etag,
            last_modified=result.last_modified,
            not_modified=result.not_modified,
            fetched_at=datetime.now(UTC),
        )

    def parse(self, body: bytes) -> ParseResult:
        """Parse a body returned by :meth:`fetch` (see :func:`parse_remoteok`)."""
        return parse_remoteok(body, source=self.name)
