from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from jobrec import embedded
from recommendations.selectors import _skill_idf_read
from tests.factories import UserFactory

pytest_plugins = [
    "tests.corpus",
    "tests.fakes.remoteok_server",
    "tests.fakes.gemini_server",
    "tests.fakes.openai_server",
]
_HOLDING = False


def pytest_configure(config: pytest.Config) -> None:
    # Keep the embedded servers up for the whole session; stop them at the end unless
    # another holder (a running `make run`) still uses them.
    global _HOLDING
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        embedded.hold()
        _HOLDING = True


def pytest_unconfigure(config: pytest.Config) -> None:
    if _HOLDING:
        embedded.release()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    # The process's own copy of the skill IDF, in front of the cache (a test's jobs are
    # its own).
    _skill_idf_read.cache_clear()
    yield
    cache.clear()
    _skill_idf_read.cache_clear()


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def user_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
