"""Resumes to recommendations to feedback, through the API (and the task path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper
from rest_framework.test import APIClient

from accounts.models import Resume, User
from feedback.models import Rating
from jobs.models import Job
from recommendations.models import FitScore, RecommendationSet
from recommendations.tasks import refresh_recommendations_task
from tests.factories import UserFactory, job_draft, make_jobs
from tests.fakes.gemini_server import FakeGeminiServer
from tests.recommendations.conftest import PYTHON_RESUME

Capture = Callable[..., Any]


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload_text(client: APIClient, capture: Capture, text: str = PYTHON_RESUME) -> dict[str, Any]:
    with capture(execute=True):
        response = client.post("/api/resumes/", {"text": text, "name": "Backend"}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    return dict(client.get(f"/api/resumes/{response.json()['id']}/").json())


@pytest.fixture
def person(db: None) -> User:
    return UserFactory.create()


def test_pasted_resume_becomes_a_profile_and_ranked_explained_jobs(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    assert resume["status"] == "ready", resume
    assert resume["is_active"] is True
    profile = resume["profile"]
    assert {"Python", "Django", "PostgreSQL", "Kubernetes"} <= set(profile["skills"])
    assert profile["seniority"] == "senior"
    assert profile["years_experience"] and profile["years_experience"] >= 8

    body = client.get("/api/recommendations/", {"limit": 10}).json()
    assert body["engine"] == body["engine_used"] == "semantic"
    assert body["notice"] == ""
    results = body["results"]
    assert len(results) == 10
    assert [r["rank"] for r in results] == list(range(1, 11))
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    for item in results:
        explanation = item["explanation"]
        assert set(explanation["parts"]) == {
            "similarity",
            "skills",
            "title",
            "seniority",
            "salary",
            "location",
            "freshness",
            "feedback",
            "rating",
        }
        assert explanation["seniority_fit"]
        assert set(explanation["matched_skills"]) <= set(profile["skills"])
        assert not set(explanation["missing_skills"]) & set(profile["skills"])
    # The best match shares real skills with the person.
    assert results[0]["explanation"]["matched_skills"]
    # Each part is shown with the weight it was given.
    assert all(set(r["explanation"]["weights"]) == set(r["explanation"]["parts"]) for r in results)


def test_the_first_list_is_stored_before_the_resume_is_ready(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    assert resume["status"] == "ready"
    stored = RecommendationSet.objects.get(resume_id=resume["id"], engine="semantic")
    ready_at = Resume.objects.values_list("updated_at", flat=True).get(pk=resume["id"])
    # Stored before "ready" was written: a page that polls for ready is served this list.
    assert stored.computed_at <= ready_at
    body = client.get("/api/recommendations/", {"limit": 5}).json()
    assert body["computed_at"] == client.get("/api/recommendations/").json()["computed_at"]
    assert RecommendationSet.objects.get(pk=stored.pk).computed_at == stored.computed_at
    assert len(body["results"]) == 5


def test_preferences_filter_in_the_same_query(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    salaried = [j for j in corpus if (j.salary_max or j.salary_min)]
    threshold = sorted((j.salary_max or j.salary_min or 0) for j in salaried)[len(salaried) // 2]
    top = client.get("/api/recommendations/", {"limit": 5}).json()["results"]
    excluded = top[0]["job"]["company"]["name"]
    patched = client.patch(
        f"/api/resumes/{resume['id']}/",
        {"salary_min": threshold, "excluded_companies": [excluded], "remote_only": True},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["profile"]["version"] > resume["profile"]["version"]
    results = client.get("/api/recommendations/", {"limit": 50}).json()["results"]
    assert results, "strict filters must not starve the list"
    jobs = Job.objects.in_bulk([r["job"]["id"] for r in results])
    for job in jobs.values():
        assert job.company_name != excluded
        assert job.remote_policy == "remote"
        top_pay = job.salary_max or job.salary_min
        assert top_pay is None or top_pay >= threshold


def test_profile_edits_are_validated_and_change_nothing_when_wrong(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    bad = client.patch(
        f"/api/resumes/{resume['id']}/",
        {"skills": ["Python", "Underwater basket weaving"], "seniority": "wizard"},
        format="json",
    )
    assert bad.status_code == 400
    details = bad.json()["error"]["details"]
    assert "basket" in str(details["skills"]) and "seniority" in details
    unchanged = client.get(f"/api/resumes/{resume['id']}/").json()["profile"]
    assert unchanged == resume["profile"]
    good = client.patch(
        f"/api/resumes/{resume['id']}/",
        {"skills": ["python", "golang"], "desired_titles": ["Platform Engineer"]},
        format="json",
    )
    assert good.status_code == 200
    assert good.json()["profile"]["skills"] == ["Python", "Go"]
    assert good.json()["profile"]["extracted_skills"] == resume["profile"]["extracted_skills"]


def test_ratings_and_hides_change_the_next_list(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    upload_text(client, django_capture_on_commit_callbacks)
    before = client.get("/api/recommendations/", {"limit": 20}).json()["results"]
    first, second, last = before[0], before[1], before[-1]

    rated = client.post(
        "/api/feedback/",
        {"job": first["job"]["id"], "action": "rate", "value": 1, "comment": "not for me"},
        format="json",
    )
    assert rated.status_code == 201, rated.content
    assert rated.json()["rank"] == 1 and rated.json()["engine"] == "semantic"
    assert rated.json()["score"] == pytest.approx(first["score"])
    client.post(
        "/api/feedback/", {"job": last["job"]["id"], "action": "rate", "value": 5}, format="json"
    )
    client.post(
        "/api/feedback/", {"job": second["job"]["id"], "action": "hide_company"}, format="json"
    )
    client.post("/api/feedback/", {"job": first["job"]["id"], "action": "save"}, format="json")

    after = client.get("/api/recommendations/", {"limit": 20}).json()["results"]
    ids_after = [r["job"]["id"] for r in after]
    assert after != before
    hidden_company = second["job"]["company"]["id"]
    assert all(r["job"]["company"]["id"] != hidden_company for r in after)
    disliked = (
        next(r for r in after if r["job"]["id"] == first["job"]["id"])
        if (first["job"]["id"] in ids_after)
        else None
    )
    assert disliked is None or disliked["rank"] > 1
    assert disliked is None or disliked["explanation"]["parts"]["feedback"] < 0
    liked = next((r for r in after if r["job"]["id"] == last["job"]["id"]), None)
    assert liked is not None and liked["rank"] < last["rank"]

    rating = Rating.objects.get(user=person, job_id=first["job"]["id"])
    assert (rating.value, rating.engine, rating.rank, rating.comment) == (
        1,
        "semantic",
        1,
        "not for me",
    )
    saved = client.get("/api/saved-jobs/").json()
    assert [s["job"]["id"] for s in saved["results"]] == [first["job"]["id"]]

    # Hidden jobs never come back, whatever the profile says.
    client.post("/api/feedback/", {"job": last["job"]["id"], "action": "hide"}, format="json")
    final = client.get("/api/recommendations/", {"limit": 50}).json()["results"]
    assert last["job"]["id"] not in [r["job"]["id"] for r in final]


def test_engine_two_scores_the_top_candidates_once_per_pair(
    corpus: list[Job],
    person: User,
    django_capture_on_commit_callbacks: Capture,
    gemini_llm: FakeGeminiServer,
    settings: SettingsWrapper,
) -> None:
    gemini_server = gemini_llm
    settings.LLM_RERANK_TOP_N = 8
    client = api_for(person)
    upload_text(client, django_capture_on_commit_callbacks)
    body = client.get("/api/recommendations/?engine=llm&limit=8").json()
    assert body["engine_used"] == "llm", body["notice"]
    results = body["results"]
    assert len(results) == 8
    llm_scores = [r["explanation"]["llm"]["score"] for r in results]
    assert llm_scores == sorted(llm_scores, reverse=True)
    for item in results:
        assert item["explanation"]["llm"]["reasons"]
        assert 1 <= item["explanation"]["semantic_rank"] <= 8
    calls = [r for r in gemini_server.requests if r.path.endswith(":generateContent")]
    assert len(calls) == 8
    assert FitScore.objects.count() == 8

    # A rating makes the list stale; recomputing it pays for no pair twice.
    client.post(
        "/api/feedback/",
        {"job": results[-1]["job"]["id"], "action": "rate", "value": 4, "engine": "llm"},
        format="json",
    )
    again = client.get("/api/recommendations/?engine=llm&limit=8").json()
    assert again["engine_used"] == "llm"
    new_calls = [r for r in gemini_server.requests if r.path.endswith(":generateContent")]
    assert len(new_calls) == 8 + (FitScore.objects.count() - 8)
    rating = Rating.objects.get(user=person)
    assert rating.engine == "llm" and rating.rank == 8


def test_engine_two_degrades_to_engine_one_with_a_notice(
    corpus: list[Job],
    person: User,
    django_capture_on_commit_callbacks: Capture,
    gemini_llm: FakeGeminiServer,
    settings: SettingsWrapper,
) -> None:
    gemini_server = gemini_llm
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_RERANK_TOP_N = 4
    client = api_for(person)
    upload_text(client, django_capture_on_commit_callbacks)
    gemini_server.enqueue_answer("this is not JSON", times=20)
    body = client.get("/api/recommendations/?engine=llm&limit=5").json()
    assert body["engine_used"] == "semantic"
    assert "unavailable" in body["notice"]
    assert len(body["results"]) == 5
    semantic = client.get("/api/recommendations/", {"limit": 5}).json()["results"]
    assert [r["job"]["id"] for r in body["results"]] == [r["job"]["id"] for r in semantic]


def test_without_an_llm_engine_two_says_so(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    upload_text(client, django_capture_on_commit_callbacks)
    body = client.get("/api/recommendations/", {"engine": "llm"}).json()
    assert body["engine_used"] == "semantic"
    assert "No AI provider" in body["notice"]
    bad = client.get("/api/recommendations/", {"engine": "magic"})
    assert bad.status_code == 400


def test_new_jobs_are_picked_up_by_the_refresh_and_marked_new(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    client.get("/api/recommendations/")
    # The person looks at their list (the page records the visit).
    Resume.objects.filter(pk=resume["id"]).update(last_visit_at=timezone.now())
    before = client.get("/api/recommendations/", {"limit": 50}).json()["results"]
    assert not any(r["is_new"] for r in before)
    with django_capture_on_commit_callbacks(execute=True):
        (new_job,) = make_jobs(
            job_draft(
                position="Senior Python Django Engineer",
                description_text="Python, Django, PostgreSQL, Kubernetes, AWS, Celery, Redis.",
                description_html="<p>Python, Django, PostgreSQL, Kubernetes, AWS.</p>",
            )
        )
    refreshed = refresh_recommendations_task.delay().get()
    assert refreshed == 1
    after = client.get("/api/recommendations/", {"limit": 50}).json()["results"]
    mine = next(r for r in after if r["job"]["id"] == new_job.pk)
    assert mine["rank"] <= 10
    assert mine["is_new"] is True
    assert sum(r["is_new"] for r in after) == 1


def test_a_slow_llm_falls_back_to_engine_one_within_the_deadline(
    corpus: list[Job],
    person: User,
    django_capture_on_commit_callbacks: Capture,
    gemini_llm: FakeGeminiServer,
    settings: SettingsWrapper,
) -> None:
    gemini_server = gemini_llm
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_TIMEOUT_S = 5
    settings.LLM_ENGINE_DEADLINE_S = 0.5
    settings.LLM_RERANK_TOP_N = 3
    client = api_for(person)
    upload_text(client, django_capture_on_commit_callbacks)
    gemini_server.enqueue_timeout(3.0, times=3)
    body = client.get("/api/recommendations/?engine=llm&limit=3").json()
    assert body["engine_used"] == "semantic"
    assert "did not answer" in body["notice"]
    assert len(body["results"]) == 3
    assert not FitScore.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_list_stored_outside_a_transaction_keeps_when_jobs_first_entered_it(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    # Every other test runs inside one transaction; the web and the worker store lists in
    # autocommit, one message of several statements that is its own transaction.
    client = api_for(person)
    # No test transaction here: the upload's commit queues the parse task at once, and
    # it stores the first list before the response is sent.
    response = client.post("/api/resumes/", {"text": PYTHON_RESUME}, format="json")
    assert response.status_code == 202, response.content
    resume = response.json()
    assert resume["status"] == "ready", resume
    rec_set = RecommendationSet.objects.get(resume_id=resume["id"], engine="semantic")
    first = {r.job_id: r.first_recommended_at for r in rec_set.items.all()}
    assert len(first) >= 10

    # An edit makes the list stale: the next request recomputes and stores it again.
    changed = client.patch(f"/api/resumes/{resume['id']}/", {"remote_only": True}, format="json")
    assert changed.status_code == 200
    results = client.get("/api/recommendations/", {"limit": 50}).json()["results"]

    rec_set.refresh_from_db()
    stored = {r.job_id: (r.rank, r.score, r.first_recommended_at) for r in rec_set.items.all()}
    assert rec_set.profile_version == Resume.objects.get(pk=resume["id"]).profile.version
    assert [(r["job"]["id"], r["rank"]) for r in results] == sorted(
        ((job_id, rank) for job_id, (rank, _, _) in stored.items()), key=lambda item: item[1]
    )[: len(results)]
    stayed = set(first) & set(stored)
    assert stayed, "no job stayed in the list"
    assert all(stored[job_id][2] == first[job_id] for job_id in stayed)
    assert all(stored[job_id][2] > max(first.values()) for job_id in set(stored) - set(first))


def test_a_list_keeps_its_best_fifty_jobs_and_a_page_shows_at_most_that_many(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    assert len(corpus) > 50
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    rec_set = RecommendationSet.objects.get(resume_id=resume["id"], engine="semantic")
    stored = list(rec_set.items.order_by("rank").values_list("job_id", "rank"))
    assert [rank for _, rank in stored] == list(range(1, 51))

    longest = client.get("/api/recommendations/", {"limit": 50}).json()["results"]
    assert [(r["job"]["id"], r["rank"]) for r in longest] == stored

    too_long = client.get("/api/recommendations/", {"limit": 51})
    assert too_long.status_code == 400
    details = too_long.json()["error"]["details"]
    assert "50" in str(details["limit"]), details


def test_a_list_just_computed_is_shown_as_it_is_served_once_stored(
    corpus: list[Job], person: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api_for(person)
    resume = upload_text(client, django_capture_on_commit_callbacks)
    # A profile edit makes the stored list stale: the next request computes it again.
    patched = client.patch(f"/api/resumes/{resume['id']}/", {"remote_only": True}, format="json")
    assert patched.status_code == 200, patched.content
    computed = client.get("/api/recommendations/", {"limit": 50}).json()
    served = client.get("/api/recommendations/", {"limit": 50}).json()
    assert served["computed_at"] == computed["computed_at"], "the second read is the stored list"
    assert computed["results"], computed
    assert served["results"] == computed["results"]
    # The job as the list shows it is the job as its own endpoint shows it.
    first = computed["results"][0]["job"]
    detail = client.get(first["url"]).json()
    assert {key: detail[key] for key in first} == first
    assert any(r["job"]["tags"] for r in computed["results"])
    assert any(r["job"]["skills"] for r in computed["results"])
