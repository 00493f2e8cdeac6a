"""Job facts extraction with Gemini's structured output (``responseJsonSchema``)."""

from __future__ import annotations

import functools
import logging
import threading

from google import genai
from google.genai import types

from jobrec.ai.gemini.client import GeminiConfig, call_with_retries, get_client
from jobrec.ai.interfaces import Extraction, InvalidOutput, Usage
from jobrec.ai.prompts import (
    EXTRACTION_INSTRUCTIONS,
    extraction_prompt,
    job_facts_json_schema,
    parse_job_facts,
)

__all__ = ["GeminiExtractor"]

logger = logging.getLogger("jobrec.ai.gemini")

# One answer plus one retry: a model that fails validation twice in a row on the same
# posting is unlikely to get it right on a third try, and every try costs tokens.
_ANSWERS_PER_JOB = 2


class GeminiExtractor:
    """Implements ``Extractor``: one ``generateContent`` call per posting (two if the
    first answer is invalid), each with its own bounded transient-error retries."""

    def __init__(self, config: GeminiConfig, *, client: genai.Client | None = None) -> None:
        self.provider = "gemini"
        self.model = config.extract_model
        self._config = config
        self._client = client or get_client(config)
        self._lock = threading.Lock()
        self._usage = Usage()
        # Built once: it is the same for every posting. We pass a JSON Schema dict
        # (response_json_schema) rather than the pydantic class (response_schema):
        # the latter goes through the SDK's lossy OpenAPI-subset conversion, and
        # resp.parsed would swallow validation errors (it is just None on failure),
        # whereas we want pydantic's reasons for the retry prompt and the exception.
        self._generation_config = types.GenerateContentConfig(
            system_instruction=EXTRACTION_INSTRUCTIONS,
            response_mime_type="application/json",
            response_json_schema=job_facts_json_schema(),
            temperature=config.temperature,
            thinking_config=(
                types.ThinkingConfig(thinking_level=types.ThinkingLevel(config.thinking_level))
                if config.thinking_level
                else None
            ),
            # "One extraction call per job": no automatic function calling loop and no
            # automatic continuation follow-ups hidden inside one SDK call.
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            automatic_continuation=False,
        )

    def __repr__(self) -> str:
        return f"GeminiExtractor(model={self.model!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        """Calls and tokens spent by this extractor since it was created."""
        with self._lock:
            return self._usage

    def extract_job(self, *, title: str, text: str) -> Extraction:
        if not text or not text.strip():
            raise ValueError("the posting text is empty")
        spent = Usage()
        rejected_because: str | None = None
        for attempt in range(1, _ANSWERS_PER_JOB + 1):
            prompt = extraction_prompt(title=title, text=text, rejected_because=rejected_because)
            response = call_with_retries(
                self._config,
                f"generateContent {self.model}",
                functools.partial(
                    self._client.models.generate_content,
                    model=self.model,
                    contents=prompt,
                    config=self._generation_config,
                ),
            )
            spent = spent + _usage_of(response)
            try:
                facts = parse_job_facts(_answer_text(response))
            except InvalidOutput as exc:
                rejected_because = str(exc)
                logger.warning(
                    "gemini %s: answer %d of %d rejected: %s",
                    self.model,
                    attempt,
                    _ANSWERS_PER_JOB,
                    rejected_because,
                )
                continue
            self._record(spent)
            return Extraction(facts=facts, provider=self.provider, model=self.model, usage=spent)
        self._record(spent)
        raise InvalidOutput(
            f"gemini {self.model}: {_ANSWERS_PER_JOB} answers rejected; last: {rejected_because}"
        )

    def _record(self, spent: Usage) -> None:
        with self._lock:
            self._usage = self._usage + spent


def _usage_of(response: types.GenerateContentResponse) -> Usage:
    meta = response.usage_metadata
    if meta is None:
        return Usage(calls=1)
    # Thinking tokens are billed as output, so they count as output here.
    output = (meta.candidates_token_count or 0) + (meta.thoughts_token_count or 0)
    return Usage(calls=1, input_tokens=meta.prompt_token_count or 0, output_tokens=output)


def _answer_text(response: types.GenerateContentResponse) -> str | None:
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
