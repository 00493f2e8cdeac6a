"""One validated JSON answer from Gemini: the loop extraction and fit scoring share."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from google import genai
from google.genai import types

from jobrec.ai.gemini.client import GeminiConfig, call_with_retries
from jobrec.ai.interfaces import InvalidOutput, Usage

__all__ = [
    "ANSWERS_PER_REQUEST",
    "InvalidOutputSpent",
    "generate_validated",
    "generation_config",
]

logger = logging.getLogger("jobrec.ai.gemini")
T = TypeVar("T")

# One answer plus one retry: a model that fails validation twice in a row on the same
# input is unlikely to get it right on a third try, and every try costs tokens.
ANSWERS_PER_REQUEST = 2


class InvalidOutputSpent(InvalidOutput):
    """Invalid output, with what the rejected answers cost (still billed)."""

    def __init__(self, message: str, *, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


def generation_config(
    config: GeminiConfig, *, instructions: str, schema: dict[str, Any]
) -> types.GenerateContentConfig:
    # We pass a JSON Schema dict (response_json_schema) rather than a pydantic class
    # (response_schema): the latter goes through the SDK's lossy OpenAPI-subset conversion,
    # and resp.parsed would swallow validation errors (it is just None on failure), whereas
    # we want pydantic's reasons for the retry prompt and the exception.
    return types.GenerateContentConfig(
        system_instruction=instructions,
        response_mime_type="application/json",
        response_json_schema=schema,
        temperature=config.temperature,
        thinking_config=(
            types.ThinkingConfig(thinking_level=types.ThinkingLevel(config.thinking_level))
            if config.thinking_level
            else None
        ),
        # One call per item: no automatic function calling loop and no automatic
        # continuation follow-ups hidden inside one SDK call.
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        automatic_continuation=False,
    )


def generate_validated(
    *,
    config: GeminiConfig,
    client: genai.Client,
    model: str,
    generation: types.GenerateContentConfig,
    prompt: Callable[[str | None], str],
    parse: Callable[[str | None], T],
) -> tuple[T, Usage]:
    """``parse`` of the model's answer to ``prompt(None)``; on an invalid answer, one more
    try with ``prompt(reason)``. Raises InvalidOutputSpent (carrying what the rejected
    answers cost) or ProviderUnavailable."""
    spent = Usage()
    rejected_because: str | None = None
    for attempt in range(1, ANSWERS_PER_REQUEST + 1):
        response = call_with_retries(
            config,
            f"generateContent {model}",
            functools.partial(
                client.models.generate_content,
                model=model,
                contents=prompt(rejected_because),
                config=generation,
            ),
        )
        spent = spent + usage_of(response)
        try:
            return parse(answer_text(response)), spent
        except InvalidOutput as exc:
            rejected_because = str(exc)
            logger.warning(
                "gemini %s: answer %d of %d rejected: %s",
                model,
                attempt,
                ANSWERS_PER_REQUEST,
                rejected_because,
            )
    raise InvalidOutputSpent(
        f"gemini {model}: {ANSWERS_PER_REQUEST} answers rejected; last: {rejected_because}",
        usage=spent,
    )


def usage_of(response: types.GenerateContentResponse) -> Usage:
    meta = response.usage_metadata
    if meta is None:
        return Usage(calls=1)
    # Thinking tokens are billed as output, so they count as output here.
    output = (meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0)
    return Usage(calls=1, input_tokens=meta.prompt_token_count or 0, output_tokens=output)


def answer_text(response: types.GenerateContentResponse) -> str | None:
    """The answer's text parts, or None; raises InvalidOutput for blocked/cut answers.

    Not ``response.text``: that logs a warning on non-text parts and cannot tell a
    blocked prompt from an empty answer.
    """
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        raise InvalidOutput(f"the prompt was blocked ({feedback.block_reason})")
    if not response.candidates:
        return None
    candidate = response.candidates[0]
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    text = "".join(p.text for p in parts if p.text and not p.thought)
    finish = candidate.finish_reason
    if finish is not None and finish != types.FinishReason.STOP:
        # MAX_TOKENS leaves truncated JSON, SAFETY/RECITATION an empty or partial answer.
        raise InvalidOutput(f"the answer ended with finish_reason={finish}")
    return text
