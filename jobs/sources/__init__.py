"""Job sources: upstream job boards turned into normalised :class:`JobDraft` objects.

The shared interface lives in :mod:`jobs.sources.base`, shared text/HTML handling in
:mod:`jobs.sources.text`, and each board in its own sub-package (``remoteok/``): to
add a board, copy that folder. Nothing in this package imports Django.
"""

from jobs.sources.base import (
    HYBRID,
    ONSITE,
    REMOTE,
    REMOTE_POLICIES,
    FetchResult,
    InvalidPayloadError,
    JobDraft,
    JobSource,
    ParseResult,
    PayloadNotJSONError,
    PayloadShapeError,
    RejectedRow,
    RemotePolicy,
    SourceError,
    SourceFetchError,
)

__all__ = [
    "HYBRID",
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
]
