"""Uploading resumes through the API and the web UI: what is accepted, what is refused,
and what a person is told. Parsing runs through the real task (eager in tests, enqueued
with ``.delay()`` on commit)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper
from rest_framework.test import APIClient

from accounts.models import Resume, User
from tests.accounts.resume_files import docx_resume, flate_bomb, minimal_pdf, text_ops, zip_bytes

Capture = Callable[..., Any]


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_file(
    client: APIClient, capture: Capture, name: str, data: bytes
) -> tuple[int, dict[str, Any]]:
    with capture(execute=True):
        response = client.post(
            "/api/resumes/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
        )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "empty"),
        ("archive.pdf", zip_bytes({"a.txt": b"hello"}), "archive"),
        ("program.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "program"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image"),
    ],
)
def test_files_we_cannot_read_are_refused_at_once_with_nothing_stored(
    user: User, django_capture_on_commit_callbacks: Capture, name: str, data: bytes, message: str
) -> None:
    status, body = post_file(api(user), django_capture_on_commit_callbacks, name, data)
    assert status == 400
    assert message.lower() in str(body["error"]["details"]["file"]).lower()
    assert not Resume.objects.exists()


def test_an_oversized_file_is_refused(
    user: User, settings: SettingsWrapper, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.RESUME_MAX_BYTES = 1000
    status, body = post_file(
        api(user), django_capture_on_commit_callbacks, "big.txt", b"Python developer. " * 100
    )
    assert status == 400
    assert "larger than" in str(body["error"]["details"]["file"])
    assert not Resume.objects.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: minimal_pdf([b""], image=True), "no text"),
        (lambda: minimal_pdf([text_ops([(72, 700, "Page")])] * 30), "pages"),
        (lambda: minimal_pdf([b""], raw_streams=[flate_bomb(300_000_000)]), ""),
        (lambda: minimal_pdf([text_ops([(72, 700, "Python developer")])])[:-200], ""),
    ],
    ids=["scanned", "too-many-pages", "decompression-bomb", "truncated"],
)
def test_pdfs_that_cannot_be_read_fail_with_a_clear_message_and_no_profile(
    user: User,
    django_capture_on_commit_callbacks: Capture,
    make: Callable[[], bytes],
    message: str,
) -> None:
    client = api(user)
    status, body = post_file(client, django_capture_on_commit_callbacks, "resume.pdf", make())
    assert status == 202
    resume = client.get(f"/api/resumes/{body['id']}/").json()
    assert resume["status"] == "failed"
    assert resume["error"] and message in resume["error"].lower()
    assert resume["profile"] is None
    # No recommendations from nothing: the list says why.
    listed = client.get("/api/recommendations/")
    assert listed.status_code == 409
    assert listed.json()["error"]["message"] == resume["error"]


def test_a_docx_and_markdown_are_read(
    user: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api(user)
    status, body = post_file(client, django_capture_on_commit_callbacks, "cv.docx", docx_resume())
    assert status == 202
    docx = client.get(f"/api/resumes/{body['id']}/").json()
    assert docx["kind"] == "docx" and docx["status"] == "ready", docx
    markdown = b"# Ada Lovelace\n\n## Skills\n\n- **Python**, *Django*, [PostgreSQL](https://x)\n"
    status, body = post_file(client, django_capture_on_commit_callbacks, "cv.md", markdown)
    md = client.get(f"/api/resumes/{body['id']}/").json()
    assert md["kind"] == "text" and md["status"] == "ready"
    assert {"Python", "Django", "PostgreSQL"} <= set(md["profile"]["skills"])
    # The first upload stays the active one; the second can be chosen.
    assert docx["is_active"] and not md["is_active"]
    client.patch(f"/api/resumes/{md['id']}/", {"is_active": True}, format="json")
    listed = {r["id"]: r["is_active"] for r in client.get("/api/resumes/").json()}
    assert listed == {docx["id"]: False, md["id"]: True}


def test_the_file_downloads_only_as_an_attachment_and_goes_with_the_resume(
    user: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client = api(user)
    data = b"Jane Doe\nSkills: Python, Django\n"
    _, body = post_file(client, django_capture_on_commit_callbacks, "jane.txt", data)
    download = client.get(f"/api/resumes/{body['id']}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="jane.txt"')
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]
    resume = Resume.objects.get(pk=body["id"])
    storage, path = resume.file.storage, str(resume.file.name)
    assert storage.exists(path)
    assert "jane" not in path  # the person's file name is never used on disk
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/api/resumes/{body['id']}/").status_code == 204
    assert not storage.exists(path)
    assert not Resume.objects.exists()


def test_the_web_upload_shows_progress_then_the_profile(
    user: User, user_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    upload = SimpleUploadedFile("cv.txt", b"Senior Python Developer\nSkills: Python, Django\n")
    # Not executed yet: the page shows the reading stage and polls.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = user_client.post("/account/resumes/", {"file": upload})
    assert response.status_code == 302
    resume = Resume.objects.get(user=user)
    page = user_client.get(response["Location"])
    assert b'hx-trigger="every 1s"' in page.content
    poll = user_client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"Waiting" in poll.content or b"Reading" in poll.content
    for callback in callbacks:
        callback()
    poll = user_client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll.headers.get("HX-Refresh") == "true"
    page = user_client.get(response["Location"])
    assert b"Your profile" in page.content and b"Python" in page.content
    edited = user_client.post(
        response["Location"], {"skills": "Python, Go", "seniority": "senior", "remote_only": "on"}
    )
    assert edited.status_code == 302
    resume.profile.refresh_from_db()
    assert resume.profile.skills == ["Python", "Go"] and resume.profile.remote_only
    refused = user_client.post(response["Location"], {"skills": "Python, Knitting"})
    assert refused.status_code == 400 and b"Knitting" in refused.content


def test_a_web_upload_of_a_bad_file_says_why(user: User, user_client: Client) -> None:
    response = user_client.post(
        "/account/resumes/", {"file": SimpleUploadedFile("x.pdf", io.BytesIO(b"").read())}
    )
    assert response.status_code == 400
    assert not Resume.objects.exists()


def test_deleting_the_account_deletes_the_resume_files(
    user: User, django_capture_on_commit_callbacks: Capture
) -> None:
    from accounts.services import user_delete

    _, body = post_file(api(user), django_capture_on_commit_callbacks, "cv.txt", b"Python, Go")
    resume = Resume.objects.get(pk=body["id"])
    storage, path = resume.file.storage, str(resume.file.name)
    assert storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user)
    assert not storage.exists(path)
    assert not Resume.objects.exists()
