"""A real corpus for recommendation tests: the shared 2024 RemoteOK postings, imported,
enriched by the local provider and embedded by a small fastText model trained on the
shared postings (the same path production takes, only smaller)."""

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
from tests.fakes.gemini_server import FakeGeminiServer

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REMOTEOK = SHARED / "remoteok"
RESUMES = SHARED / "resumes"
FEED_2024 = REMOTEOK / "remoteok-2024-12-04.json"

PYTHON_RESUME = """Jane Doe
Senior Backend Engineer

Summary
Backend engineer building APIs with Python and Django for eight years.

Experience
Senior Backend Engineer, Acme Corp — Jan 2019 – Present
Built REST APIs in Python, Django and PostgreSQL; deployed with Docker, Kubernetes and AWS.
Backend Developer, Widgets Ltd — Jun 2016 – Dec 2018
Python, Flask, Redis, Celery and JavaScript.

Education
BSc Computer Science, University of Leeds, 2016

Skills
Python, Django, PostgreSQL, Docker, Kubernetes, AWS, Redis, Celery, REST APIs, Git
"""


@pytest.fixture
def gemini_llm(gemini_server: FakeGeminiServer, settings: SettingsWrapper) -> FakeGeminiServer:
    """Gemini as the configured LLM, answered by the fake server on 127.0.0.1."""
    settings.LLM_PROVIDER = "gemini"
    settings.GEMINI_API_KEY = gemini_server.api_key
    settings.GEMINI_BASE_URL = gemini_server.base_url
    return gemini_server


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
