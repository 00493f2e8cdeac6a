"""The one bounded retry policy of every LLM provider (the SDKs' own retries are off).

Providers classify their SDK's exceptions into a :class:`Failure`; :func:`retry_call` does
the rest, the same way for every provider:

* retryable failures (429/408/5xx, timeouts, connection errors) are retried at most
  ``max_retries`` times. A wait the server asks for (Gemini's ``retryDelay``, HTTP
  ``Retry-After``) is honoured; without one we back off exponentially with jitter from
  ``retry_base_delay_s``. No wait exceeds ``max_retry_delay_s``: when the server asks for
  longer (a daily quota, say) we give up at once with ``retry_after`` set, so a job queue can
  reschedule instead of a worker blocking;
* anything else (bad key, 400, 404 model not found) fails at once.

Exceptions are raised ``from None`` with messages built from the status and a short server
message only: SDK exceptions carry whole request objects, and nothing derived from the API
key may reach a traceback or log.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from jobrec.ai.interfaces import ProviderUnavailable

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """How one failed attempt is handled: a safe description, retry or not, and the
    server's wait hint in seconds."""

    reason: str
    retryable: bool
    retry_after: float | None = None


def redact(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` masked (defence in depth)."""
    return text.replace(secret, "[redacted]") if secret else text


def retry_call(
    call: Callable[[], T],
    *,
    classify: Callable[[Exception], Failure | None],
    prefix: str,
    secret: str,
    max_retries: int,
    max_retry_delay_s: float,
    retry_base_delay_s: float,
    logger: logging.Logger,
) -> T:
    """Run ``call`` under the policy above; ``classify`` returns None for exceptions that
    are not the provider's (they propagate unchanged)."""
    attempts = max_retries + 1
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as exc:
            failure = classify(exc)
            if failure is None:
                raise
        reason = redact(failure.reason, secret)
        if not failure.retryable:
            raise ProviderUnavailable(f"{prefix}: {reason}") from None
        hint = failure.retry_after
        if hint is not None and hint > max_retry_delay_s:
            raise ProviderUnavailable(
                f"{prefix}: {reason}; the server asks to wait {hint:g}s, more than the "
                f"{max_retry_delay_s:g}s we wait in-process",
                retry_after=hint,
            ) from None
        if attempt == attempts:
            raise ProviderUnavailable(
                f"{prefix}: {reason} (gave up after {attempts} attempts)", retry_after=hint
            ) from None
        if hint is not None:
            delay = hint
        else:
            backoff = retry_base_delay_s * (2 ** (attempt - 1))
            # "Equal jitter": keeps a floor under the wait while de-synchronising workers.
            delay = min(backoff, max_retry_delay_s) * random.uniform(0.5, 1.0)
        logger.warning(
            "%s: %s; retrying in %.2fs (attempt %d of %d)",
            prefix,
            reason,
            delay,
            attempt + 1,
            attempts,
        )
        time.sleep(delay)
    raise AssertionError("unreachable")  # the loop always returns or raises
