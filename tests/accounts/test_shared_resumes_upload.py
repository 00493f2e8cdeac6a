"""Every real resume in ../shared/data/resumes through the upload path (API, task, reader
child process, profile extraction), with what each truly says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import User
from tests.accounts.resume_files import SHARED_RESUMES

# file -> (skills that must be found, a title that must be found, seniority or None)
EXPECTED: dict[str, tuple[set[str], str | None]] = {
    "deedy__deedy_resume-openfont.pdf": ({"Java", "Python", "JavaScript"}, "Software Engineer"),
    "livecareer__ACCOUNTANT__10554236.pdf": ({"Accounting", "General Ledger"}, "Accountant"),
    "livecareer__CHEF__10001727.pdf": ({"Inventory Management"}, "Sous Chef"),
    "livecareer__TEACHER__10504237.pdf": ({"Lesson Planning", "Teaching"}, "Biology Teacher"),
    "openresume__laverne-resume.pdf": ({"Microsoft Excel", "Spanish"}, None),
    "rendercv__John_Doe_ClassicTheme_CV.pdf": ({"Python", "CUDA", "PyTorch"}, "Co-Founder & CTO"),
    "resumematcher__barry_allen_fe.pdf": (
        {"JavaScript", "React", "TypeScript"},
        "Software Engineer",
    ),
    "resumematcher__harvey_dent_mle.pdf": (
        {"Python", "TensorFlow", "PyTorch"},
        "Machine Learning Engineer",
    ),
    "resumematcher__john_doe.pdf": (
        {"Java", "Spring Boot", "Hibernate"},
        "Full Stack Java Developer",
    ),
    "resumematcher__modern-two-column.pdf": (
        {"Go", "PostgreSQL", "Redis"},
        "Senior Software Engineer",
    ),
}


def test_every_shared_resume_is_listed_here() -> None:
    assert sorted(p.name for p in SHARED_RESUMES.glob("*.pdf")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_resume_upload_yields_its_real_skills_and_titles(
    name: str, user: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = APIClient()
    client.force_authenticate(user)
    data = (SHARED_RESUMES / name).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/resumes/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
        )
    assert response.status_code == 202
    resume = client.get(f"/api/resumes/{response.json()['id']}/").json()
    assert resume["status"] == "ready", resume["error"]
    assert resume["kind"] == "pdf" and resume["pages"] >= 1
    skills, title = EXPECTED[name]
    profile = resume["profile"]
    assert skills <= set(profile["skills"]), profile["skills"]
    if title is not None:
        assert title in profile["titles"], profile["titles"]
    # What was read is kept apart from what the person may later correct.
    assert profile["extracted_skills"] == profile["skills"]
