"""Settings for the test suite: the real settings, made deterministic and fast.

Tests run against the same kind of servers as production (PostgreSQL with pgvector, Redis),
never SQLite or a fake Redis: embedded ones under ./var unless DATABASE_URL/REDIS_URL are set.
"""

import os
import tempfile
from pathlib import Path

# Before the real settings read the environment (and a developer's .env, which never
# overrides variables that are already set).
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("CACHE_KEY_PREFIX", "jobrec-test")

from jobrec.settings import *  # noqa: F403
from jobrec.settings import CACHES, REDIS_URL, STORAGES

# The cache gets a Redis database of its own, flushed between tests.
CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + "/15"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="jobrec-test-private-"))
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_STORAGE_ROOT
# Serve static files from the app folders, as in development (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
