"""One validated JSON answer from an OpenAI-compatible server: the loop extraction and fit
scoring share."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import openai
from openai.types.chat import ChatCompletion

from jobrec.ai.interfaces import InvalidOutput, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, call_with_retries

__all__ = ["ANSWERS_PER_REQUEST", "InvalidOutputSpent", "generate_validated", "response_format"]

logger = logging.getLogger("jobrec.ai.openai_compat")
T = TypeVar("T")

# One answer plus one retry (see the Gemini provider for why not more).
ANSWERS_PER_REQUEST = 2


class InvalidOutputSpent(InvalidOutput):
    """Invalid output, with what the rejected answers cost (still billed)."""

    def __init__(self, message: str, *, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


def response_format(config: OpenAIConfig, *, name: str, schema: dict[str, Any]) -> Any:
    # We validate message.content ourselves rather than using .parse(): the same code path
    # then works for servers that ignore the schema (Ollama Cloud accepts it without
    # enforcing it) and gives pydantic's reasons for the retry prompt.
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "strict": config.strict_schema, "schema": schema},
    }


def generate_validated(
    *,
    config: OpenAIConfig,
    client: openai.OpenAI,
    model: str,
    instructions: str,
    schema_format: Any,
    prompt: Callable[[str | None], str],
    parse: Callable[[str | None], T],
) -> tuple[T, Usage]:
    """``parse`` of the answer to ``prompt(None)``; on an invalid answer, one more try with
    ``prompt(reason)``. Raises InvalidOutputSpent or ProviderUnavailable."""
    spent = Usage()
    rejected_because: str | None = None
    extra: dict[str, Any] = {}
    if config.temperature is not None:
        extra["temperature"] = config.temperature
    for attempt in range(1, ANSWERS_PER_REQUEST + 1):
        completion = call_with_retries(
            config,
            f"chat.completions {model}",
            functools.partial(
                client.chat.completions.create,
                model=model,
                messages=[
                    {"role": "system", "content": instructions},
                    {"role": "user", "content": prompt(rejected_because)},
                ],
                response_format=schema_format,
                **extra,
            ),
        )
        spent = spent + usage_of(completion)
        try:
            return parse(answer_text(completion)), spent
        except InvalidOutput as exc:
            rejected_because = str(exc)
            logger.warning(
                "openai-compatible %s: answer %d of %d rejected: %s",
                model,
                attempt,
                ANSWERS_PER_REQUEST,
                rejected_because,
            )
    raise InvalidOutputSpent(
        f"openai-compatible {model}: {ANSWERS_PER_REQUEST} answers rejected; "
        f"last: {rejected_because}",
        usage=spent,
    )


def usage_of(completion: ChatCompletion) -> Usage:
    usage = completion.usage
    if usage is None:  # some compatible servers omit it
        return Usage(calls=1)
    return Usage(
        calls=1,
        input_tokens=usage.prompt_tokens or 0,
        output_tokens=usage.completion_tokens or 0,
    )


def answer_text(completion: ChatCompletion) -> str | None:
    """The answer's content, or None; raises InvalidOutput for refused or cut answers."""
    if not completion.choices:
        return None
    choice = completion.choices[0]
    refusal = getattr(choice.message, "refusal", None)
    if refusal:
        raise InvalidOutput("the model refused to answer")
    if choice.finish_reason == "length":
        # A JSON object cut at the token limit would fail to parse anyway; say why.
        raise InvalidOutput("the answer was cut off (finish_reason=length)")
    return choice.message.content
