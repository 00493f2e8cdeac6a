"""The operator commands: `recommend` (no user created) and `evaluate_recommender`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Resume, User
from jobs.models import Job
from tests.recommendations.conftest import RESUMES, SHARED


def test_recommend_prints_ranked_explained_jobs_for_a_resume_file(corpus: list[Job]) -> None:
    users_before = User.objects.count()
    out = StringIO()
    call_command(
        "recommend",
        "--resume",
        str(RESUMES / "resumematcher__modern-two-column.pdf"),
        "--limit",
        "5",
        "--json",
        stdout=out,
    )
    payload = json.loads(out.getvalue())
    assert payload["engine"] == "semantic"
    assert {"Go", "PostgreSQL"} <= set(payload["profile"]["skills"])
    assert "Senior Software Engineer" in payload["profile"]["titles"]
    results = payload["results"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4, 5]
    assert results[0]["explanation"]["matched_skills"]
    assert all(Job.objects.filter(pk=r["job_id"]).exists() for r in results)
    # Nothing about the person is stored.
    assert User.objects.count() == users_before and not Resume.objects.exists()

    text = StringIO()
    call_command("recommend", "--resume", str(RESUMES / "resumematcher__john_doe.pdf"), stdout=text)
    assert "Profile: Full Stack Java Developer" in text.getvalue()
    assert "#1 " in text.getvalue() and "parts: similarity" in text.getvalue()


def test_recommend_refuses_unreadable_files_clearly(db: None, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("recommend", "--resume", str(empty))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("recommend", "--resume", str(tmp_path / "missing.pdf"))
    with pytest.raises(CommandError, match="--limit"):
        call_command("recommend", "--resume", str(empty), "--limit", "0")


def test_evaluate_recommender_reports_engine_one_beside_bm25_and_ablations(db: None) -> None:
    out = StringIO()
    call_command(
        "evaluate_recommender",
        "--per-category",
        "1",
        "--json",
        "--data",
        str(SHARED / "labeled"),
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["jobs"] == 1250 and report["resumes"] >= 20
    runs = report["runs"]
    assert {"engine 1", "BM25 baseline", "without similarity", "skills alone"} <= set(runs)
    for scores in runs.values():
        assert 0 <= scores["p_at_10"] <= 1 and 0 <= scores["ndcg_at_10"] <= 1
    assert runs["engine 1"]["p_at_10"] > 0 and runs["BM25 baseline"]["p_at_10"] > 0
    assert report["ratio_p_at_10"] == pytest.approx(
        runs["engine 1"]["p_at_10"] / runs["BM25 baseline"]["p_at_10"], abs=0.01
    )


def test_evaluate_recommender_needs_the_labeled_files(db: None, tmp_path: object) -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("evaluate_recommender", "--data", str(tmp_path))
