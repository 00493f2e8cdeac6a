"""Engine 2: an LLM scores the top N of engine 1; its scores order them.

Each (resume content, job content, model) is judged once and kept in ``FitScore``: the same
pair is never paid for twice. Pairs are scored a few at a time; when the LLM is
unavailable, slow or answers garbage for any of them, the engine gives engine 1's ranking
back with a notice saying why, never an error.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from jobrec.ai.interfaces import Fit, FitScorer, ProviderError, Usage
from recommendations.models import FitScore
from recommendations.ranking import Scored

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LLMRanked:
    scored: Scored
    fit: FitScore


@dataclass(frozen=True)
class LLMResult:
    ranked: list[LLMRanked]
    notice: str
    usage: Usage
    cached: int


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recommend_llm(
    *,
    top: Sequence[Scored],
    resume_digest: str,
    job_digest: Callable[[int], str],  # called here, never in the worker threads
    job_hashes: dict[int, str],
    scorer: FitScorer,
    concurrency: int,
    deadline_s: float,
) -> LLMResult:
    """Score ``top`` (engine 1's best, in order) with ``scorer``; raise nothing.

    Returns an empty ``ranked`` with a notice when the LLM failed: the caller shows engine
    1's ranking then.
    """
    resume_hash = text_hash(resume_digest)
    known = {
        f.job_hash: f
        for f in FitScore.objects.filter(
            resume_hash=resume_hash,
            job_hash__in=[job_hashes[s.candidate.job_id] for s in top],
            model=scorer.model,
        )
    }
    missing = [s for s in top if job_hashes[s.candidate.job_id] not in known]
    usage = Usage()
    failures: list[str] = []

    # Digests read the database: built here, so the threads below only talk to the LLM
    # (and open no database connection that would outlive the request).
    digests = {item.candidate.job_id: job_digest(item.candidate.job_id) for item in missing}

    def ask(item: Scored) -> Fit | None:
        try:
            return scorer.score_fit(resume=resume_digest, job=digests[item.candidate.job_id])
        except (ProviderError, ValueError) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            return None

    if missing:
        # A deadline for the whole list: a slow provider must not hold the page for the sum
        # of every call's timeouts. Calls still running are left to finish on their own
        # (each is bounded by the provider's timeout and retries); their answers are not
        # waited for, and the list falls back to engine 1.
        pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="fit")
        futures = [pool.submit(ask, item) for item in missing]
        done, not_done = wait(futures, timeout=deadline_s)
        pool.shutdown(wait=False, cancel_futures=True)
        if not_done:
            failures.append(
                f"ProviderUnavailable: {len(not_done)} answers took longer than {deadline_s:g} s"
            )
        fits = [f.result() if f in done else None for f in futures]
        for item, fit in zip(missing, fits, strict=True):
            if fit is None:
                continue
            usage = usage + fit.usage
            row, _ = FitScore.objects.get_or_create(
                resume_hash=resume_hash,
                job_hash=job_hashes[item.candidate.job_id],
                model=fit.model,
                defaults={
                    "provider": fit.provider,
                    "score": fit.assessment.score,
                    "reasons": fit.assessment.reasons,
                    "matched_skills": fit.assessment.matched_skills,
                    "missing_skills": fit.assessment.missing_skills,
                    "input_tokens": fit.usage.input_tokens,
                    "output_tokens": fit.usage.output_tokens,
                },
            )
            known[row.job_hash] = row
    if failures:
        logger.warning(
            "engine 2: %d of %d pairs not scored: %s", len(failures), len(top), failures[0]
        )
        # Scores already paid for are kept for next time; this list falls back whole, so
        # it never mixes LLM scores with engine 1 scores on one scale.
        return LLMResult(
            ranked=[],
            notice=(
                f"The AI ranking is unavailable right now ({_short(failures[0])}); "
                "showing the semantic ranking instead."
            ),
            usage=usage,
            cached=len(top) - len(missing),
        )
    ranked = [LLMRanked(scored=s, fit=known[job_hashes[s.candidate.job_id]]) for s in top]
    # The LLM's score orders the list; engine 1's score breaks ties.
    ranked.sort(key=lambda r: (-r.fit.score, -r.scored.score))
    return LLMResult(ranked=ranked, notice="", usage=usage, cached=len(top) - len(missing))


def _short(reason: str) -> str:
    kind = reason.split(":", 1)[0]
    return {
        "ProviderUnavailable": "the AI provider did not answer",
        "InvalidOutput": "the AI provider answered with invalid data",
        "InvalidOutputSpent": "the AI provider answered with invalid data",
    }.get(kind, "the AI provider failed")
