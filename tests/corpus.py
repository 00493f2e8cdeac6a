"""A real corpus for the tests that rank jobs (recommendations, the browser test): the shared
2024 RemoteOK postings, imported, enriched by the local provider and embedded by a small
fastText model trained on the shared postings (the same path production takes, only
smaller).

A plugin of the root conftest, so the session's model is trained once: a fixture imported
into two conftests is two fixtures, and the browser tests trained a second model.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from jobrec.ai.local.fasttext_model import train_fasttext
from jobs.models import EmbeddingSpace, Job
from jobs.sources.remoteok.parser import parse_remoteok

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REMOTEOK = SHARED / "remoteok"
RESUMES = SHARED / "resumes"
FEED_2024 = REMOTEOK / "remoteok-2024-12-04.json"


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("models")
    texts = []
    for path in sorted(REMOTEOK.glob("*.json")):
        texts += [
            f"{d.position}\n{d.description_text}" for d in parse_remoteok(path.read_bytes()).drafts
        ]
    trained = train_fasttext(texts, dim=32, epochs=10, min_count=2, out_dir=out_dir)
    # train_fasttext writes its metadata next to the model; registry finds it there.
    assert trained.path.exists()
    return out_dir


@pytest.fixture
def corpus(
    db: None,
    settings: SettingsWrapper,
    models_dir: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> list[Job]:
    """The 2024 feed, enriched (local) and embedded into an active local space."""
    settings.MODELS_DIR = str(models_dir)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_jobs", str(FEED_2024), stdout=StringIO(), stderr=StringIO())
    call_command(
        "embed_jobs", "--space", "local", "--activate", stdout=StringIO(), stderr=StringIO()
    )
    assert EmbeddingSpace.objects.filter(is_active=True).exists()
    return list(Job.objects.filter(status=Job.Status.ACTIVE, duplicate_of__isnull=True))
