"""Job facts extraction through an OpenAI-compatible chat completions endpoint."""

from __future__ import annotations

import openai

from jobrec.ai.interfaces import Extraction, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, get_client
from jobrec.ai.openai_compat.structured import (
    InvalidOutputSpent,
    generate_validated,
    response_format,
)
from jobrec.ai.prompts import (
    EXTRACTION_INSTRUCTIONS,
    extraction_prompt,
    job_facts_json_schema,
    parse_job_facts,
)
from jobrec.ai.usage import UsageMeter

__all__ = ["OpenAIExtractor"]


class OpenAIExtractor:
    """Implements ``Extractor``: one chat completion per posting (two if the first answer
    is invalid), with ``response_format=json_schema`` and pydantic validation."""

    def __init__(self, config: OpenAIConfig, *, client: openai.OpenAI | None = None) -> None:
        self.provider = "openai"
        self.model = config.model
        self._config = config
        self._client = client or get_client(config)
        self._meter = UsageMeter()
        self._response_format = response_format(
            config, name="JobFacts", schema=job_facts_json_schema()
        )

    def __repr__(self) -> str:
        return f"OpenAIExtractor(model={self.model!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        """Calls and tokens spent by this object since it was created."""
        return self._meter.total

    def extract_job(self, *, title: str, text: str) -> Extraction:
        if not text or not text.strip():
            raise ValueError("the posting text is empty")
        try:
            facts, spent = generate_validated(
                config=self._config,
                client=self._client,
                model=self.model,
                instructions=EXTRACTION_INSTRUCTIONS,
                schema_format=self._response_format,
                prompt=lambda reason: extraction_prompt(
                    title=title, text=text, rejected_because=reason
                ),
                parse=parse_job_facts,
            )
        except InvalidOutputSpent as exc:
            self._meter.add(exc.usage)
            raise
        self._meter.add(spent)
        return Extraction(facts=facts, provider=self.provider, model=self.model, usage=spent)
