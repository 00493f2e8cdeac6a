"""Job search in the API and the UI: relevance, typos, filters, sorting, visibility, caching."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper
from rest_framework.test import APIClient

from jobrec.cache import cache_stats
from jobs.models import Job, ModerationEvent
from jobs.services.moderation import job_moderate
from tests.factories import job_draft, make_job, make_jobs


def positions(response: Any) -> list[str]:
    return [item["position"] for item in response.json()["results"]]


@pytest.fixture
def corpus(db: None) -> dict[str, Job]:
    now = datetime.now(UTC)
    return {
        "django": make_job(
            position="Senior Django Developer",
            company="Acme Corp",
            description_text="Python, Django and PostgreSQL.",
            tags=("python", "django"),
            skills=["Python", "Django", "PostgreSQL"],
            seniority="senior",
            salary_min=90000,
            salary_max=130000,
            posted_at=now - timedelta(days=2),
        ),
        "react": make_job(
            position="Frontend Engineer",
            company="Pixel Labs",
            description_text="React and TypeScript for our design system.",
            tags=("react",),
            skills=["React", "TypeScript", "JavaScript"],
            seniority="mid",
            salary_min=70000,
            salary_max=90000,
            posted_at=now - timedelta(days=10),
        ),
        "go": make_job(
            position="Backend Go Engineer",
            company="Gopher Inc",
            location="Europe",
            description_text="Go microservices with Kubernetes. Some Python scripting.",
            tags=("golang",),
            skills=["Go", "Kubernetes", "Python"],
            seniority="senior",
            posted_at=now - timedelta(days=40),
            source="otherboard",
        ),
        "accountant": make_job(
            position="Staff Accountant",
            company="Books Ltd",
            location="London",
            remote_policy="onsite",
            description_text="Month-end close and reconciliations.",
            skills=["Accounting"],
            seniority="junior",
            posted_at=now - timedelta(hours=5),
        ),
    }


@pytest.mark.django_db
def test_full_text_query_ranks_title_matches_first(corpus: dict[str, Job]) -> None:
    response = APIClient().get("/api/jobs/", {"q": "python"})
    assert response.status_code == 200
    assert positions(response) == ["Senior Django Developer", "Backend Go Engineer"]
    item = response.json()["results"][0]
    assert item["company"]["name"] == "Acme Corp"
    assert item["salary"] == {"min": 90000, "max": 130000, "currency": "USD"}
    assert item["url"] == f"/api/jobs/{corpus['django'].pk}/"


@pytest.mark.django_db
def test_typos_in_titles_and_companies_still_match(corpus: dict[str, Job]) -> None:
    api = APIClient()
    assert positions(api.get("/api/jobs/", {"q": "frontend enginer"})) == ["Frontend Engineer"]
    assert positions(api.get("/api/jobs/", {"q": "Pixle Labs"})) == ["Frontend Engineer"]
    assert positions(api.get("/api/jobs/", {"q": "acountant"})) == ["Staff Accountant"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"seniority": "senior"}, {"django", "go"}),
        ({"seniority": "senior,mid"}, {"django", "go", "react"}),
        ({"skills": "Python"}, {"django", "go"}),
        ({"skills": "Python,React"}, {"django", "go", "react"}),
        ({"skills": "Python,Kubernetes", "skills_mode": "all"}, {"go"}),
        ({"tags": "golang"}, {"go"}),
        ({"company": "ACME corp."}, {"django"}),
        ({"remote_policy": "onsite"}, {"accountant"}),
        ({"location": "europe"}, {"go"}),
        ({"salary_min": "100000"}, {"django"}),
        ({"posted_within_days": "7"}, {"django", "accountant"}),
        ({"source": "otherboard"}, {"go"}),
        ({"q": "python", "seniority": "senior", "posted_within_days": "30"}, {"django"}),
    ],
)
def test_filters(corpus: dict[str, Job], params: dict[str, str], expected: set[str]) -> None:
    response = APIClient().get("/api/jobs/", params)
    assert response.status_code == 200
    got = {key for key, job in corpus.items() if job.position in positions(response)}
    assert got == expected


@pytest.mark.django_db
def test_sorting_and_pagination(corpus: dict[str, Job]) -> None:
    api = APIClient()
    newest = positions(api.get("/api/jobs/"))
    assert newest == [
        "Staff Accountant",
        "Senior Django Developer",
        "Frontend Engineer",
        "Backend Go Engineer",
    ]
    by_salary = positions(api.get("/api/jobs/", {"sort": "salary"}))
    assert by_salary[:2] == ["Senior Django Developer", "Frontend Engineer"]
    page = api.get("/api/jobs/", {"page_size": 3, "page": 2}).json()
    assert page["count"] == 4
    assert [r["position"] for r in page["results"]] == ["Backend Go Engineer"]
    assert page["previous"] is not None and page["next"] is None


@pytest.mark.django_db
def test_invalid_parameters_get_the_error_shape(corpus: dict[str, Job]) -> None:
    response = APIClient().get("/api/jobs/", {"seniority": "wizard", "salary_min": "-1"})
    assert response.status_code == 400
    assert set(response.json()["error"]["details"]) == {"seniority", "salary_min"}
    assert APIClient().get("/api/jobs/", {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_hidden_flagged_expired_and_reposts_never_appear(corpus: dict[str, Job]) -> None:
    job_moderate(jobs=[corpus["react"]], action="hide", actor=None, reason="spam")
    job_moderate(jobs=[corpus["accountant"]], action="flag", actor=None, reason="check salary")
    Job.objects.filter(pk=corpus["go"].pk).update(status="expired")
    original = corpus["django"]
    (repost,) = make_jobs(
        job_draft(position="Senior Django Developer", company="Acme Corp", external_id="repost")
    )
    assert repost.duplicate_of_id == original.pk
    api = APIClient()
    assert positions(api.get("/api/jobs/")) == ["Senior Django Developer"]
    for key in ("react", "accountant", "go"):
        detail = api.get(f"/api/jobs/{corpus[key].pk}/")
        assert detail.status_code == 404
        assert detail.json()["error"]["code"] == "not_found"
    assert Client().get(f"/jobs/{corpus['react'].pk}/").status_code == 404
    # A repost's link answers with the original posting.
    assert api.get(f"/api/jobs/{repost.pk}/").json()["id"] == original.pk
    assert Client().get(f"/jobs/{repost.pk}/")["Location"] == f"/jobs/{original.pk}/"


@pytest.mark.django_db
def test_detail_shows_sanitised_description_link_back_and_apply(tmp_path: Any) -> None:
    from django.core.management import call_command

    hostile = (
        '<p>Hi</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
        '<img src="x" onerror="alert(3)"><iframe src="https://evil.example"></iframe>'
    )
    path = tmp_path / "feed.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "7",
                    "position": "Data Analyst",
                    "epoch": 1733260504,
                    "url": "https://remoteok.com/remote-jobs/7",
                    "description": hostile,
                }
            ]
        )
    )
    call_command("import_jobs", str(path), stdout=StringIO())
    job = Job.objects.get(external_id="7")
    api = APIClient().get(f"/api/jobs/{job.pk}/").json()
    assert "Job posting from remoteok" in api["attribution"]
    page = Client().get(f"/jobs/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="{job.url}"' in html and "Remote OK" in html
    assert f'href="{job.apply_url}"' in html
    for bad in ("<script", "javascript:", "onerror", "<iframe"):
        assert bad not in html.split('<section class="description">')[1].split("</section>")[0]


@pytest.mark.django_db
def test_imported_html_is_sanitised_before_it_is_stored(tmp_path: Any) -> None:
    from django.core.management import call_command

    path = tmp_path / "xss.jsonl"
    hostile = '<p onclick="steal()">Hi</p><script>alert(1)</script><a href="javascript:x()">y</a>'
    record = {"id": "x1", "position": "Dev", "url": "https://e.example/1", "description": hostile}
    path.write_text(json.dumps(record))
    call_command("import_jobs", str(path))
    job = Job.objects.get(external_id="x1")
    for bad in ("<script", "onclick", "javascript:"):
        assert bad not in job.description_html
    assert "Hi" in job.description_text and "alert" not in job.description_text


@pytest.mark.django_db
def test_listings_and_details_are_cached_and_invalidated(
    corpus: dict[str, Job], django_capture_on_commit_callbacks: Any
) -> None:
    api = APIClient()
    api.get("/api/jobs/", {"q": "engineer"})
    api.get("/api/jobs/", {"q": "Engineer "})  # same query, normalised: a hit
    api.get(f"/api/jobs/{corpus['react'].pk}/")
    api.get(f"/api/jobs/{corpus['react'].pk}/")
    stats = cache_stats()
    assert stats["job_list"] == {"hit": 1, "miss": 1}
    assert stats["job_detail"] == {"hit": 1, "miss": 1}

    with django_capture_on_commit_callbacks(execute=True):
        job_moderate(jobs=[corpus["react"]], action="hide", actor=None, reason="closed")
    assert api.get(f"/api/jobs/{corpus['react'].pk}/").status_code == 404
    assert "Frontend Engineer" not in positions(api.get("/api/jobs/", {"q": "engineer"}))


@pytest.mark.django_db
def test_search_keeps_working_when_redis_is_down(
    corpus: dict[str, Job], settings: SettingsWrapper
) -> None:
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    api = APIClient()
    assert positions(api.get("/api/jobs/", {"q": "python"})) == [
        "Senior Django Developer",
        "Backend Go Engineer",
    ]
    assert api.get(f"/api/jobs/{corpus['go'].pk}/").status_code == 200
    assert Client().get("/jobs/", {"q": "python"}).status_code == 200


@pytest.mark.django_db
def test_search_page_filters_with_htmx_and_keeps_state_in_the_url(corpus: dict[str, Job]) -> None:
    client = Client()
    page = client.get("/jobs/", {"q": "python", "seniority": "senior"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-get="/jobs/"' in html and 'hx-push-url="true"' in html
    assert "Senior Django Developer" in html and "Frontend Engineer" not in html
    assert 'value="python"' in html  # the form shows the URL's state
    assert "Top skills" in html and "Python" in html

    partial = client.get("/jobs/", {"q": "react"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "Frontend Engineer" in body
    assert "1 job" in body

    empty = client.get("/jobs/", {"q": "haskell"}).content.decode()
    assert "No jobs match these filters" in empty


@pytest.mark.django_db
def test_moderation_events_are_recorded_with_reason(corpus: dict[str, Job], user: Any) -> None:
    job_moderate(jobs=[corpus["go"]], action="flag", actor=user, reason="duplicate of another")
    event = ModerationEvent.objects.get()
    assert (event.actor, event.action, event.reason, event.previous_status) == (
        user,
        "flag",
        "duplicate of another",
        "active",
    )


@pytest.mark.django_db
def test_misspelled_words_are_corrected_against_the_vocabulary(corpus: dict[str, Job]) -> None:
    from jobs.selectors import search_query_correct

    assert search_query_correct(q="pyhton developer") == "python developer"
    assert search_query_correct(q="django developer") is None  # every word is known
    api = APIClient()
    assert positions(api.get("/api/jobs/", {"q": "senoir djangoo"})) == ["Senior Django Developer"]
    # Known words that simply do not occur together: an honest empty result.
    assert positions(api.get("/api/jobs/", {"q": "accountant kubernetes"})) == []
    assert positions(api.get("/api/jobs/", {"q": "zzzzzz"})) == []


def test_a_job_in_a_list_is_represented_as_its_fields_declare(db: None) -> None:
    from django.core.management import call_command
    from rest_framework import serializers

    from jobs.serializers import JobListItemSerializer
    from tests.corpus import FEED_2024

    call_command("import_jobs", str(FEED_2024), stdout=StringIO(), stderr=StringIO())
    # A posting that states no salary, no tags and no location.
    make_job(position="Bare posting", tags=(), location="", salary_min=None, salary_max=None)
    jobs = list(Job.objects.all())
    assert len(jobs) > 50
    assert any(j.salary_min for j in jobs) and any(j.salary_min is None for j in jobs)
    assert any(j.tags for j in jobs) and any(not j.tags for j in jobs)
    item = JobListItemSerializer()
    for job in jobs:
        assert item.to_representation(job) == serializers.Serializer.to_representation(item, job)
