"""Cache keys for jobs, and their invalidation.

Listings are keyed by a corpus *version* number: any change to any visible job bumps the
version, so every cached listing page becomes unreachable at once (and expires on its own),
without having to know which listings contained the job.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache

DETAIL_TIMEOUT_S = 600
LISTING_TIMEOUT_S = 120
_VERSION_KEY = "jobs:listing-version"


def job_detail_key(job_id: int, *, variant: str = "api") -> str:
    return f"jobs:detail:{job_id}:{variant}"


DETAIL_VARIANTS = ("api", "html")


def listing_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(_VERSION_KEY, version, timeout=None)
    return int(version)


def listing_key(*, kind: str, params: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"jobs:list:{kind}:v{listing_version()}:{digest[:32]}"


def jobs_cache_invalidate(*, job_ids: Iterable[int]) -> None:
    """Forget the given jobs' detail pages and every cached listing."""
    keys = [job_detail_key(job_id, variant=v) for job_id in job_ids for v in DETAIL_VARIANTS]
    if keys:
        cache.delete_many(keys)
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet (or Redis down): start one
        cache.set(_VERSION_KEY, 2, timeout=None)
