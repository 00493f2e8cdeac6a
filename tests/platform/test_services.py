"""The database and cache are the real thing: PostgreSQL with pgvector, and Redis."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_redis import get_redis_connection
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.mark.django_db
def test_database_is_postgresql_with_vector_and_trigram_extensions() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()
        cursor.execute("SELECT extname, extversion FROM pg_extension")
        extensions = dict(cursor.fetchall())
        cursor.execute("SELECT '[3,4]'::vector <=> '[4,3]'::vector")
        (distance,) = cursor.fetchone()
    assert int(version) >= 160000
    assert "vector" in extensions
    assert tuple(int(p) for p in extensions["vector"].split(".")[:2]) >= (0, 8)
    assert "pg_trgm" in extensions
    assert distance == pytest.approx(1 - 24 / 25)


def test_cache_is_redis() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("probe", {"answer": 42}, timeout=30)
    assert cache.get("probe") == {"answer": 42}
    raw = get_redis_connection("default")
    info = raw.info("server")
    assert "redis_version" in info
    # The value really is in Redis, under the configured key prefix.
    assert any(b"probe" in key for key in raw.keys("*"))


def test_cache_degrades_to_a_miss_when_redis_is_down(settings: SettingsWrapper) -> None:
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    from django.core.cache import caches

    unreachable = caches["default"]
    assert unreachable.get("anything", "fallback") == "fallback"
    unreachable.set("anything", 1)  # dropped, no exception
    assert unreachable.get("anything") is None
