"""Enrichment with Gemini (the real google-genai client against a local fake server)."""

from __future__ import annotations

import math
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from jobs.models import EmbeddingSpace, Enrichment, Job, JobEmbedding, ProviderUsage
from jobs.tasks import enrich_jobs_task
from tests.factories import UserFactory, job_draft, make_jobs
from tests.fakes.gemini_server import FakeGeminiServer

KEY = "test-gemini-key"


@pytest.fixture
def gemini(gemini_server: FakeGeminiServer, settings: SettingsWrapper) -> FakeGeminiServer:
    settings.LLM_PROVIDER = "gemini"
    settings.GEMINI_API_KEY = KEY
    settings.GEMINI_BASE_URL = gemini_server.base_url
    settings.LLM_RETRY_BASE_DELAY_S = 0.01
    settings.LLM_MAX_RETRIES = 1
    settings.LLM_TIMEOUT_S = 2.0
    settings.EMBED_DIM = 32
    return gemini_server


def _jobs(n: int) -> list[Job]:
    return make_jobs(
        *(
            job_draft(
                position=f"Senior Python Engineer {i}",
                description_text=f"Remote role {i}. 5+ years of Python and Django, PostgreSQL.",
            )
            for i in range(n)
        )
    )


@pytest.mark.django_db
def test_gemini_enriches_once_per_content_and_counts_usage(gemini: FakeGeminiServer) -> None:
    jobs = _jobs(3)
    result = enrich_jobs_task.delay(job_ids=[j.pk for j in jobs]).get()
    assert result == {"enriched": 3, "skipped": 0, "failed": 0, "fallbacks": 0}
    assert len(gemini.calls("generateContent")) == 3
    enrichment = Enrichment.objects.get(job=jobs[0])
    assert (enrichment.provider, enrichment.model, enrichment.status) == (
        "gemini",
        "gemini-3.5-flash-lite",
        "done",
    )
    assert enrichment.llm_calls == 1 and enrichment.input_tokens > 0
    job = Job.objects.get(pk=jobs[0].pk)
    assert "Python" in job.skills and job.seniority == "senior"
    usage = ProviderUsage.objects.get(provider="gemini", purpose="extract")
    assert usage.calls == 3 and usage.input_tokens > 0
    # The same content again: nothing is paid for twice.
    enrich_jobs_task.delay(job_ids=[j.pk for j in jobs])
    assert len(gemini.calls("generateContent")) == 3
    # Changed content: exactly one more call.
    make_jobs(job_draft(external_id=jobs[0].external_id, position="Lead Python Engineer"))
    enrich_jobs_task.delay(job_ids=[jobs[0].pk])
    assert len(gemini.calls("generateContent")) == 4


@pytest.mark.django_db
def test_unavailable_gemini_falls_back_to_local_and_records_why(gemini: FakeGeminiServer) -> None:
    (job,) = _jobs(1)
    gemini.enqueue_unavailable(times=2)  # first try and the one retry
    result = enrich_jobs_task.delay(job_ids=[job.pk]).get()
    assert result["fallbacks"] == 1
    enrichment = Enrichment.objects.get(job=job)
    assert enrichment.provider == "local" and enrichment.status == "done"
    assert "gemini failed (ProviderUnavailable" in enrichment.error
    assert KEY not in enrichment.error


@pytest.mark.django_db
def test_garbage_from_gemini_is_never_stored(gemini: FakeGeminiServer) -> None:
    (job,) = _jobs(1)
    gemini.enqueue_answer("this is not JSON")
    gemini.enqueue_answer('{"skills": ["Python"], "seniority": "wizard", "summary": "x"}')
    enrich_jobs_task.delay(job_ids=[job.pk])
    enrichment = Enrichment.objects.get(job=job)
    assert enrichment.provider == "local"
    assert "InvalidOutput" in enrichment.error
    assert Job.objects.get(pk=job.pk).seniority in {"senior", "mid", "lead"}


@pytest.mark.django_db
def test_bad_key_falls_back_without_leaking_it(
    gemini: FakeGeminiServer, settings: SettingsWrapper
) -> None:
    settings.GEMINI_API_KEY = "AIza-very-secret-wrong-key"
    (job,) = _jobs(1)
    enrich_jobs_task.delay(job_ids=[job.pk])
    enrichment = Enrichment.objects.get(job=job)
    assert enrichment.provider == "local"
    assert len(gemini.calls("generateContent")) == 1  # no retry on a bad key
    assert "very-secret" not in enrichment.error


@pytest.mark.django_db
def test_gemini_space_embeds_at_most_100_jobs_per_request(
    gemini: FakeGeminiServer, django_capture_on_commit_callbacks: Any
) -> None:
    jobs = _jobs(250)
    out = StringIO()
    call_command("embed_jobs", "--space", "gemini", "--activate", stdout=out, stderr=StringIO())
    assert "250 vectors written" in out.getvalue() and "now active" in out.getvalue()
    batches = gemini.calls("batchEmbedContents")
    assert len(batches) == 3
    space = EmbeddingSpace.objects.get(is_active=True)
    assert (space.provider, space.model, space.dim) == ("gemini", "gemini-embedding-2", 32)
    vectors = JobEmbedding.objects.filter(space=space)
    assert vectors.count() == 250
    first = vectors.get(job=jobs[0]).vector
    assert math.isclose(math.sqrt(sum(float(x) ** 2 for x in first)), 1.0, rel_tol=1e-5)
    # Newly enriched jobs go into the active space in the same batch request.
    (new,) = make_jobs(job_draft(position="Staff Data Engineer"))
    enrich_jobs_task.delay(job_ids=[new.pk])
    assert JobEmbedding.objects.filter(space=space, job=new).exists()
    assert len(gemini.calls("batchEmbedContents")) == 4
    # The admin shows spaces and usage, never the key.
    staff = Client()
    staff.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    for url in (
        "/admin/jobs/embeddingspace/",
        "/admin/jobs/providerusage/",
        "/admin/jobs/enrichment/",
    ):
        page = staff.get(url)
        assert page.status_code == 200
        assert KEY.encode() not in page.content
    assert b"251" in staff.get("/admin/jobs/embeddingspace/").content
