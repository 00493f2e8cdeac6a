"""Staff moderation in the admin; the beat schedule; expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from jobs.models import Job, ModerationEvent, ScrapeRun
from jobs.tasks import expire_jobs_task
from tests.factories import UserFactory, make_job


@pytest.fixture
def staff(db: None) -> Client:
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def _action(client: Client, action: str, jobs: list[Job], **extra: str) -> Any:
    data = {"action": action, "_selected_action": [j.pk for j in jobs], **extra}
    return client.post("/admin/jobs/job/", data, follow=True)


@pytest.mark.django_db
def test_hide_asks_for_a_reason_then_hides_and_records_who(staff: Client) -> None:
    jobs = [make_job(), make_job()]
    confirm = _action(staff, "hide_jobs", jobs)
    assert b"These jobs will be hidden" in confirm.content
    assert Job.objects.filter(status="hidden").count() == 0

    done = _action(staff, "hide_jobs", jobs, apply="1", reason="Scam posting")
    assert b"Hide: 2 job(s)" in done.content
    assert Job.objects.filter(status="hidden", moderation_reason="Scam posting").count() == 2
    events = ModerationEvent.objects.all()
    assert {(e.action, e.reason, e.actor.is_staff if e.actor else None) for e in events} == {
        ("hide", "Scam posting", True)
    }

    _action(staff, "unhide_jobs", jobs)
    assert Job.objects.filter(status="active", moderation_reason="").count() == 2
    assert ModerationEvent.objects.filter(action="unhide").count() == 2


@pytest.mark.django_db
def test_flag_without_a_reason_changes_nothing(staff: Client) -> None:
    job = make_job()
    response = _action(staff, "flag_jobs", [job], apply="1", reason="")
    assert b"A reason is required" in response.content
    job.refresh_from_db()
    assert job.status == "active"
    assert not ModerationEvent.objects.exists()


@pytest.mark.django_db
def test_admin_lists_filter_and_show_scrape_runs_and_cache_stats(staff: Client) -> None:
    make_job(position="Kotlin Developer")
    ScrapeRun.objects.create(
        source="remoteok", started_at=datetime.now(UTC), status="failed", error="HTTP 500 from ..."
    )
    listing = staff.get("/admin/jobs/job/", {"status__exact": "active", "q": "kotlin"})
    assert listing.status_code == 200 and b"Kotlin Developer" in listing.content
    runs = staff.get("/admin/jobs/scraperun/")
    assert b"HTTP 500 from" in runs.content
    Client().get("/api/jobs/")
    Client().get("/api/jobs/")
    stats = staff.get("/admin/jobs/job/cache-stats/")
    assert stats.status_code == 200
    assert b"job_list" in stats.content and b"50%" in stats.content


@pytest.mark.django_db
def test_non_staff_cannot_moderate(user_client: Client) -> None:
    job = make_job()
    response = user_client.post(
        "/admin/jobs/job/",
        {"action": "hide_jobs", "_selected_action": [job.pk], "apply": "1", "reason": "x"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    job.refresh_from_db()
    assert job.status == "active"


@pytest.mark.django_db
def test_setup_periodic_tasks_is_idempotent_and_keeps_staff_edits() -> None:
    out = StringIO()
    call_command("setup_periodic_tasks", stdout=out)
    assert "created periodic task: Scrape RemoteOK" in out.getvalue()
    scrape = PeriodicTask.objects.get(name="Scrape RemoteOK")
    assert scrape.task == "jobs.tasks.scrape_source_task"
    assert scrape.interval is not None
    assert (scrape.interval.every, scrape.interval.period) == (30, "minutes")
    assert scrape.kwargs == '{"source": "remoteok"}'
    scrape.enabled = False  # a staff edit
    scrape.save()
    again = StringIO()
    call_command("setup_periodic_tasks", stdout=again)
    assert "already set up" in again.getvalue()
    assert PeriodicTask.objects.filter(name="Scrape RemoteOK").count() == 1
    assert not PeriodicTask.objects.get(name="Scrape RemoteOK").enabled


@pytest.mark.django_db
def test_expiry_by_age_and_not_by_absence_from_one_run(
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = datetime.now(UTC)
    fresh = make_job(posted_at=now - timedelta(days=3))
    old = make_job(posted_at=now - timedelta(days=60))
    still_listed = make_job(posted_at=now - timedelta(days=60))
    hidden = make_job(posted_at=now - timedelta(days=60))
    Job.objects.filter(pk__in=[fresh.pk, old.pk, hidden.pk]).update(
        last_seen_at=now - timedelta(days=50)
    )
    Job.objects.filter(pk=hidden.pk).update(status="hidden")
    with django_capture_on_commit_callbacks(execute=True):
        result = expire_jobs_task.delay()
    assert result.get() == 1
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        fresh.pk: "active",
        old.pk: "expired",
        still_listed.pk: "active",
        hidden.pk: "hidden",
    }
    assert expire_jobs_task.delay().get() == 0  # idempotent


@pytest.mark.django_db
def test_user_model_is_not_affected_by_job_deletion_protection(user: User) -> None:
    # Companies are protected from deletion while jobs reference them; users are not
    # linked to jobs except through moderation events, which keep the job history.
    job = make_job()
    from jobs.services.moderation import job_moderate

    job_moderate(jobs=[job], action="flag", actor=user, reason="check")
    user.delete()
    event = ModerationEvent.objects.get()
    assert event.actor is None and event.job == job
