"""Configuration, the shared ``openai.OpenAI`` client and the retry policy of the
OpenAI-compatible provider (Ollama, vLLM, LM Studio, Gemini's OpenAI endpoint, OpenAI).

We retry ourselves (``max_retries=0`` on the SDK) so both LLM providers follow one
policy: bounded attempts, the server's ``Retry-After`` honoured up to a cap, and an early
``ProviderUnavailable(retry_after=...)`` when the server asks for a longer wait than a
worker should block for.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import httpx2
import openai

from jobrec.ai.prompts import excerpt
from jobrec.ai.retry import Failure, redact, retry_call

__all__ = ["OpenAIConfig", "call_with_retries", "close_clients", "get_client", "redact"]

logger = logging.getLogger("jobrec.ai.openai_compat")

T = TypeVar("T")

_RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
# Local servers (Ollama, vLLM) ignore the key, but the SDK refuses to run without one
# and would otherwise read OPENAI_API_KEY from the environment and send that (a real
# OpenAI key) to whatever base_url is configured.
_PLACEHOLDER_KEY = "no-key"


@dataclass(frozen=True, kw_only=True)
class OpenAIConfig:
    """Everything the OpenAI-compatible provider needs; built by the caller from settings."""

    base_url: str  # e.g. http://localhost:11434/v1 (Ollama), http://host:8000/v1 (vLLM)
    # repr=False: the key must never reach a log line through a repr of the config.
    api_key: str = field(default="", repr=False)
    model: str = "qwen3:8b"  # the chat model used for extraction
    embed_model: str = "nomic-embed-text"
    embed_dim: int = 768
    timeout_s: float = 30.0  # the SDK's own default is 600 s
    max_retries: int = 3  # retries after the first attempt, per API call
    max_retry_delay_s: float = 60.0  # longest single wait; a longer Retry-After fails fast
    retry_base_delay_s: float = 1.0  # first exponential back-off step (5xx, timeouts)
    temperature: float | None = 0.0  # deterministic extraction on local models
    # strict=True makes OpenAI enforce the schema; Ollama/vLLM enforce it by grammar anyway.
    strict_schema: bool = True
    # Send ``dimensions`` (only for models with Matryoshka support); otherwise the model's
    # native size must equal embed_dim, which is checked on every answer.
    request_dimensions: bool = False
    # Task prefixes some embedding models need, e.g. nomic-embed-text:
    # "search_document: " and "search_query: ".
    document_prefix: str = ""
    query_prefix: str = ""

    def __post_init__(self) -> None:
        if not self.base_url:
            raise ValueError("OpenAIConfig.base_url is required")
        if self.timeout_s <= 0 or self.max_retries < 0 or self.embed_dim <= 0:
            raise ValueError("OpenAIConfig: timeout_s and embed_dim must be > 0, max_retries >= 0")
        if self.max_retry_delay_s < 0 or self.retry_base_delay_s < 0:
            raise ValueError("OpenAIConfig: retry delays must be >= 0")


_clients: dict[OpenAIConfig, openai.OpenAI] = {}
_clients_lock = threading.Lock()


def get_client(config: OpenAIConfig) -> openai.OpenAI:
    """One ``openai.OpenAI`` per configuration (it holds a connection pool; thread-safe)."""
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            client = openai.OpenAI(
                base_url=config.base_url,
                api_key=config.api_key or _PLACEHOLDER_KEY,
                timeout=config.timeout_s,
                max_retries=0,  # call_with_retries is the only retry loop
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


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The server's wait hint: ``retry-after-ms`` (OpenAI), else ``Retry-After`` given as
    seconds or as an HTTP date (RFC 9110)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            value = float(millis) / 1000
        except ValueError:
            value = math.nan
        if math.isfinite(value) and value >= 0:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    return value if math.isfinite(value) and value >= 0 else None


def _server_message(body: object) -> str:
    if isinstance(body, dict):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, str):
            return excerpt(message, 160)
    return ""


def _classify(exc: Exception) -> Failure | None:
    """Map an SDK/transport exception to a failure, or None if it is not ours to handle."""
    # Order matters: APITimeoutError is an APIConnectionError; RateLimitError,
    # AuthenticationError... are APIStatusErrors.
    if isinstance(exc, openai.APITimeoutError):
        return Failure("timed out", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return Failure(f"connection failed ({type(exc).__name__})", retryable=True)
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        # No server message: OpenAI's 401 quotes a masked form of the key we sent.
        return Failure(f"the API key was rejected (HTTP {exc.status_code})", retryable=False)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message = _server_message(exc.body)
        reason = f"HTTP {status}: {message}" if message else f"HTTP {status}"
        return Failure(
            reason,
            retryable=status in _RETRYABLE_STATUSES,
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, httpx2.TimeoutException):
        return Failure(f"timed out ({type(exc).__name__})", retryable=True)
    if isinstance(exc, httpx2.TransportError):
        return Failure(f"connection failed ({type(exc).__name__})", retryable=True)
    return None


def call_with_retries(config: OpenAIConfig, what: str, call: Callable[[], T]) -> T:
    """Run ``call`` with our bounded retry policy; raise ``ProviderUnavailable`` when done.

    Same policy as the Gemini provider: 408/409/429/5xx, timeouts and connection errors
    are retried at most ``max_retries`` times, waiting the server's ``Retry-After`` when
    given and backing off exponentially otherwise; a requested wait longer than
    ``max_retry_delay_s`` fails at once with ``retry_after`` set; other errors (bad key,
    400, 404 unknown model) fail at once. Raised ``from None`` with a message built from
    the status and a short server message, so no SDK object (which holds the request and
    its Authorization header) ends up in a traceback.
    """
    return retry_call(
        call,
        classify=_classify,
        prefix=f"openai-compatible {what}",
        secret=config.api_key,
        max_retries=config.max_retries,
        max_retry_delay_s=config.max_retry_delay_s,
        retry_base_delay_s=config.retry_base_delay_s,
        logger=logger,
    )
