"""Settings, read from the environment (and a local ``.env`` file when present).

Every variable is listed in the README's settings table. Without ``DATABASE_URL`` or
``REDIS_URL`` jobrec starts embedded servers under ``./var`` (see ``jobrec/embedded.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

from jobrec import embedded

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A developer's .env never overrides variables that are already set (CI, docker-compose).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (production), or run "
            "`make run`, which writes a development .env with DEBUG=1 and a random key."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "jobrec.apps.JobrecConfig",
    "accounts",
    "jobs",
    "recommendations",
    "feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "jobrec.urls"
WSGI_APPLICATION = "jobrec.wsgi.application"
ASGI_APPLICATION = "jobrec.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="") or embedded.postgres_url()
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("jobrec needs PostgreSQL (with pgvector); DATABASE_URL is not one")

REDIS_URL = env.str("REDIS_URL", default="") or embedded.redis_url()
CACHE_URL = env.str("CACHE_URL", default="")
if not CACHE_URL:
    # Same server as the broker, its own database number, so clearing the cache never
    # drops queued tasks.
    CACHE_URL = urlsplit(REDIS_URL)._replace(path="/1").geturl()

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="jobrec"),
        "TIMEOUT": 300,
        "OPTIONS": {
            # Redis down must mean a cache miss, not an error page: reads return the
            # default, writes are dropped, and each failure is logged.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "jobrec.cache"

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[jobrec] "
# allauth's rate limits (kept in the cache), stated explicitly so they are visible.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND",
        default="django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend",
    )
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jobrec <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation, static files -------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "jobrec" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Resumes: a location outside any public URL; files leave only through views that check
    # ownership. The location is filled in below, once PRIVATE_STORAGE_ROOT is known.
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files are private: kept outside any public URL, served only through views
# that check ownership.
PRIVATE_STORAGE_ROOT = Path(
    env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private"))
)
STORAGES["private"]["OPTIONS"] = {"location": PRIVATE_STORAGE_ROOT, "base_url": "/no-public-url/"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Security (production values whenever DEBUG is off) ---------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
# /healthz is probed over plain HTTP by load balancers and compose health checks.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes unauthenticated requests a 401.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "jobrec.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "token": "10/min",
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jobrec.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "jobrec.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "jobrec API",
    "DESCRIPTION": "Job postings, resumes, recommendations and feedback.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Brokers redeliver: tasks are acknowledged after they finish and are written to be
# idempotent, and a worker that dies mid-task gives its message back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long a delivered, unacknowledged task waits before Redis hands it to another worker
# (a worker that died mid-task). Longer than the longest task.
# Workers look for such messages every interval x throttle seconds (kombu's defaults).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_S", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL_S", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# --- Outbound HTTP, sources, AI providers -------------------------------------------------------
HTTP_USER_AGENT = env.str(
    "HTTP_USER_AGENT",
    default="jobrec/0.1 (self-hosted job recommendations; +https://github.com/jobrec/jobrec)",
)
HTTP_TIMEOUT_S = env.float("HTTP_TIMEOUT_S", default=20.0)
HTTP_RETRIES = env.int("HTTP_RETRIES", default=3)
REMOTEOK_API_URL = env.str("REMOTEOK_API_URL", default="https://remoteok.com/api")
LLM_PROVIDER = env.str("LLM_PROVIDER", default="local")
GEMINI_API_KEY = env.str("GEMINI_API_KEY", default="")
GEMINI_BASE_URL = env.str("GEMINI_BASE_URL", default="")
GEMINI_API_VERSION = env.str("GEMINI_API_VERSION", default="v1beta")
GEMINI_EXTRACT_MODEL = env.str("GEMINI_EXTRACT_MODEL", default="gemini-3.5-flash-lite")
GEMINI_SCORE_MODEL = env.str("GEMINI_SCORE_MODEL", default="gemini-3.8-flash")
GEMINI_EMBED_MODEL = env.str("GEMINI_EMBED_MODEL", default="gemini-embedding-2")
EMBED_DIM = env.int("EMBED_DIM", default=768)
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="")
OPENAI_EMBED_MODEL = env.str("OPENAI_EMBED_MODEL", default="")
ACTIVE_EMBEDDING_SPACE = env.str("ACTIVE_EMBEDDING_SPACE", default="")

# --- Development superuser (created by `runplatform` when no superuser exists) ----------------
DEV_SUPERUSER_EMAIL = env.str("DEV_SUPERUSER_EMAIL", default="admin@example.com")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "jobrec.cache": {"level": "WARNING"},
    },
}

# --- Job corpus ----------------------------------------------------------------------------------
HTTP_BACKOFF_S = env.float("HTTP_BACKOFF_S", default=1.0)
JOB_EXPIRY_DAYS = env.int("JOB_EXPIRY_DAYS", default=45)
JOB_REPOST_WINDOW_DAYS = env.int("JOB_REPOST_WINDOW_DAYS", default=30)
SCRAPE_INTERVAL_MINUTES = env.int("SCRAPE_INTERVAL_MINUTES", default=30)

# --- Enrichment ----------------------------------------------------------------------------------
LLM_TIMEOUT_S = env.float("LLM_TIMEOUT_S", default=30.0)
LLM_MAX_RETRIES = env.int("LLM_MAX_RETRIES", default=3)
MODELS_DIR = env.str("MODELS_DIR", default=str(BASE_DIR / "var" / "models"))
LLM_RETRY_BASE_DELAY_S = env.float("LLM_RETRY_BASE_DELAY_S", default=1.0)

# --- Resumes and recommendations -----------------------------------------------------------------
RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=5 * 1024 * 1024)
RESUME_MAX_PAGES = env.int("RESUME_MAX_PAGES", default=20)
RESUMES_PER_USER = env.int("RESUMES_PER_USER", default=10)
# Reading a file runs in a child process with these limits; the Celery task's hard limit
# is a little above, so a stuck read is always ended by the smaller one first.
RESUME_PARSE_TIMEOUT_S = env.float("RESUME_PARSE_TIMEOUT_S", default=30.0)
RESUME_PARSE_MEMORY_MB = env.int("RESUME_PARSE_MEMORY_MB", default=512)
# Engine 1 re-ranks this many nearest jobs; engine 2 asks the LLM about the top N of those.
RECOMMENDATION_CANDIDATES = env.int("RECOMMENDATION_CANDIDATES", default=200)
LLM_RERANK_TOP_N = env.int("LLM_RERANK_TOP_N", default=20)
LLM_SCORE_CONCURRENCY = env.int("LLM_SCORE_CONCURRENCY", default=4)
# The longest engine 2 may take for one list before it falls back to engine 1.
LLM_ENGINE_DEADLINE_S = env.float("LLM_ENGINE_DEADLINE_S", default=25.0)
# A computed list is served for this long unless the profile or the feedback changes.
RECOMMENDATION_MAX_AGE_MINUTES = env.int("RECOMMENDATION_MAX_AGE_MINUTES", default=60)
