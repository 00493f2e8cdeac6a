"""Enrichment through the real task path, with the local provider."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from jobrec.ai.local import LocalExtractor
from jobs.evaluation import enrichment_evaluate, evaluation_split, tag_supported
from jobs.models import Enrichment, Job, ProviderUsage
from jobs.services.moderation import job_moderate
from jobs.tasks import enrich_jobs_task
from tests.factories import job_draft, make_jobs

REMOTEOK = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "remoteok"
LABELS = Path(__file__).resolve().parents[1] / "data" / "labeled_job_skills.jsonl"


def _import(path: Path, capture: Callable[..., Any]) -> None:
    # Enrichment is queued when the import commits; run those callbacks (eager tasks).
    with capture(execute=True):
        call_command("import_jobs", str(path), stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_every_shared_posting_is_enriched_on_import(
    django_capture_on_commit_callbacks: Any,
) -> None:
    for path in sorted(REMOTEOK.glob("*.json")):
        _import(path, django_capture_on_commit_callbacks)
    total = Job.objects.count()
    assert total == 289 + 276 + 3 + 97
    assert Enrichment.objects.filter(status="done", provider="local").count() == total
    mailgun = Job.objects.get(external_id="1059249")
    assert "Go" in mailgun.skills
    assert mailgun.seniority == "senior"
    assert mailgun.enrichment.input_hash == mailgun.content_hash
    assert 0 < len(mailgun.enrichment.summary.split()) <= 60
    react = [j for j in Job.objects.filter(position__icontains="react") if "React" in j.skills]
    assert react, "no React posting yielded React"
    assert all("JavaScript" in j.skills for j in react)
    # Skills and seniority are now search filters.
    found = APIClient().get("/api/jobs/", {"skills": "Go", "seniority": "senior"}).json()
    assert found["count"] >= 1
    assert any(r["id"] == mailgun.pk for r in found["results"])


@pytest.mark.django_db
def test_enrichment_is_idempotent_by_content_hash() -> None:
    (job,) = make_jobs(
        job_draft(
            position="Senior Python Developer",
            description_text="We use Django and PostgreSQL on AWS.",
        )
    )
    first = enrich_jobs_task.delay(job_ids=[job.pk]).get()
    assert first["enriched"] == 1
    enrichment = Enrichment.objects.get(job=job)
    again = enrich_jobs_task.delay(job_ids=[job.pk]).get()
    assert again == {"enriched": 0, "skipped": 1, "failed": 0, "fallbacks": 0}
    assert Enrichment.objects.get(job=job).updated_at == enrichment.updated_at
    job.refresh_from_db()
    assert {"Python", "Django", "PostgreSQL", "AWS"} <= set(job.skills)
    assert job.seniority == "senior"


@pytest.mark.django_db
def test_changed_content_is_enriched_again(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        (job,) = make_jobs(job_draft(external_id="c1", position="Junior Ruby Developer"))
    assert Job.objects.get(pk=job.pk).seniority == "junior"
    with django_capture_on_commit_callbacks(execute=True):
        make_jobs(job_draft(external_id="c1", position="Lead Ruby Developer"))
    job.refresh_from_db()
    assert job.seniority == "lead"
    assert job.enrichment.input_hash == job.content_hash


@pytest.mark.django_db
def test_staff_re_enrich_forces_a_new_enrichment(django_capture_on_commit_callbacks: Any) -> None:
    (job,) = make_jobs(job_draft(position="Go Engineer"))
    enrich_jobs_task.delay(job_ids=[job.pk])
    before = Enrichment.objects.get(job=job).updated_at
    with django_capture_on_commit_callbacks(execute=True):
        job_moderate(jobs=[job], action="reenrich", actor=None)
    assert Enrichment.objects.get(job=job).updated_at > before


@pytest.mark.django_db
def test_empty_and_enormous_descriptions_are_enriched_within_bounds() -> None:
    big = "We need Python and Kafka experience. " * 6000  # ~220 kB
    jobs = make_jobs(
        job_draft(position="Data Engineer", description_text="", description_html=""),
        job_draft(position="Senior Data Engineer", description_text=big, description_html=""),
    )
    report = enrich_jobs_task.delay(job_ids=[j.pk for j in jobs]).get()
    assert report["enriched"] == 2
    empty, huge = (Job.objects.get(pk=j.pk) for j in jobs)
    assert empty.enrichment.summary  # falls back to the title, never empty
    assert {"Python", "Apache Kafka"} & set(huge.skills) or "Kafka" in " ".join(huge.skills)


@pytest.mark.django_db
def test_enrich_jobs_command_missing_failed_all(django_capture_on_commit_callbacks: Any) -> None:
    make_jobs(job_draft(position="Senior Go Developer"), job_draft(position="Accountant"))
    out = StringIO()
    call_command("enrich_jobs", "--missing", stdout=out, stderr=StringIO())
    assert "missing: 2 jobs" in out.getvalue() and "enriched 2" in out.getvalue()
    out = StringIO()
    call_command("enrich_jobs", "--missing", stdout=out, stderr=StringIO())
    assert "missing: 0 jobs" in out.getvalue()
    out = StringIO()
    call_command("enrich_jobs", "--all", "--limit", "1", stdout=out, stderr=StringIO())
    assert "all: 1 jobs" in out.getvalue() and "enriched 1" in out.getvalue()
    with pytest.raises(CommandError, match="GEMINI_API_KEY"):
        call_command("enrich_jobs", "--provider", "gemini", stdout=StringIO())
    assert not ProviderUsage.objects.exists()  # the local provider costs nothing


@pytest.mark.django_db
def test_evaluate_enrichment_reports_recall_precision_and_seniority() -> None:
    out = StringIO()
    call_command("evaluate_enrichment", str(REMOTEOK / "remoteok-2024-12-04.json"), stdout=out)
    text = out.getvalue()
    assert "remoteok-2024-12-04.json: 97 postings, provider local" in text
    assert "tag recall: 0." in text and "counted: " in text and "missed: " in text
    assert "seniority agreement with the title: " in text
    labels = Path(__file__).resolve().parents[1] / "data" / "labeled_job_skills.jsonl"
    if labels.exists():
        rows = [json.loads(line) for line in labels.read_text().splitlines() if line.strip()]
        if any(r["file"] == "remoteok-2024-12-04.json" for r in rows):
            assert "hand labels: 0 postings" not in text
    with pytest.raises(CommandError, match="no such file"):
        call_command("evaluate_enrichment", "/nonexistent.json", stdout=StringIO())


def test_evaluation_counts_implied_parents_of_labels_neither_right_nor_wrong(
    tmp_path: Path,
) -> None:
    # The labels name React and TypeScript only (no implied parents, by labeling rule);
    # the extractor adds JavaScript, which both imply.
    labels = tmp_path / "labels.jsonl"
    row = {"file": "remoteok-2021-03-sample-string-epoch.json", "id": "103113"}
    labels.write_text(json.dumps({**row, "skills": ["React", "TypeScript"]}) + "\n")
    result = enrichment_evaluate(
        path=REMOTEOK / "remoteok-2021-03-sample-string-epoch.json",
        extractor=LocalExtractor(),
        labels_path=labels,
    )
    assert result.labeled == 1 and result.true_positives == 2
    assert result.implied_neutral == 1
    assert "JavaScript" not in result.false_positives
    assert result.precision is not None and result.strict_precision is not None
    assert result.strict_precision == 2 / (result.predicted + 1) < result.precision


def test_tag_support_is_a_plain_search_for_any_spelling() -> None:
    assert tag_supported("Go", "Backend Engineer (Golang)")
    assert tag_supported("Go", "we go beyond")  # supported, though no extractor should say Go
    assert tag_supported("JavaScript", "React developer")  # React implies JavaScript
    assert not tag_supported("Go", "Python developer")
    assert not tag_supported("SaaS", "SaaS startup")  # an industry, not a skill


def test_evaluation_halves_are_fixed_disjoint_and_both_labeled() -> None:
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    halves = {(r["file"], r["id"]): evaluation_split(r["file"], r["id"]) for r in rows}
    # The same posting always lands in the same half; a hash, not a hand-picked list.
    assert halves == {key: evaluation_split(*key) for key in halves}
    dev = [key for key, half in halves.items() if half == "dev"]
    assert len(dev) == 33 and len(halves) - len(dev) == 35
    assert {file for file, _ in dev} == {file for file, _ in halves}  # every feed in both


@pytest.mark.django_db
def test_evaluate_enrichment_splits_and_totals_several_files() -> None:
    files = [str(REMOTEOK / "remoteok-2021-03-sample-string-epoch.json")]
    files.append(str(REMOTEOK / "remoteok-2024-12-04.json"))
    texts = {}
    for split in ("dev", "held-out", "all"):
        out = StringIO()
        call_command("evaluate_enrichment", *files, "--split", split, "--details", stdout=out)
        texts[split] = out.getvalue()
    assert "all 2 files: 100 postings, provider local" in texts["all"]
    dev = int(texts["dev"].split("all 2 files: ")[1].split(" postings")[0])
    held_out = int(texts["held-out"].split("all 2 files: ")[1].split(" postings")[0])
    assert dev + held_out == 100 and dev > 0 and held_out > 0
    assert "(dev half)" in texts["dev"] and "(held-out half)" in texts["held-out"]
    # --details names each labeled posting with what it got wrong.
    assert "    extra: " in texts["all"] and "    missed: " in texts["all"]
