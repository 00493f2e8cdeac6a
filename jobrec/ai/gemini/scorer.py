"""Resume-to-job fit scoring with Gemini's structured output (engine 2)."""

from __future__ import annotations

from google import genai

from jobrec.ai.gemini.client import GeminiConfig, get_client
from jobrec.ai.gemini.structured import InvalidOutputSpent, generate_validated, generation_config
from jobrec.ai.interfaces import Fit, Usage
from jobrec.ai.prompts import FIT_INSTRUCTIONS, fit_json_schema, fit_prompt, parse_fit
from jobrec.ai.usage import UsageMeter

__all__ = ["GeminiScorer"]


class GeminiScorer:
    """Implements ``FitScorer``: one ``generateContent`` call per (resume, job) pair, two
    if the first answer is invalid. Thread-safe: engine 2 scores pairs concurrently."""

    def __init__(self, config: GeminiConfig, *, client: genai.Client | None = None) -> None:
        self.provider = "gemini"
        self.model = config.score_model
        self._config = config
        self._client = client or get_client(config)
        self._meter = UsageMeter()
        self._generation = generation_config(
            config, instructions=FIT_INSTRUCTIONS, schema=fit_json_schema()
        )

    def __repr__(self) -> str:
        return f"GeminiScorer(model={self.model!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        """Calls and tokens spent by this object since it was created."""
        return self._meter.total

    def score_fit(self, *, resume: str, job: str) -> Fit:
        if not resume.strip() or not job.strip():
            raise ValueError("both the resume and the job need text")
        try:
            assessment, spent = generate_validated(
                config=self._config,
                client=self._client,
                model=self.model,
                generation=self._generation,
                prompt=lambda reason: fit_prompt(resume=resume, job=job, rejected_because=reason),
                parse=parse_fit,
            )
        except InvalidOutputSpent as exc:
            self._meter.add(exc.usage)
            raise
        self._meter.add(spent)
        return Fit(assessment=assessment, provider=self.provider, model=self.model, usage=spent)
