"""Build (or rebuild) an embedding space, and optionally switch recommendations to it."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobrec.ai.interfaces import ProviderError, SpaceSpec
from jobrec.ai.registry import ProviderNotConfigured, embedder_for, latest_fasttext_model
from jobrec.progress import progress_bar
from jobs.models import EmbeddingSpace, Enrichment, Job, JobEmbedding
from jobs.services.embeddings import (
    embedding_space_activate,
    embedding_space_complete,
    embedding_space_ensure,
    job_embedding_text,
    job_embeddings_save,
)

BATCH = 500


def _spec(name: str) -> tuple[SpaceSpec, str]:
    if name == "local":
        model = latest_fasttext_model()
        if model is None:
            # No model yet: train one on the stored jobs first rather than fail.
            call_command("train_fasttext")
            model = latest_fasttext_model()
        if model is None:
            raise ProviderNotConfigured("no fastText model; run `python manage.py train_fasttext`")
        return model.space, str(model.path)
    if name == "gemini":
        return SpaceSpec("gemini", settings.GEMINI_EMBED_MODEL, settings.EMBED_DIM), ""
    if name == "openai":
        if not settings.OPENAI_EMBED_MODEL:
            raise ProviderNotConfigured("OPENAI_EMBED_MODEL is not set")
        return SpaceSpec("openai", settings.OPENAI_EMBED_MODEL, settings.EMBED_DIM), ""
    space = EmbeddingSpace.objects.filter(name=name).first()
    if space is None:
        raise ProviderNotConfigured(
            f"no space {name!r}; use local, gemini, openai or an existing space's name"
        )
    return SpaceSpec(space.provider, space.model, space.dim, space.version), space.model_path


class Command(BaseCommand):
    help = "Embed jobs into a space (local, gemini, openai, or an existing space's name)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--space", required=True)
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing", action="store_true", help="only jobs without a current vector (default)"
        )
        which.add_argument("--all", action="store_true", help="re-embed every job")
        parser.add_argument(
            "--activate", action="store_true", help="switch to the space when complete"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            spec, model_path = _spec(options["space"])
            embedder = embedder_for(
                provider=spec.provider, model=spec.model, dim=spec.dim, model_path=model_path
            )
        except ProviderNotConfigured as exc:
            raise CommandError(str(exc)) from exc
        space = embedding_space_ensure(spec=spec, model_path=model_path)
        jobs = Job.objects.filter(status__in=[Job.Status.ACTIVE, Job.Status.FLAGGED])
        if not options["all"]:
            current = JobEmbedding.objects.filter(space=space).values("job_id", "content_hash")
            done = {row["job_id"]: row["content_hash"] for row in current}
            ids = [
                pk
                for pk, digest in jobs.values_list("pk", "content_hash")
                if done.get(pk) != digest
            ]
        else:
            ids = list(jobs.values_list("pk", flat=True))
        started, written = time.perf_counter(), 0
        with progress_bar(total=len(ids), desc=f"embedding into {space.name}", unit="job") as bar:
            for start in range(0, len(ids), BATCH):
                batch = list(Job.objects.filter(pk__in=ids[start : start + BATCH]))
                facts = {
                    e.job_id: e
                    for e in Enrichment.objects.filter(job__in=batch, status=Enrichment.Status.DONE)
                }
                texts = [
                    job_embedding_text(
                        job=job,
                        skills=facts[job.pk].skills if job.pk in facts else job.skills,
                        summary=facts[job.pk].summary if job.pk in facts else "",
                    )
                    for job in batch
                ]
                try:
                    vectors = embedder.embed(texts, task="document")
                except ProviderError as exc:
                    raise CommandError(f"embedding failed after {written} jobs: {exc}") from exc
                written += job_embeddings_save(
                    space=space,
                    rows=[(j.pk, j.content_hash, v) for j, v in zip(batch, vectors, strict=True)],
                )
                bar.update(len(batch))
        embedding_space_complete(space=space)
        if options["activate"]:
            embedding_space_activate(space=space)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"space {space.name}: {written} vectors written in {elapsed:.1f}s; "
            f"{JobEmbedding.objects.filter(space=space).count()} in the space"
            + ("; now active" if options["activate"] else "")
        )
