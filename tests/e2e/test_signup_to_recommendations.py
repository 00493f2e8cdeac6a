"""One person's first visit, in a real browser against the live server: sign up, verify
the email from the sent mail, upload a real PDF resume, wait for it to be read, see the
recommendations and rate one; the rating reshapes the list."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from jobrec.celery import app as celery_app
from jobs.models import Job
from tests.accounts.resume_files import SHARED_RESUMES
from tests.e2e.conftest import READ_MS

pytestmark = pytest.mark.browser

EMAIL = "grace@example.com"
PASSWORD = "a long and unguessable passphrase 7"
# A backend engineer's resume (Go, PostgreSQL, Redis): the 2024 RemoteOK corpus has many
# jobs for it, so the first page is full.
RESUME = SHARED_RESUMES / "resumematcher__modern-two-column.pdf"


@pytest.fixture
def worker(
    corpus: list[Job], monkeypatch: pytest.MonkeyPatch
) -> Callable[[], AbstractContextManager[object]]:
    """Tasks go to a broker instead of running inside the request that queues them, as in
    production: the upload answers at once and the resume page polls. Returns a function
    that starts a worker thread (as a context manager), so the test decides when the
    queued parse runs.

    The broker is kombu's in-memory one: the worker shares this process (the live server's
    database, settings and the corpus's model), and a running ``make run`` on the same
    embedded Redis never sees these messages. After ``corpus``, whose import relies on
    eager tasks to enrich the jobs."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "memory://localhost/")
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL", "TEST_BROKER"):
        monkeypatch.delenv(name, raising=False)  # celery would prefer these to the above
    # Connection pools made for the real broker (if any) must not be reused; both are put
    # back afterwards. (Celery.close() would also unregister the app from shared tasks.)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    return lambda: start_worker(
        celery_app,
        perform_ping_check=False,
        loglevel="WARNING",
        # Stopping waits for the task in hand (reading, embedding, the first list).
        shutdown_timeout=READ_MS / 1000,
    )


def cards(page: Page) -> Locator:
    return page.locator("#recommendations article.recommendation")


def listed_ids(page: Page) -> list[int]:
    return [int(j) for j in cards(page).evaluate_all("els => els.map(e => e.dataset.job)")]


def shown_score(card: Locator) -> int:
    """The score out of 100 the card shows."""
    return int(card.locator(".score strong").inner_text())


def test_signup_verify_upload_see_and_rate_recommendations(
    page: Page,
    live_server: LiveServer,
    worker: Callable[[], AbstractContextManager[object]],
    tmp_path: Path,
) -> None:
    if not RESUME.exists():
        pytest.skip(f"{RESUME} is missing (the shared data set is not mounted)")

    # 1. Sign up from the home page.
    page.goto(live_server.url)
    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label("Email:").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # 2. Verify the address with the link from the mail (the live server runs in this
    # process, so the locmem backend's outbox holds it).
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/[^/\s]+/", str(message.body))
    assert link, message.body
    # The link points at the site the person signed up on.
    assert link.group(0).startswith(live_server.url)
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    # Confirming logs the person in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # 3. Upload a real PDF resume.
    page.get_by_role("link", name="Resumes").click()
    page.get_by_label("Resume file").set_input_files(RESUME)
    page.get_by_role("button", name="Upload").click()

    # 4. No worker runs yet, so the parse waits in the queue and the page says so while it
    # polls (htmx). Starting the worker only now makes this state certain, not a race.
    status = page.locator("#resume-status")
    expect(status).to_contain_text("Waiting for a reader")
    expect(status.get_by_role("progressbar", name="Reading your resume")).to_be_visible()
    with (
        # The poll that finds the resume read answers HX-Refresh, and htmx reloads the page.
        # Listening starts before the worker, so that answer cannot be missed.
        page.expect_response(lambda r: r.headers.get("hx-refresh") == "true", timeout=READ_MS),
        # Leaving this block stops the worker once its task is done: the first list is
        # computed by then, so the pages below never race the worker for it.
        worker(),
    ):
        pass
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(status).to_have_count(0)
    expect(page.get_by_text("Skills found")).to_be_visible()
    page.get_by_role("link", name="See your recommendations").click()
    expect(page.get_by_role("heading", name="Jobs for you")).to_be_visible()
    expect(cards(page)).to_have_count(20)
    # Each job is drawn as a card of its own (a missing style once ran them together).
    expect(cards(page).first).to_have_css("border-top-style", "solid")
    before = listed_ids(page)
    assert len(set(before)) == 20
    page.screenshot(path=tmp_path / "recommendations.png")

    # 5. Rate the top job 1 (a poor fit) with its own form.
    top = page.locator(f"#rec-{before[0]}")
    expect(top.locator(".rank")).to_have_text("#1")
    top_score = shown_score(top)
    top.get_by_label("Rate").select_option("1")
    top.get_by_role("button", name="Rate").click()

    # 6. The list comes back recomputed with the rating in it.
    expect(page.get_by_text("your rating now shapes your recommendations")).to_be_visible()
    expect(cards(page)).to_have_count(20)
    after = listed_ids(page)
    scores = {job: shown_score(page.locator(f"#rec-{job}")) for job in after}
    # A job rated 1 leaves the top of the list (recommendations/ranking.py): the rating
    # part costs it 0.5, its company counts as disliked (-0.15), and the profile vector
    # moves away from it (Rocchio), so it loses at least 65 of its 100 points. Whether
    # that drops it off the first page depends on the other jobs' scores.
    assert after[0] != before[0]
    assert before[0] not in scores or scores[before[0]] <= top_score - 64
