"""What jobs and recommendations need from models, as small interfaces.

Every provider (``local``, ``gemini``, ``openai_compat``) is a sub-package with the same
files (``extractor.py``, ``embedder.py``, and for LLMs ``scorer.py``) implementing
these protocols. There is no local ``FitScorer``: without an LLM, engine 2 is not
offered. Nothing here imports Django: providers get their configuration passed in, so
they run in workers, commands, benchmarks and tests alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

Seniority = Literal["intern", "junior", "mid", "senior", "lead", "principal"]
EmploymentType = Literal["full_time", "part_time", "contract", "internship", "temporary", "unknown"]
RemotePolicy = Literal["remote", "hybrid", "onsite", "unknown"]
EmbeddingTask = Literal["document", "query"]
SUMMARY_MAX_WORDS = 60


class JobFacts(BaseModel):
    """The structured facts of one posting. Also the JSON schema LLM providers must answer in.

    Validation is strict on purpose: an LLM answer that misses a field, invents a seniority
    or states absurd values is rejected and never stored.
    """

    model_config = ConfigDict(extra="forbid")

    skills: list[str] = Field(description="Hard skills, tools and technologies the job asks for")
    seniority: Seniority = Field(description="The level of the role")
    years_experience: int | None = Field(
        default=None, ge=0, le=40, description="Minimum years of experience asked for"
    )
    employment_type: EmploymentType = "unknown"
    remote_policy: RemotePolicy = "unknown"
    salary_min: int | None = Field(default=None, ge=1000, le=10_000_000)
    salary_max: int | None = Field(default=None, ge=1000, le=10_000_000)
    salary_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    summary: str = Field(description=f"At most {SUMMARY_MAX_WORDS} words: what the job is")

    @field_validator("summary")
    @classmethod
    def _summary_length(cls, value: str) -> str:
        words = value.split()
        if not words:
            raise ValueError("summary is empty")
        if len(words) > SUMMARY_MAX_WORDS:
            raise ValueError(f"summary has {len(words)} words, at most {SUMMARY_MAX_WORDS}")
        return " ".join(words)

    @field_validator("skills")
    @classmethod
    def _skills_bounded(cls, value: list[str]) -> list[str]:
        cleaned = [s.strip() for s in value if s and s.strip()]
        if len(cleaned) > 80:
            raise ValueError("more than 80 skills")
        too_long = [s for s in cleaned if len(s) > 80]
        if too_long:
            # A sentence is not a skill: the model misunderstood the task.
            raise ValueError(f"not a skill (over 80 characters): {too_long[0][:40]!r}...")
        return cleaned


@dataclass(frozen=True)
class Usage:
    """LLM calls and tokens spent (all zero for the local provider)."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
        )


@dataclass(frozen=True)
class Extraction:
    facts: JobFacts
    provider: str
    model: str
    usage: Usage = Usage()


class FitAssessment(BaseModel):
    """An LLM's judgement of how well one resume fits one job. Also the JSON schema the
    providers must answer in; validated strictly like ``JobFacts``."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=100, description="0 = no fit at all, 100 = a perfect fit")
    reasons: list[str] = Field(description="One to five short reasons for the score")
    matched_skills: list[str] = Field(description="Skills the job asks for that the person has")
    missing_skills: list[str] = Field(description="Skills the job asks for that the person lacks")

    @field_validator("reasons")
    @classmethod
    def _reasons_bounded(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(r.split()) for r in value if r and r.strip()]
        if not 1 <= len(cleaned) <= 5:
            raise ValueError(f"give one to five reasons, not {len(cleaned)}")
        if any(len(r) > 300 for r in cleaned):
            raise ValueError("a reason is longer than 300 characters")
        return cleaned

    @field_validator("matched_skills", "missing_skills")
    @classmethod
    def _skills_listed(cls, value: list[str]) -> list[str]:
        cleaned = [s.strip() for s in value if s and s.strip()]
        if len(cleaned) > 40 or any(len(s) > 80 for s in cleaned):
            raise ValueError("at most 40 skills of at most 80 characters each")
        return cleaned


@dataclass(frozen=True)
class Fit:
    assessment: FitAssessment
    provider: str
    model: str
    usage: Usage = Usage()


@dataclass(frozen=True)
class SpaceSpec:
    """Identifies a vector space: vectors of different spaces are never compared."""

    provider: str
    model: str
    dim: int
    version: str = "1"

    @property
    def name(self) -> str:
        return f"{self.provider}:{self.model}:{self.dim}:v{self.version}"


class ProviderError(Exception):
    """Base class for provider failures."""


class ProviderUnavailable(ProviderError):
    """The provider cannot answer now: network, timeouts, 429/5xx after bounded retries,
    a bad key. ``retry_after`` is the server's hint in seconds, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidOutput(ProviderError):
    """The provider answered, but not with valid data (after one retry)."""


@runtime_checkable
class Extractor(Protocol):
    provider: str
    model: str

    def extract_job(self, *, title: str, text: str) -> Extraction:
        """Facts of one posting. Raises ProviderUnavailable or InvalidOutput."""
        ...


@runtime_checkable
class FitScorer(Protocol):
    provider: str
    model: str

    def score_fit(self, *, resume: str, job: str) -> Fit:
        """How well the person behind ``resume`` fits ``job`` (both plain-text digests).
        Raises ProviderUnavailable or InvalidOutput."""
        ...


@runtime_checkable
class Embedder(Protocol):
    space: SpaceSpec

    def embed(self, texts: Sequence[str], *, task: EmbeddingTask = "document") -> list[list[float]]:
        """One L2-normalised vector of ``space.dim`` floats per text, in input order.

        Providers batch internally (Gemini: at most 100 texts per request). Raises
        ProviderUnavailable; never returns zero vectors (an empty text gets a clear error
        from the caller's side, not a vector of zeros).
        """
        ...
