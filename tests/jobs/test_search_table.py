"""The narrow search table (JobSearch) follows every write path of jobs_job.

Each test ends by comparing the whole table with one built from scratch out of jobs_job by
the migration's own expression: same rows (exactly the visible jobs), same columns, same
documents.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.models import Job, JobSearch
from jobs.services.moderation import job_expire_stale, job_moderate
from jobs.services.upsert import job_upsert_many
from jobs.tasks import enrich_jobs_task
from tests.factories import job_draft, make_job, make_jobs

_migration = importlib.import_module("jobs.migrations.0005_job_search_table")


def assert_in_sync() -> None:
    expected = f"{_migration._select('j', 'jobs_job')} WHERE {_migration.VISIBLE_J}"
    stored = f"SELECT {_migration.COLUMNS} FROM jobs_jobsearch"  # noqa: S608 - constants
    with connection.cursor() as cursor:
        for first, second in ((expected, stored), (stored, expected)):
            cursor.execute(f"SELECT count(*) FROM (({first}) EXCEPT ({second})) AS d")  # noqa: S608
            assert cursor.fetchone() == (0,)


def matches(word: str) -> set[int]:
    return set(JobSearch.objects.filter(document=word).values_list("job_id", flat=True))


@pytest.mark.django_db
def test_copied_updated_and_touched_postings() -> None:
    kept_draft = job_draft(external_id="kept", position="Rust Engineer")
    make_jobs(kept_draft, job_draft(external_id="changed", position="Cobol Engineer"))
    kept, changed = (Job.objects.get(external_id=e) for e in ("kept", "changed"))
    assert matches("rust") == {kept.pk} and matches("cobol") == {changed.pk}
    assert_in_sync()
    later = timezone.now() + timedelta(hours=1)
    result = job_upsert_many(
        drafts=[
            kept_draft,
            job_draft(external_id="changed", position="Fortran Engineer", salary_max=90000),
        ],
        seen_at=later,
    )
    assert (result.updated_ids, result.unchanged) == ([changed.pk], 1)
    assert matches("cobol") == set() and matches("fortran") == {changed.pk}
    assert JobSearch.objects.get(job_id=changed.pk).salary_max == 90000
    assert_in_sync()


@pytest.mark.django_db
def test_reposts_have_no_row_until_their_original_is_gone() -> None:
    original = make_job(position="Data Analyst", company="Numbers Inc")
    (repost,) = make_jobs(
        job_draft(position="Data Analyst", company="Numbers Inc", external_id="again")
    )
    assert repost.duplicate_of_id == original.pk
    assert matches("analyst") == {original.pk}
    original.delete()  # reposts are set free (SET_NULL), the original's row cascades
    assert matches("analyst") == {repost.pk}
    assert_in_sync()


@pytest.mark.django_db
def test_hide_flag_unhide_and_expiry() -> None:
    make_jobs(
        job_draft(external_id="h", position="Hidden Plumber"),
        job_draft(external_id="f", position="Flagged Plumber"),
        job_draft(
            external_id="o",
            position="Old Plumber",
            posted_at=datetime.now(UTC) - timedelta(days=400),
        ),
    )
    hidden, flagged, old = (Job.objects.get(external_id=e) for e in ("h", "f", "o"))
    job_moderate(jobs=[hidden], action="hide", actor=None, reason="spam")
    job_moderate(jobs=[flagged], action="flag", actor=None, reason="check")
    Job.objects.filter(pk=old.pk).update(last_seen_at=timezone.now() - timedelta(days=400))
    assert job_expire_stale(max_age_days=30) == 1
    assert matches("plumber") == set()
    assert APIClient().get("/api/jobs/", {"q": "plumber"}).json()["count"] == 0
    assert_in_sync()
    hidden.refresh_from_db()
    job_moderate(jobs=[hidden], action="unhide", actor=None)
    assert matches("plumber") == {hidden.pk}
    assert_in_sync()


@pytest.mark.django_db
def test_enrichment_skills_and_seniority_reach_the_search_row() -> None:
    (job,) = make_jobs(
        job_draft(
            position="Senior Platform Developer",
            description_text="We use Django and PostgreSQL on AWS.",
            tags=(),
        )
    )
    assert enrich_jobs_task.delay(job_ids=[job.pk]).get()["enriched"] == 1
    row = JobSearch.objects.get(job_id=job.pk)
    assert "Django" in row.skills and row.seniority == "senior"
    # The skill now weighs in the short document relevance is ranked on.
    assert JobSearch.objects.filter(title_document="django", job_id=job.pk).exists()
    response = APIClient().get("/api/jobs/", {"q": "django", "skills": "Django"})
    assert [item["id"] for item in response.json()["results"]] == [job.pk]
    assert_in_sync()


@pytest.mark.django_db
def test_orm_save_and_queryset_update(settings: Any) -> None:
    job = make_job(position="Night Baker", location="Paris")
    job.position = "Morning Baker"
    job.save()
    assert matches("morning") == {job.pk} and matches("night") == set()
    Job.objects.filter(pk=job.pk).update(location="Lyon", remote_policy="onsite")
    row = JobSearch.objects.get(job_id=job.pk)
    assert (row.location, row.remote_policy) == ("Lyon", "onsite")
    assert_in_sync()


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["relevance", "newest", "salary"])
def test_text_search_pages_add_up_to_the_whole_result(sort: str) -> None:
    now = datetime.now(UTC)
    make_jobs(
        *(
            job_draft(
                external_id=f"w{n}",
                position="Welder" if n % 2 else "Fabricator",
                # Every posting says "welder"; odd ones in the title, so they rank first.
                description_text="Welder wanted.",
                salary_max=None if n == 3 else 40000 + 1000 * n,
                posted_at=now - timedelta(days=n),
            )
            for n in range(7)
        )
    )
    names = dict(Job.objects.values_list("pk", "external_id"))
    api = APIClient()
    whole = api.get("/api/jobs/", {"q": "welder", "sort": sort}).json()
    assert whole["count"] == 7 and not whole["count_capped"]
    expected = [names[item["id"]] for item in whole["results"]]
    paged = []
    for page in (1, 2, 3):
        body = api.get("/api/jobs/", {"q": "welder", "sort": sort, "page_size": 3, "page": page})
        paged += [names[item["id"]] for item in body.json()["results"]]
    assert paged == expected
    if sort == "relevance":
        assert expected == ["w1", "w3", "w5", "w0", "w2", "w4", "w6"]
    elif sort == "newest":
        assert expected == [f"w{n}" for n in range(7)]
    else:  # highest salary first, no salary last
        assert expected == ["w6", "w5", "w4", "w2", "w1", "w0", "w3"]
