"""Job facts extraction with Gemini's structured output (``responseJsonSchema``)."""

from __future__ import annotations

from google import genai

from jobrec.ai.gemini.client import GeminiConfig, get_client
from jobrec.ai.gemini.structured import InvalidOutputSpent, generate_validated, generation_config
from jobrec.ai.interfaces import Extraction, Usage
from jobrec.ai.prompts import (
    EXTRACTION_INSTRUCTIONS,
    extraction_prompt,
    job_facts_json_schema,
    parse_job_facts,
)
from jobrec.ai.usage import UsageMeter

__all__ = ["GeminiExtractor"]


class GeminiExtractor:
    """Implements ``Extractor``: one ``generateContent`` call per posting (two if the
    first answer is invalid), each with its own bounded transient-error retries."""

    def __init__(self, config: GeminiConfig, *, client: genai.Client | None = None) -> None:
        self.provider = "gemini"
        self.model = config.extract_model
        self._config = config
        self._client = client or get_client(config)
        self._meter = UsageMeter()
        # Built once: it is the same for every posting.
        self._generation = generation_config(
            config, instructions=EXTRACTION_INSTRUCTIONS, schema=job_facts_json_schema()
        )

    def __repr__(self) -> str:
        return f"GeminiExtractor(model={self.model!r}, base_url={self._config.base_url!r})"

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
                generation=self._generation,
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
