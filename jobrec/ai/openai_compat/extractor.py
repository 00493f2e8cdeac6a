"""Job facts extraction through an OpenAI-compatible chat completions endpoint."""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

import openai
from openai.types.chat import ChatCompletion

from jobrec.ai.interfaces import Extraction, InvalidOutput, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, call_with_retries, get_client
from jobrec.ai.prompts import (
    EXTRACTION_INSTRUCTIONS,
    extraction_prompt,
    job_facts_json_schema,
    parse_job_facts,
)

__all__ = ["OpenAIExtractor"]

logger = logging.getLogger("jobrec.ai.openai_compat")

# One answer plus one retry (see the Gemini extractor for why not more).
_ANSWERS_PER_JOB = 2


class OpenAIExtractor:
    """Implements ``Extractor``: one chat completion per posting (two if the first answer
    is invalid), with ``response_format=json_schema`` and pydantic validation."""

    def __init__(self, config: OpenAIConfig, *, client: openai.OpenAI | None = None) -> None:
        self.provider = "openai"
        self.model = config.model
        self._config = config
        self._client = client or get_client(config)
        self._lock = threading.Lock()
        self._usage = Usage()
        # We validate message.content ourselves rather than using .parse(): the same
        # code path then works for servers that ignore the schema (Ollama Cloud accepts
        # it without enforcing it) and gives pydantic's reasons for the retry prompt.
        self._response_format: Any = {
            "type": "json_schema",
            "json_schema": {
                "name": "JobFacts",
                "strict": config.strict_schema,
                "schema": job_facts_json_schema(),
            },
        }

    def __repr__(self) -> str:
        return f"OpenAIExtractor(model={self.model!r}, base_url={self._config.base_url!r})"

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
            extra: dict[str, Any] = {}
            if self._config.temperature is not None:
                extra["temperature"] = self._config.temperature
            completion = call_with_retries(
                self._config,
                f"chat.completions {self.model}",
                functools.partial(
                    self._client.chat.completions.create,
                    model=self.model,
                    messages=[
                        {"role": "system", "content": EXTRACTION_INSTRUCTIONS},
                        {"role": "user", "content": prompt},
                    ],
                    response_format=self._response_format,
                    **extra,
                ),
            )
            spent = spent + _usage_of(completion)
            try:
                facts = parse_job_facts(_answer_text(completion))
            except InvalidOutput as exc:
                rejected_because = str(exc)
                logger.warning(
                    "openai-compatible %s: answer %d of %d rejected: %s",
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
            f"openai-compatible {self.model}: {_ANSWERS_PER_JOB} answers rejected; "
            f"last: {rejected_because}"
        )

    def _record(self, spent: Usage) -> None:
        with self._lock:
            self._usage = self._usage + spent


def _usage_of(completion: ChatCompletion) -> Usage:
    usage = completion.usage
    if usage is None:  # some compatible servers omit it
        return Usage(calls=1)
    return Usage(
        calls=1,
        input_tokens=usage.prompt_tokens or 0,
        output_tokens=usage.completion_tokens or 0,
    )


def _answer_text(completion: ChatCompletion) -> str | None:
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
