"""The recommendation pages, feedback forms, saved jobs and the staff view of ratings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from accounts.models import Resume, User
from feedback.models import Rating, SavedJob
from jobs.models import Job
from tests.factories import UserFactory
from tests.fakes.gemini_server import FakeGeminiServer
from tests.recommendations.conftest import PYTHON_RESUME

Capture = Callable[..., Any]


def signed_in_with_resume(capture: Capture) -> tuple[User, Client]:
    user = UserFactory.create()
    client = Client()
    client.force_login(user)
    with capture(execute=True):
        response = client.post("/account/resumes/", {"text": PYTHON_RESUME, "name": "Main"})
    assert response.status_code == 302
    return user, client


def job_ids(html: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb'data-job="(\d+)"', html)]


def test_without_a_resume_the_page_asks_for_one(user_client: Client) -> None:
    page = user_client.get("/recommendations/")
    assert page.status_code == 200
    assert b"Upload a resume" in page.content


def test_the_list_explains_each_job_and_feedback_changes_it(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> None:
    user, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    page = client.get("/recommendations/")
    assert page.status_code == 200
    html = page.content
    ids = job_ids(html)
    assert len(ids) == 20
    assert b"Skills you have" in html and b"Why this score" in html and b"similarity" in html
    assert b"The AI engine is not available" not in html

    top = ids[0]
    rated = client.post(
        f"/feedback/jobs/{top}/rate/",
        {"value": "1", "engine": "semantic", "next": "/recommendations/"},
    )
    assert rated.status_code == 302 and rated["Location"] == "/recommendations/"
    after = client.get("/recommendations/")
    assert b"your rating now shapes your recommendations" in after.content
    new_ids = job_ids(after.content)
    assert new_ids != ids and (top not in new_ids or new_ids.index(top) > 0)
    rating = Rating.objects.get(user=user)
    assert (rating.job_id, rating.value, rating.rank, rating.engine) == (top, 1, 1, "semantic")

    client.post(f"/feedback/jobs/{new_ids[0]}/save/", {"next": "/recommendations/"})
    saved = client.get("/feedback/saved/")
    assert SavedJob.objects.filter(user=user, job_id=new_ids[0]).exists()
    assert f"/jobs/{new_ids[0]}/".encode() in saved.content

    hide_from = Job.objects.get(pk=new_ids[1])
    client.post(f"/feedback/jobs/{hide_from.pk}/hide-company/", {"next": "/recommendations/"})
    final = client.get("/recommendations/")
    remaining = Job.objects.filter(pk__in=job_ids(final.content))
    assert not remaining.filter(company_id=hide_from.company_id).exists()

    # An unknown action or job is a 404; an off-site "next" is ignored.
    assert client.post(f"/feedback/jobs/{top}/explode/").status_code == 404
    assert client.post("/feedback/jobs/999999/save/").status_code == 404
    away = client.post(f"/feedback/jobs/{top}/unsave/", {"next": "https://evil.example/"})
    assert away["Location"] == "/recommendations/"


def test_the_llm_tab_says_when_no_llm_is_configured(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> None:
    _, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    page = client.get("/recommendations/?engine=llm")
    assert b"The AI engine is not available on this server" in page.content
    assert b"Use the semantic engine" in page.content
    assert len(job_ids(page.content)) == 20


def test_the_comparison_shows_both_rankings_and_marks_disagreement(
    corpus: list[Job],
    django_capture_on_commit_callbacks: Capture,
    gemini_llm: FakeGeminiServer,
    settings: SettingsWrapper,
) -> None:
    settings.LLM_RERANK_TOP_N = 20
    _, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    page = client.get("/recommendations/compare/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr>") >= 20
    assert "AI: #" in html and "semantic: #" in html
    assert 'class="disagree"' in html


def test_new_jobs_are_marked_on_the_page(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> None:
    user, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    first = client.get("/recommendations/")
    assert b"new since your last visit" not in first.content
    # Reloading within half an hour is the same visit: nothing becomes new.
    assert b"new since your last visit" not in client.get("/recommendations/").content
    # Coming back later: what entered the list after the last visit is new.
    resume = Resume.objects.get(user=user)
    Resume.objects.filter(pk=resume.pk).update(
        last_visit_at=timezone.now() - timedelta(hours=2), previous_visit_at=None
    )
    later = client.get("/recommendations/")
    assert b"new since your last visit" in later.content
    assert re.search(rb"\d+ new since your last visit", later.content)


def test_staff_see_ratings_per_engine(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> None:
    _, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    ids = job_ids(client.get("/recommendations/").content)
    client.post(f"/feedback/jobs/{ids[0]}/rate/", {"value": "5", "engine": "semantic"})
    client.post(f"/feedback/jobs/{ids[1]}/rate/", {"value": "2", "engine": "llm"})
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)
    page = admin.get("/admin/feedback/rating/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ratings per engine" in html
    assert re.search(r"<td>llm</td><td>1</td><td>2[.,]00</td>", html)
    assert re.search(r"<td>semantic</td><td>1</td><td>5[.,]00</td>", html)
    assert admin.get("/admin/accounts/resume/").status_code == 200
    assert admin.get("/admin/recommendations/fitscore/").status_code == 200


def test_each_card_shows_what_the_person_already_did_with_the_job(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> None:
    _, client = signed_in_with_resume(django_capture_on_commit_callbacks)
    ids = job_ids(client.get("/recommendations/").content)
    # A middling rating and a save keep the job on the list, so its card can be read back.
    client.post(f"/feedback/jobs/{ids[0]}/rate/", {"value": "4", "engine": "semantic"})
    client.post(f"/feedback/jobs/{ids[0]}/save/")
    html = client.get("/recommendations/").content.decode()
    card = re.search(rf'id="rec-{ids[0]}".*?</article>', html, re.S)
    assert card is not None
    assert '<option value="4" selected>' in card.group(0)
    assert "you rated it 4/5" in card.group(0)
    assert f"/feedback/jobs/{ids[0]}/unsave/" in card.group(0)
    other = re.search(rf'id="rec-{ids[1]}".*?</article>', html, re.S)
    assert other is not None
    assert " selected>" not in other.group(0)
    assert f"/feedback/jobs/{ids[1]}/save/" in other.group(0)
