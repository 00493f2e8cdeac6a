"""The small interface every job source implements.

A *source* turns an upstream feed into :class:`JobDraft` objects: plain, immutable,
already-normalised values that the import service can compare (``content_hash``) and
store without knowing which board they came from. A source has two halves so each can
be tested alone: :meth:`JobSource.fetch` (network, via :class:`jobrec.http.HttpClient`)
and :meth:`JobSource.parse` (pure: bytes in, drafts out).

Nothing here imports Django: parsing runs in workers, benchmarks and tests that have
no settings, and keeping the boundary explicit stops ORM objects leaking into parsers.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal, Protocol, runtime_checkable

__all__ = [
    "HYBRID",
    "MAX_LENGTHS",
    "MAX_SALARY",
    "MAX_TAG_LENGTH",
    "ONSITE",
    "REMOTE",
    "REMOTE_POLICIES",
    "FetchResult",
    "InvalidPayloadError",
    "JobDraft",
    "JobSource",
    "ParseResult",
    "PayloadNotJSONError",
    "PayloadShapeError",
    "RejectedRow",
    "RemotePolicy",
    "SourceError",
    "SourceFetchError",
    "datetime_from_epoch",
    "datetime_from_iso",
    "normalize_salary_range",
    "parse_salary",
]

# --------------------------------------------------------------------------- values

#: Enum-like string rather than an Enum: it goes straight into a CharField with
#: choices and into JSON, and a Literal still lets mypy catch typos.
RemotePolicy = Literal["remote", "hybrid", "onsite"]
REMOTE: Final[RemotePolicy] = "remote"
HYBRID: Final[RemotePolicy] = "hybrid"
ONSITE: Final[RemotePolicy] = "onsite"
REMOTE_POLICIES: Final[frozenset[str]] = frozenset({REMOTE, HYBRID, ONSITE})

#: Salaries above this are treated as garbage (typos, cents, other currencies) and
#: dropped. It also keeps values inside a 32-bit integer column.
MAX_SALARY: Final = 10_000_000

#: The longest value each text field may hold: the database columns' sizes. A posting
#: over a limit is rejected with a reason instead of failing its whole batch in the
#: database.
MAX_LENGTHS: Final[dict[str, int]] = {
    "source": 50,
    "external_id": 200,
    "url": 1000,
    "apply_url": 1000,
    "company": 255,
    "company_logo": 1000,
    "position": 300,
    "location": 300,
    "salary_currency": 3,
}
MAX_TAG_LENGTH: Final = 100

#: Bump when the meaning of content_hash() changes, so stored hashes are not compared
#: against differently computed ones by accident.
_HASH_VERSION: Final = "jobdraft-v1"


@dataclass(frozen=True, slots=True)
class JobDraft:
    """One normalised posting, ready to be upserted by ``(source, external_id)``.

    Invariants (checked in ``__post_init__`` so a buggy parser fails loudly in tests
    rather than writing bad rows):

    * ``posted_at`` is timezone-aware UTC.
    * ``remote_policy`` is one of :data:`REMOTE_POLICIES`. For remote-only boards
      (RemoteOK) it is always ``"remote"`` and ``location`` holds the board's region
      restriction text ("Worldwide", "United States"), or ``""``.
    * ``tags`` are lower-cased, de-duplicated, in feed order.
    * Salaries are positive ints or ``None`` (unknown); when both are set,
      ``salary_min <= salary_max``. ``salary_currency`` is ``""`` when neither is set.
    * ``description_html`` is sanitised (safe to render unescaped);
      ``description_text`` is its plain-text rendering.
    * URL fields are absolute http(s) URLs (``company_logo`` may be ``""``).
    """

    source: str
    external_id: str
    url: str
    apply_url: str
    company: str
    company_logo: str
    position: str
    location: str
    remote_policy: RemotePolicy
    tags: tuple[str, ...]
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    description_html: str
    description_text: str
    posted_at: datetime

    def __post_init__(self) -> None:
        if not self.source or not self.external_id:
            raise ValueError("source and external_id are required")
        if not self.position:
            raise ValueError("position is required")
        if self.remote_policy not in REMOTE_POLICIES:
            raise ValueError(f"remote_policy must be one of {sorted(REMOTE_POLICIES)}")
        if self.posted_at.tzinfo is None or self.posted_at.utcoffset() != timedelta(0):
            raise ValueError("posted_at must be an aware UTC datetime")
        if not isinstance(self.tags, tuple):
            raise TypeError("tags must be a tuple (JobDraft is immutable)")
        for value in (self.salary_min, self.salary_max):
            if value is not None and (isinstance(value, bool) or value <= 0):
                raise ValueError("salaries must be positive ints or None")
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValueError("salary_min must not exceed salary_max")
        if self.salary_currency and self.salary_min is None and self.salary_max is None:
            raise ValueError("salary_currency without a salary")
        for name, limit in MAX_LENGTHS.items():
            if len(getattr(self, name)) > limit:
                raise ValueError(f"{name} longer than {limit} characters")
        if any(len(tag) > MAX_TAG_LENGTH for tag in self.tags):
            raise ValueError(f"a tag longer than {MAX_TAG_LENGTH} characters")

    def content_hash(self) -> str:
        """SHA-256 (hex) of the posting's normalised content.

        The importer stores it and skips unchanged postings (no UPDATE, no
        re-embedding). Included: everything a reader sees or that changes ranking:
        url, apply_url, company, company_logo, position, location, remote_policy,
        tags, salaries and currency, description_html and posted_at.
        Excluded: ``source``/``external_id`` (they are the key the hash is stored
        under) and ``description_text`` (derived from ``description_html``, so it
        would only add churn when text extraction improves).
        Each field is fed to SHA-256 length-prefixed (``None`` as a distinct
        marker), so the digest is unambiguous and stable across runs and processes
        (unlike ``hash()``, which is salted per process). This is ~4x cheaper than
        hashing a JSON dump, which mattered at thousands of postings per second.
        """
        digest = hashlib.sha256(_HASH_VERSION.encode())
        for value in (
            self.url,
            self.apply_url,
            self.company,
            self.company_logo,
            self.position,
            self.location,
            self.remote_policy,
            "\x1f".join(self.tags),
            self.salary_min,
            self.salary_max,
            self.salary_currency,
            self.description_html,
            self.posted_at.isoformat(),
        ):
            if value is None:
                digest.update(b"N")
                continue
            data = str(value).encode("utf-8", "surrogatepass")
            digest.update(b"%d:" % len(data))
            digest.update(data)
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A feed element that could not become a draft, and why.

    ``index`` is the element's position in the raw feed array (counting any notice
    element), so it can be found in the payload. ``external_id`` is set when known.
    """

    index: int
    external_id: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Outcome of parsing one payload.

    One bad posting never fails the payload: it becomes a :class:`RejectedRow` and
    the rest are kept. ``notice`` carries the feed's terms-of-use text when present
    (RemoteOK's "legal" element requires linking back to each posting's ``url``).
    An empty feed is a valid result with no drafts; see the note in the parser.
    """

    drafts: tuple[JobDraft, ...]
    rejected: tuple[RejectedRow, ...]
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Raw bytes of one fetch plus the validators for the next conditional fetch.

    ``not_modified`` means the upstream answered 304: ``body`` is empty and there is
    nothing to parse. ``fetched_at`` is aware UTC.
    """

    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool
    fetched_at: datetime

    def __repr__(self) -> str:
        return (
            f"FetchResult(bytes={len(self.body)}, etag={self.etag!r}, "
            f"not_modified={self.not_modified}, fetched_at={self.fetched_at.isoformat()})"
        )


@runtime_checkable
class JobSource(Protocol):
    """What the import service needs from a job board.

    To add a board, copy ``jobs/sources/remoteok/`` and change the parser: the
    client half is usually a one-line ``HttpClient.get``.
    """

    name: str

    def fetch(self, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Download the feed (conditionally). Raises :class:`SourceFetchError`."""
        ...

    def parse(self, body: bytes) -> ParseResult:
        """Parse a downloaded body. Raises :class:`InvalidPayloadError`."""
        ...


# --------------------------------------------------------------------------- errors


class SourceError(Exception):
    """Base class for everything a source raises."""


class SourceFetchError(SourceError):
    """The feed could not be downloaded. The HTTP error is ``__cause__``.

    ``status``/``retry_after`` are copied from an HTTP status error so the scheduler
    can react to rate limiting without importing the HTTP layer.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class InvalidPayloadError(SourceError):
    """The body is not a response of this source at all (nothing can be trusted).

    ``excerpt`` is the start of the body, for logs.
    """

    def __init__(self, message: str, *, excerpt: str = "") -> None:
        super().__init__(message)
        self.excerpt = excerpt


class PayloadNotJSONError(InvalidPayloadError):
    """Not JSON: an HTML error/challenge page, an empty or truncated body, bad bytes."""


class PayloadShapeError(InvalidPayloadError):
    """Valid JSON, wrong structure (e.g. an object where the feed is an array)."""


# --------------------------------------------------------------------------- helpers

_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")
# Plausible posting dates: anything outside is a unit mistake (milliseconds) or junk.
_MIN_EPOCH: Final = 788_918_400  # 1995-01-01
_MAX_EPOCH: Final = 4_102_444_800  # 2100-01-01


def parse_salary(value: object) -> int | None:
    """A positive whole salary, or ``None`` for missing, zero, junk or absurd values.

    Feeds use ``0``/``"0"`` to mean "not given", and send numbers as ints, floats or
    strings (sometimes with thousands separators or a currency sign).
    """
    if value is None or isinstance(value, bool):
        return None
    number: float
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace("_", "").lstrip("$").strip()
        if not _NUMBER.fullmatch(cleaned):
            return None
        number = float(cleaned)
    else:
        return None
    if not math.isfinite(number) or number < 1 or number > MAX_SALARY:
        return None
    return int(number)


def normalize_salary_range(low: object, high: object) -> tuple[int | None, int | None]:
    """``(salary_min, salary_max)``; swapped when the feed has them reversed.

    A reversed range is a data-entry slip, not a reason to throw the salary away:
    both numbers are still what the employer stated, so we keep them in order.
    A single known bound stays single (we don't invent the other one).
    """
    salary_min, salary_max = parse_salary(low), parse_salary(high)
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        salary_min, salary_max = salary_max, salary_min
    return salary_min, salary_max


def datetime_from_epoch(value: object) -> datetime | None:
    """Aware UTC datetime from Unix seconds given as int, float or digit string."""
    if value is None or isinstance(value, bool):
        return None
    seconds: float
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        seconds = float(value.strip())
    else:
        return None
    if not math.isfinite(seconds) or not _MIN_EPOCH <= seconds < _MAX_EPOCH:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def datetime_from_iso(value: object) -> datetime | None:
    """Aware UTC datetime from an ISO-8601 string; naive values are taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if not _MIN_EPOCH <= parsed.timestamp() < _MAX_EPOCH:
        return None
    return parsed
