"""Configuration, the shared ``genai.Client`` and the retry policy of the Gemini provider.

We retry ourselves instead of using the SDK's ``HttpRetryOptions`` because the SDK's
tenacity loop ignores the server's ``RetryInfo.retryDelay`` (it backs off blindly) and
cannot give up early when the server asks for a wait longer than we are willing to block.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx2
from google import genai
from google.genai import errors, types

from jobrec.ai.prompts import excerpt
from jobrec.ai.retry import Failure, redact, retry_call

__all__ = ["GeminiConfig", "call_with_retries", "close_clients", "get_client", "redact"]

logger = logging.getLogger("jobrec.ai.gemini")

T = TypeVar("T")

# Statuses worth another attempt. 408/5xx are transient by definition; 429 is a quota
# or rate limit that the server tells us how long to wait for.
_RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"


@dataclass(frozen=True, kw_only=True)
class GeminiConfig:
    """Everything the Gemini provider needs; built by the caller from its settings.

    Model names are settings because Gemini retires model ids often (see the reference
    doc): the defaults are the doc's late-2026 recommendations, not a promise.
    """

    # repr=False: the key must never reach a log line through a repr of the config.
    api_key: str = field(repr=False)
    base_url: str | None = None  # None: Google's endpoint; a fake server's URL in tests
    api_version: str = "v1beta"  # google-genai 3.x defaults to "v1"; every doc uses v1beta
    extract_model: str = "gemini-3.5-flash-lite"
    score_model: str = "gemini-3.8-flash"
    embed_model: str = "gemini-embedding-2"
    embed_dim: int = 768
    timeout_s: float = 30.0
    max_retries: int = 3  # retries after the first attempt, per API call
    max_retry_delay_s: float = 60.0  # longest single wait; a longer retryDelay fails fast
    retry_base_delay_s: float = 1.0  # first exponential back-off step (5xx, timeouts)
    # None leaves the model's default: Google advises against lowering Gemini 3's
    # temperature below 1.0 (looping, worse answers), so we do not force 0.
    temperature: float | None = None
    thinking_level: str | None = None  # e.g. "LOW" for cheap bulk extraction

    def __post_init__(self) -> None:
        if not self.api_key or not self.api_key.strip():
            # An empty key would make google-genai fall back to GOOGLE_API_KEY /
            # GEMINI_API_KEY from the environment: explicit configuration only.
            raise ValueError("GeminiConfig.api_key is empty")
        if self.timeout_s <= 0 or self.max_retries < 0 or self.embed_dim <= 0:
            raise ValueError("GeminiConfig: timeout_s and embed_dim must be > 0, max_retries >= 0")
        if self.max_retry_delay_s < 0 or self.retry_base_delay_s < 0:
            raise ValueError("GeminiConfig: retry delays must be >= 0")


_clients: dict[GeminiConfig, genai.Client] = {}
_clients_lock = threading.Lock()


def get_client(config: GeminiConfig) -> genai.Client:
    """One ``genai.Client`` per configuration, shared by extractor and embedder.

    The client holds an httpx2 connection pool, so it is built once and reused (it is
    safe to share between threads).
    """
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            client = genai.Client(
                # Explicit: GOOGLE_GENAI_USE_ENTERPRISE / _VERTEXAI in the environment
                # would otherwise silently switch to the Vertex endpoint and auth.
                enterprise=False,
                api_key=config.api_key,
                http_options=types.HttpOptions(
                    base_url=config.base_url,
                    api_version=config.api_version,
                    # google-genai takes MILLISECONDS here (and treats 0 as "no timeout").
                    timeout=max(1, round(config.timeout_s * 1000)),
                    # One attempt: call_with_retries is the only retry loop. attempts=1
                    # is explicit so that a future SDK default cannot stack retries.
                    retry_options=types.HttpRetryOptions(attempts=1),
                ),
            )
            _clients[config] = client
        return client


def close_clients() -> None:
    """Close every cached client (process shutdown, tests)."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close()


def _parse_duration(value: object) -> float | None:
    """A protobuf JSON Duration ("7s", "1.500s") in seconds, or None."""
    if not isinstance(value, str) or not value.endswith("s"):
        return None
    try:
        seconds = float(value[:-1])
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _error_details(exc: errors.APIError) -> list[dict[str, Any]]:
    body = exc.details
    if isinstance(body, dict):
        error = body.get("error", body)
        details = error.get("details") if isinstance(error, dict) else None
        if isinstance(details, list):
            return [d for d in details if isinstance(d, dict)]
    return []


def _classify(exc: Exception) -> Failure | None:
    """Map an SDK/transport exception to a failure, or None if it is not ours to handle."""
    if isinstance(exc, errors.APIError):
        details = _error_details(exc)
        label = f"HTTP {exc.code} {exc.status or ''}".rstrip()
        reasons = {d.get("reason") for d in details if d.get("@type") == _ERROR_INFO}
        if exc.code in (401, 403) or "API_KEY_INVALID" in reasons:
            # A bad or missing key will not get better by retrying.
            return Failure(f"the API key was rejected ({label})", retryable=False)
        hint = next(
            (
                _parse_duration(d.get("retryDelay"))
                for d in details
                if d.get("@type") == _RETRY_INFO
            ),
            None,
        )
        message = excerpt(str(exc.message or ""), 160)
        reason = f"{label}: {message}" if message else label
        return Failure(reason, retryable=exc.code in _RETRYABLE_STATUSES, retry_after=hint)
    if isinstance(exc, httpx2.TimeoutException):
        return Failure(f"timed out ({type(exc).__name__})", retryable=True)
    if isinstance(exc, httpx2.TransportError):
        return Failure(f"connection failed ({type(exc).__name__})", retryable=True)
    if isinstance(exc, httpx2.HTTPError):
        return Failure(f"HTTP client error ({type(exc).__name__})", retryable=False)
    if isinstance(exc, errors.UnknownApiResponseError):
        # A 200 whose body is not JSON: typically a proxy's error page. Transient.
        return Failure("the response body is not JSON", retryable=True)
    return None


def call_with_retries(config: GeminiConfig, what: str, call: Callable[[], T]) -> T:
    """Run ``call`` with our bounded retry policy; raise ``ProviderUnavailable`` when done.

    * 429/408/5xx, timeouts and connection errors are retried at most ``max_retries``
      times. A ``RetryInfo.retryDelay`` from the server is waited for exactly; without
      one we back off exponentially (with jitter) from ``retry_base_delay_s``. No wait
      ever exceeds ``max_retry_delay_s``: when the server asks for longer (a daily quota,
      say) we give up at once with ``retry_after`` set, so a job queue can reschedule
      instead of a worker blocking.
    * Anything else (bad key, 400, 404 model not found) fails at once.

    Exceptions are raised ``from None`` and messages are built from the status and a short
    server message only: SDK exceptions carry whole request/response objects, and nothing
    derived from the key may reach a traceback or log.
    """
    return retry_call(
        call,
        classify=_classify,
        prefix=f"gemini {what}",
        secret=config.api_key,
        max_retries=config.max_retries,
        max_retry_delay_s=config.max_retry_delay_s,
        retry_base_delay_s=config.retry_base_delay_s,
        logger=logger,
    )
