"""Cache helpers with hit/miss counters, safe when Redis is down.

Counters live in Redis next to the cached values (``stats:cache:<name>:hit|miss``) so every
web process adds to the same totals; staff see them in the admin.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")
_MISSING = object()
STATS_PREFIX = "jobrec:stats:cache:"


def _count(name: str, outcome: str) -> None:
    # Statistics are best effort; Redis being down is already logged by the cache.
    with contextlib.suppress(RedisError, OSError):
        get_redis_connection("default").incr(f"{STATS_PREFIX}{name}:{outcome}")


def cached(*, name: str, key: str, timeout: int, compute: Callable[[], T]) -> T:
    """The cached value for ``key``, computing and storing it on a miss."""
    value: Any = cache.get(key, _MISSING)
    if value is not _MISSING:
        _count(name, "hit")
        return value
    _count(name, "miss")
    result = compute()
    cache.set(key, result, timeout)
    return result


def cache_stats() -> dict[str, dict[str, int]]:
    """Hit and miss totals per cache name (empty when Redis is unavailable)."""
    stats: dict[str, dict[str, int]] = {}
    try:
        conn = get_redis_connection("default")
        keys = sorted(conn.scan_iter(match=f"{STATS_PREFIX}*", count=500))
        values = conn.mget(keys) if keys else []
    except (RedisError, OSError):
        return stats
    for raw_key, raw_value in zip(keys, values, strict=True):
        name, outcome = raw_key.decode().removeprefix(STATS_PREFIX).rsplit(":", 1)
        stats.setdefault(name, {"hit": 0, "miss": 0})[outcome] = int(raw_value or 0)
    return stats


def cache_stats_reset() -> None:
    try:
        conn = get_redis_connection("default")
        keys = list(conn.scan_iter(match=f"{STATS_PREFIX}*", count=500))
        if keys:
            conn.delete(*keys)
    except (RedisError, OSError):
        logger.warning("could not reset cache statistics: Redis unavailable")
