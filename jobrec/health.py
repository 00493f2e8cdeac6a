"""Reads the state of the services jobrec depends on, for /healthz and operators."""

from __future__ import annotations

import logging

from django.db import connection
from django.db.utils import Error as DatabaseError
from django_redis import get_redis_connection
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health: database unavailable: %s", exc)
        return "unavailable"
    return "ok"


def redis_status() -> str:
    try:
        get_redis_connection("default").ping()
    except (RedisError, OSError) as exc:
        logger.warning("health: redis unavailable: %s", exc)
        return "unavailable"
    return "ok"


def health_status() -> dict[str, str]:
    checks = {"database": database_status(), "redis": redis_status()}
    checks["status"] = "ok" if all(v == "ok" for v in checks.values()) else "unavailable"
    return checks
