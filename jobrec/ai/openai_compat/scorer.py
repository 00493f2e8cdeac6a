"""Resume-to-job fit scoring through an OpenAI-compatible chat completions endpoint."""

from __future__ import annotations

import openai

from jobrec.ai.interfaces import Fit, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, get_client
from jobrec.ai.openai_compat.structured import (
    InvalidOutputSpent,
    generate_validated,
    response_format,
)
from jobrec.ai.prompts import FIT_INSTRUCTIONS, fit_json_schema, fit_prompt, parse_fit
from jobrec.ai.usage import UsageMeter

__all__ = ["OpenAIScorer"]


class OpenAIScorer:
    """Implements ``FitScorer`` with one chat completion per pair (two if invalid)."""

    def __init__(self, config: OpenAIConfig, *, client: openai.OpenAI | None = None) -> None:
        self.provider = "openai"
        self.model = config.model
        self._config = config
        self._client = client or get_client(config)
        self._meter = UsageMeter()
        self._response_format = response_format(
            config, name="FitAssessment", schema=fit_json_schema()
        )

    def __repr__(self) -> str:
        return f"OpenAIScorer(model={self.model!r}, base_url={self._config.base_url!r})"

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
                instructions=FIT_INSTRUCTIONS,
                schema_format=self._response_format,
                prompt=lambda reason: fit_prompt(resume=resume, job=job, rejected_because=reason),
                parse=parse_fit,
            )
        except InvalidOutputSpent as exc:
            self._meter.add(exc.usage)
            raise
        self._meter.add(spent)
        return Fit(assessment=assessment, provider=self.provider, model=self.model, usage=spent)
