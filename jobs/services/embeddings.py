"""Embedding spaces and job vectors.

Each space gets its own partial HNSW index (cosine) on the shared, dimensionless vector
column, cast to the space's dimension. A new space is built alongside the active one and
switched to when complete: no schema change, no downtime.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jobrec.ai.interfaces import SpaceSpec
from jobs.models import EmbeddingSpace, Job, JobEmbedding

logger = logging.getLogger(__name__)
# How much of a description goes into a job's vector: the opening says what the job is;
# the rest is mostly benefits and boilerplate that pull every vector toward the same place.
EMBED_DESCRIPTION_CHARS = 1500


class SpaceError(ValueError):
    pass


def job_embedding_text(*, job: Job, skills: Sequence[str] = (), summary: str = "") -> str:
    """The text a job is embedded from: title, company, skills, summary, description start."""
    return embedding_text(
        position=job.position,
        company=job.company_name,
        skills=skills,
        summary=summary,
        description=job.description_text,
    )


def embedding_text(
    *, position: str, company: str, skills: Sequence[str], summary: str, description: str
) -> str:
    """The same, from plain values (the quality harness embeds postings it never stores)."""
    parts = [position, company, ", ".join(skills), summary, description[:EMBED_DESCRIPTION_CHARS]]
    return "\n".join(p for p in parts if p).strip() or position


def embedding_space_ensure(*, spec: SpaceSpec, model_path: str = "") -> EmbeddingSpace:
    """The space for ``spec``, created (with its HNSW index) on first use."""
    if not 1 <= spec.dim <= 2000:
        raise SpaceError(f"HNSW indexes vectors of 1 to 2000 dimensions, not {spec.dim}")
    space, created = EmbeddingSpace.objects.get_or_create(
        name=spec.name,
        defaults={
            "provider": spec.provider,
            "model": spec.model,
            "dim": spec.dim,
            "version": spec.version,
            "model_path": model_path,
        },
    )
    if created:
        embedding_space_index_ensure(space=space)
    return space


def embedding_space_index_ensure(*, space: EmbeddingSpace) -> None:
    # A partial expression index per space: the planner uses it for queries that repeat
    # the cast and the space condition (see recommendations' semantic engine).
    sql = (
        f'CREATE INDEX IF NOT EXISTS "{space.index_name}" ON jobs_jobembedding '
        f"USING hnsw ((vector::vector({int(space.dim)})) vector_cosine_ops) "
        f"WHERE space_id = {int(space.pk)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def embedding_space_activate(*, space: EmbeddingSpace) -> EmbeddingSpace:
    """Make ``space`` the one recommendations use. It must be complete."""
    if space.status == EmbeddingSpace.Status.RETIRED:
        raise SpaceError(f"space {space.name} is retired")
    with transaction.atomic():
        EmbeddingSpace.objects.filter(is_active=True).exclude(pk=space.pk).update(is_active=False)
        space.is_active = True
        space.status = EmbeddingSpace.Status.READY
        space.completed_at = space.completed_at or timezone.now()
        space.save(update_fields=["is_active", "status", "completed_at"])
    return space


def embedding_space_complete(*, space: EmbeddingSpace) -> EmbeddingSpace:
    space.status = EmbeddingSpace.Status.READY
    space.completed_at = timezone.now()
    space.save(update_fields=["status", "completed_at"])
    return space


def active_space() -> EmbeddingSpace | None:
    """The space recommendations use: ``ACTIVE_EMBEDDING_SPACE`` when set, else the one
    marked active in the database (switched with ``embed_jobs --activate``)."""
    pinned = getattr(settings, "ACTIVE_EMBEDDING_SPACE", "")
    if pinned:
        return EmbeddingSpace.objects.filter(name=pinned).first()
    return EmbeddingSpace.objects.filter(is_active=True).first()


def spaces_to_fill() -> list[EmbeddingSpace]:
    """Spaces new jobs are embedded into: the active one and any being built."""
    return list(
        EmbeddingSpace.objects.exclude(status=EmbeddingSpace.Status.RETIRED).filter(is_active=True)
    ) + list(EmbeddingSpace.objects.filter(status=EmbeddingSpace.Status.BUILDING, is_active=False))


def job_embeddings_save(
    *, space: EmbeddingSpace, rows: Sequence[tuple[int, str, Sequence[float]]]
) -> int:
    """Store (job id, content hash, vector) rows in ``space``, replacing older vectors."""
    for _, _, vector in rows:
        if len(vector) != space.dim:
            raise SpaceError(f"a {len(vector)}-dimensional vector for the {space.dim}-d space")
    objs = [
        JobEmbedding(job_id=job_id, space=space, vector=list(vector), content_hash=digest)
        for job_id, digest, vector in rows
    ]
    JobEmbedding.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=("space", "job"),
        update_fields=("vector", "content_hash", "created_at"),
        batch_size=500,
    )
    return len(objs)
