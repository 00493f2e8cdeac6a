"""Train the local fastText embedding model on the stored job texts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobrec.ai.interfaces import SpaceSpec
from jobrec.ai.local.fasttext_model import train_fasttext
from jobrec.ai.registry import models_dir
from jobs.models import Job
from jobs.services.embeddings import embedding_space_ensure


def _job_texts() -> Iterator[str]:
    rows = Job.objects.exclude(status=Job.Status.HIDDEN).values_list("position", "description_text")
    for position, description in rows.iterator(chunk_size=2000):
        yield f"{position}\n{description}"


class Command(BaseCommand):
    help = "Train a fastText model on the stored jobs (versioned, at most 50 MB on disk)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dim", type=int, default=100)
        parser.add_argument("--epochs", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Job.objects.exists():
            raise CommandError("there are no jobs to train on; import or scrape jobs first")
        self.stderr.write("training fastText on the stored jobs ...")
        try:
            trained = train_fasttext(
                _job_texts(), dim=options["dim"], epochs=options["epochs"], out_dir=models_dir()
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        spec = SpaceSpec(provider="local", model=f"fasttext-{trained.sha256[:8]}", dim=trained.dim)
        space = embedding_space_ensure(spec=spec, model_path=str(trained.path))
        self.stdout.write(
            f"trained {trained.path.name} on {trained.documents} documents "
            f"({trained.tokens} tokens, {trained.vocabulary} words) in {trained.seconds:.1f}s; "
            f"{trained.size_bytes / 1e6:.1f} MB. Space {space.name} created; fill and switch "
            "to it with `python manage.py embed_jobs --space local --activate`."
        )
