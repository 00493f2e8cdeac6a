"""Enrichment: facts and vectors for jobs, once per content.

Ingestion calls :func:`enrichment_enqueue` after its transaction commits. The task calls
:func:`jobs_enrich`, which is idempotent by content hash: a job whose enrichment is done for
its current content is skipped, so a redelivered task (brokers redeliver) or a second
request does nothing and pays for nothing.

A batch is extracted first (LLM calls happen outside any transaction), then embedded (one
request per 100 texts), then saved in one transaction that locks the job rows: a worker
killed before the commit leaves nothing behind and the redelivered task redoes the batch; a
worker killed after it finds the batch done.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jobrec.ai.interfaces import Embedder, Extraction, Extractor, ProviderError, Usage
from jobrec.ai.registry import (
    ProviderNotConfigured,
    embedder_for,
    extractor_build,
    local_extractor,
)
from jobrec.ai.skills import skills_canonical
from jobs.cache import jobs_cache_invalidate
from jobs.models import EmbeddingSpace, Enrichment, Job, ProviderUsage
from jobs.services.embeddings import job_embedding_text, job_embeddings_save, spaces_to_fill

logger = logging.getLogger(__name__)
TASK_BATCH = 100
# The longest description an extractor reads: facts sit at the top; a 100 kB posting is
# mostly repetition, and reading it all would make time and memory unbounded.
MAX_INPUT_CHARS = 20_000
MAX_ATTEMPTS = 5


@dataclass
class EnrichReport:
    enriched: list[int] = field(default_factory=list)
    skipped: int = 0
    failed: list[int] = field(default_factory=list)
    fallbacks: int = 0
    embedded: int = 0


def enrichment_enqueue(*, job_ids: Sequence[int], force: bool = False) -> None:
    """Queue enrichment of ``job_ids`` in batches (call after the jobs are committed)."""
    from jobs.tasks import enrich_jobs_task

    ids = list(job_ids)
    for start in range(0, len(ids), TASK_BATCH):
        enrich_jobs_task.delay(job_ids=ids[start : start + TASK_BATCH], force=force)


def _extract(job: Job, extractor: Extractor, fallback: Extractor | None) -> tuple[Extraction, str]:
    """Facts from the configured provider, or from the local one with the reason why."""
    text = job.description_text[:MAX_INPUT_CHARS]
    try:
        return extractor.extract_job(title=job.position, text=text), ""
    except ProviderError as exc:
        if fallback is None:
            raise
        reason = f"{extractor.provider} failed ({type(exc).__name__}: {exc}); used local"
        logger.warning("job %s: %s", job.pk, reason)
        return fallback.extract_job(title=job.position, text=text), reason


def jobs_enrich(
    *,
    job_ids: Sequence[int],
    extractor: Extractor,
    embedders: Sequence[tuple[EmbeddingSpace, Embedder]] = (),
    fallback: Extractor | None = None,
    force: bool = False,
) -> EnrichReport:
    report = EnrichReport()
    jobs = list(Job.objects.filter(pk__in=job_ids).select_related("enrichment"))
    todo: list[Job] = []
    for job in jobs:
        done = getattr(job, "enrichment", None)
        if (
            not force
            and done is not None
            and done.status == Enrichment.Status.DONE
            and done.input_hash == job.content_hash
        ):
            report.skipped += 1
        else:
            todo.append(job)

    results: dict[int, tuple[Extraction, str, list[str]]] = {}
    errors: dict[int, str] = {}
    for job in todo:
        try:
            extraction, reason = _extract(job, extractor, fallback)
        except Exception as exc:  # any failure is recorded on the job, the batch goes on
            logger.exception("enrichment of job %s failed", job.pk)
            errors[job.pk] = f"{type(exc).__name__}: {exc}"
            continue
        skills = skills_canonical(extraction.facts.skills)
        results[job.pk] = (extraction, reason, skills)
        report.fallbacks += bool(reason)

    vectors: dict[int, list[tuple[int, str, Sequence[float]]]] = {}
    by_id = {job.pk: job for job in todo}
    for space, embedder in embedders:
        ids = list(results)
        texts = [
            job_embedding_text(
                job=by_id[i], skills=results[i][2], summary=results[i][0].facts.summary
            )
            for i in ids
        ]
        if texts:
            embedded = embedder.embed(texts, task="document")
            vectors[space.pk] = [
                (i, by_id[i].content_hash, v) for i, v in zip(ids, embedded, strict=True)
            ]

    with transaction.atomic():
        # Lock the rows; a job another worker holds right now is left to that worker.
        locked = {
            row.pk: row
            for row in Job.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                pk__in=list(results) + list(errors)
            )
        }
        current = set()
        for job_id, (extraction, reason, skills) in results.items():
            held = locked.get(job_id)
            if held is None or held.content_hash != by_id[job_id].content_hash:
                report.skipped += 1  # taken by another worker, or changed meanwhile
                continue
            _save(held, extraction, reason, skills)
            current.add(job_id)
            report.enriched.append(job_id)
        for job_id, error in errors.items():
            if job_id in locked:
                _save_failure(locked[job_id], error)
                report.failed.append(job_id)
        for space, _ in embedders:
            rows = [row for row in vectors.get(space.pk, []) if row[0] in current]
            report.embedded += job_embeddings_save(space=space, rows=rows)
        usage_by_model: dict[tuple[str, str], Usage] = {}
        for job_id in current:
            extraction = results[job_id][0]
            key = (extraction.provider, extraction.model)
            usage_by_model[key] = usage_by_model.get(key, Usage()) + extraction.usage
        for (provider, model), usage in usage_by_model.items():
            provider_usage_add(provider=provider, model=model, purpose="extract", usage=usage)
        if current:
            transaction.on_commit(lambda: jobs_cache_invalidate(job_ids=list(current)))
    return report


def _save(job: Job, extraction: Extraction, reason: str, skills: list[str]) -> None:
    facts = extraction.facts
    Enrichment.objects.update_or_create(
        job=job,
        defaults={
            "status": Enrichment.Status.DONE,
            "provider": extraction.provider,
            "model": extraction.model,
            "input_hash": job.content_hash,
            "skills": skills,
            "seniority": facts.seniority,
            "years_experience": facts.years_experience,
            "employment_type": facts.employment_type,
            "remote_policy": facts.remote_policy,
            "salary_min": facts.salary_min,
            "salary_max": facts.salary_max,
            "salary_currency": facts.salary_currency or "",
            "summary": facts.summary,
            "error": reason,
            "attempts": 0,
            "next_attempt_at": None,
            "llm_calls": extraction.usage.calls,
            "input_tokens": extraction.usage.input_tokens,
            "output_tokens": extraction.usage.output_tokens,
        },
    )
    job.skills = skills
    job.seniority = facts.seniority
    fields = ["skills", "seniority"]
    # A salary stated in the text fills in what the feed left empty, never overrides it.
    if job.salary_min is None and job.salary_max is None and facts.salary_min:
        job.salary_min, job.salary_max = facts.salary_min, facts.salary_max
        job.salary_currency = facts.salary_currency or "USD"
        fields += ["salary_min", "salary_max", "salary_currency"]
    Job.objects.filter(pk=job.pk).update(**{f: getattr(job, f) for f in fields})


def _save_failure(job: Job, error: str) -> None:
    enrichment, _ = Enrichment.objects.get_or_create(job=job)
    enrichment.status = Enrichment.Status.FAILED
    enrichment.error = error[:2000]
    enrichment.attempts += 1
    # Exponential backoff for the periodic retry: 5, 10, 20, 40 minutes ...
    enrichment.next_attempt_at = timezone.now() + timedelta(
        minutes=5 * 2 ** (enrichment.attempts - 1)
    )
    enrichment.save()


def provider_usage_add(*, provider: str, model: str, purpose: str, usage: Usage) -> None:
    if not usage.calls:
        return
    row, _ = ProviderUsage.objects.get_or_create(
        day=timezone.localdate(), provider=provider, model=model, purpose=purpose
    )
    ProviderUsage.objects.filter(pk=row.pk).update(
        calls=F("calls") + usage.calls,
        input_tokens=F("input_tokens") + usage.input_tokens,
        output_tokens=F("output_tokens") + usage.output_tokens,
    )


def enrichment_retry_due() -> list[int]:
    """Ids of failed enrichments whose backoff has passed (fewer than MAX_ATTEMPTS tries)."""
    return list(
        Enrichment.objects.filter(
            status=Enrichment.Status.FAILED,
            attempts__lt=MAX_ATTEMPTS,
            next_attempt_at__lte=timezone.now(),
        ).values_list("job_id", flat=True)[:1000]
    )


def jobs_enrich_configured(
    *, job_ids: Sequence[int], force: bool = False, provider: str | None = None
) -> EnrichReport:
    """``jobs_enrich`` with the providers from settings; the local extractor is the
    fallback, and every space that is active or being built gets the new vectors."""
    local = local_extractor()
    try:
        extractor = extractor_build(provider)
    except ProviderNotConfigured as exc:
        logger.warning("%s; enriching with the local provider", exc)
        extractor = local
    embedders: list[tuple[EmbeddingSpace, Embedder]] = []
    for space in spaces_to_fill():
        try:
            embedders.append(
                (
                    space,
                    embedder_for(
                        provider=space.provider,
                        model=space.model,
                        dim=space.dim,
                        model_path=space.model_path,
                    ),
                )
            )
        except ProviderNotConfigured as exc:
            logger.warning("space %s is not filled: %s", space.name, exc)
    return jobs_enrich(
        job_ids=job_ids,
        extractor=extractor,
        embedders=embedders,
        fallback=local if extractor is not local else None,
        force=force,
    )
