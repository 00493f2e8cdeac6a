"""Everything a person owns is theirs alone: another person's ids are simply not found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Resume, User
from feedback.models import HiddenJob, Rating, SavedJob
from jobs.models import Job
from tests.factories import UserFactory
from tests.recommendations.conftest import PYTHON_RESUME

Capture = Callable[..., Any]


@pytest.fixture
def owner_and_resume(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> tuple[User, Resume]:
    owner = UserFactory.create()
    client = APIClient()
    client.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/resumes/", {"text": PYTHON_RESUME}, format="json")
    resume = Resume.objects.get(pk=response.json()["id"])
    assert resume.status == Resume.Status.READY
    return owner, resume


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("get", "/api/resumes/{id}/", None),
        ("patch", "/api/resumes/{id}/", {"skills": ["Go"]}),
        ("patch", "/api/resumes/{id}/", {"is_active": True}),
        ("delete", "/api/resumes/{id}/", None),
        ("get", "/api/resumes/{id}/file/", None),
        ("get", "/api/recommendations/?resume={id}", None),
    ],
)
def test_another_persons_resume_is_not_found_in_the_api(
    owner_and_resume: tuple[User, Resume], method: str, path: str, payload: Any
) -> None:
    _, resume = owner_and_resume
    intruder = APIClient()
    intruder.force_authenticate(UserFactory.create())
    response = getattr(intruder, method)(path.format(id=resume.pk), payload, format="json")
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    resume.refresh_from_db()
    assert resume.profile.skills != ["Go"]
    assert resume.file.storage.exists(str(resume.file.name))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/account/resumes/{id}/"),
        ("post", "/account/resumes/{id}/"),
        ("get", "/account/resumes/{id}/file/"),
        ("post", "/account/resumes/{id}/activate/"),
        ("post", "/account/resumes/{id}/delete/"),
    ],
)
def test_another_persons_resume_is_not_found_in_the_web_ui(
    owner_and_resume: tuple[User, Resume], method: str, path: str
) -> None:
    _, resume = owner_and_resume
    intruder = Client()
    intruder.force_login(UserFactory.create())
    response = getattr(intruder, method)(path.format(id=resume.pk), {"skills": "Go"})
    assert response.status_code == 404
    assert Resume.objects.filter(pk=resume.pk).exists()


def test_lists_and_feedback_are_per_person(owner_and_resume: tuple[User, Resume]) -> None:
    owner, _ = owner_and_resume
    mine = APIClient()
    mine.force_authenticate(owner)
    job = mine.get("/api/recommendations/").json()["results"][0]["job"]["id"]
    mine.post("/api/feedback/", {"job": job, "action": "save"}, format="json")
    mine.post("/api/feedback/", {"job": job, "action": "rate", "value": 5}, format="json")

    other_user = UserFactory.create()
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get("/api/resumes/").json() == []
    assert other.get("/api/saved-jobs/").json()["results"] == []
    assert other.get("/api/recommendations/").status_code == 404
    # Their unsave, unhide and rating touch only their own rows.
    other.post("/api/feedback/", {"job": job, "action": "unsave"}, format="json")
    other.post("/api/feedback/", {"job": job, "action": "rate", "value": 1}, format="json")
    assert SavedJob.objects.filter(user=owner, job_id=job).exists()
    assert Rating.objects.get(user=owner, job_id=job).value == 5
    assert Rating.objects.get(user=other_user, job_id=job).value == 1
    assert not HiddenJob.objects.exists()


def test_the_api_needs_a_login() -> None:
    anonymous = APIClient()
    for path in ("/api/resumes/", "/api/recommendations/", "/api/saved-jobs/"):
        assert anonymous.get(path).status_code == 401
    assert anonymous.post("/api/feedback/", {}, format="json").status_code == 401
