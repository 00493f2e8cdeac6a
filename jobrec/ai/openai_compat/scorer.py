"""Resume-to-job fit scoring through an OpenAI-compatible chat completions endpoint."""

from __future__ import annotations

import threading

import openai

from jobrec.ai.interfaces import Fit, Usage
from jobrec.ai.openai_compat.client import OpenAIConfig, get_client
from jobrec.ai.openai_compat.structured import (
    InvalidOutputSpent,
    generate_validated,
    response_format,
)
from jobrec.ai.prompts import FIT_INSTRUCTIONS, fit_json_schema, fit_prompt, parse_fit

__all__ = ["OpenAIScorer"]


class OpenAIScorer:
    """Implements ``FitScorer`` with one chat completion per pair (two if invalid)."""

    def __init__(self, config: OpenAIConfig, *, client: openai.OpenAI | None = None) -> None:
        self.provider = "openai"
        self.model = config.model
        self._config = config
        self._client = client or get_client(config)
        self._lock = threading.Lock()
        self._usage = Usage()
        self._response_format = response_format(
            config, name="FitAssessment", schema=fit_json_schema()
        )

    def __repr__(self) -> str:
        return f"OpenAIScorer(model={self.model!r}, base_url={self._config.base_url!r})"

    @property
    def usage(self) -> Usage:
        with self._lock:
            return self._usage

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
            self._record(exc.usage)
            raise
        self._record(spent)
        return Fit(assessment=assessment, provider=self.provider, model=self.model, usage=spent)

    def _record(self, spent: Usage) -> None:
        with self._lock:
            self._usage = self._usage + spent
