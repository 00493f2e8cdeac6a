"""The upsert service's COPY path: mixed batches, duplicates, odd characters, races."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from jobs.models import Company, Job, JobSearch, SearchWord
from jobs.services.upsert import job_upsert_many
from tests.factories import job_draft


@pytest.mark.django_db
def test_one_batch_creates_updates_and_touches() -> None:
    kept, changed = job_draft(), job_draft(position="Go Developer")
    first = job_upsert_many(drafts=[kept, changed])
    before = {job.external_id: job for job in Job.objects.all()}
    later = datetime.now(UTC) + timedelta(hours=1)

    fresh = job_draft(company="Brand New Co")
    edited = job_draft(
        external_id=changed.external_id,
        position="Senior Go Developer",
        company="Gophers GmbH",
        tags=("golang", "senior"),
        salary_min=90000,
        salary_max=120000,
    )
    result = job_upsert_many(drafts=[kept, edited, fresh], seen_at=later)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert result.updated_ids == [before[changed.external_id].pk]
    job = Job.objects.get(external_id=changed.external_id)
    assert job.pk == before[changed.external_id].pk
    assert (job.position, job.normalized_title) == ("Senior Go Developer", "senior go developer")
    assert (job.company.name, job.company_name) == ("Gophers GmbH", "Gophers GmbH")
    assert job.tags == ["golang", "senior"]
    assert (job.salary_min, job.salary_max, job.salary_currency) == (90000, 120000, "USD")
    assert job.content_hash == edited.content_hash()
    assert job.first_seen_at == before[changed.external_id].first_seen_at
    assert job.last_seen_at == later and job.updated_at == later
    untouched = Job.objects.get(external_id=kept.external_id)
    assert untouched.last_seen_at == later
    assert untouched.updated_at == before[kept.external_id].updated_at
    created = Job.objects.get(pk=result.created_ids[0])
    assert (created.external_id, created.status, created.skills, created.seniority) == (
        fresh.external_id,
        "active",
        [],
        "",
    )
    assert created.first_seen_at == created.last_seen_at == later
    # The search rows were written for copied and updated jobs alike.
    assert JobSearch.objects.filter(document="senior", job_id=job.pk).exists()
    assert JobSearch.objects.filter(document="brand", job_id=created.pk).exists()
    assert {"gophers", "brand", "senior"} <= set(SearchWord.objects.values_list("word", flat=True))
    assert first.created_ids == sorted(first.created_ids)


@pytest.mark.django_db
def test_duplicates_inside_one_batch_keep_the_last() -> None:
    first = job_draft(external_id="dup", position="Draft One")
    last = job_draft(external_id="dup", position="Draft Two")
    result = job_upsert_many(drafts=[first, job_draft(), last])
    assert result.created == 2
    assert Job.objects.get(external_id="dup").position == "Draft Two"


@pytest.mark.django_db
def test_tags_with_array_syntax_characters_round_trip() -> None:
    tags = ("c++", 'say "hi"', "back\\slash", "x,y", "{z}", "null", "zürich", " ")
    result = job_upsert_many(drafts=[job_draft(tags=tags)])
    assert Job.objects.get(pk=result.created_ids[0]).tags == list(tags)


@pytest.mark.django_db
def test_an_existing_company_keeps_its_stored_name() -> None:
    job_upsert_many(drafts=[job_draft(company="Acme, Inc.")])
    result = job_upsert_many(drafts=[job_draft(company="ACME")])
    job = Job.objects.get(pk=result.created_ids[0])
    assert (job.company_name, Company.objects.count()) == ("Acme, Inc.", 1)


@pytest.mark.django_db
def test_reposts_in_one_batch_point_at_the_earliest() -> None:
    now = datetime.now(UTC)
    drafts = [
        job_draft(position="Data Engineer", company="Acme", posted_at=now - timedelta(days=d))
        for d in (3, 10, 1)
    ]
    result = job_upsert_many(drafts=drafts)
    assert result.reposts == 2
    original = Job.objects.get(external_id=drafts[1].external_id)
    assert original.duplicate_of is None
    assert set(original.duplicates.values_list("external_id", flat=True)) == {
        drafts[0].external_id,
        drafts[2].external_id,
    }


@pytest.mark.django_db
def test_nul_and_control_characters_do_not_break_an_import(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    records = [
        {
            "id": "n\u00001",
            "position": "Dev\u0000Ops Engineer",
            "company": "Nul\u0000 Corp",
            "url": "https://e.example/\u00001",
            "tags": ["a\u0000b"],
            "description": "<p>Line\u0000one</p>",
        },
        {"id": "ok", "position": "Plain Engineer", "url": "https://e.example/2"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    out = StringIO()
    call_command("import_jobs", str(path), stdout=out)
    assert "created 2, updated 0, unchanged 0, rejected 0" in out.getvalue()
    job = Job.objects.get(company_name="Nul Corp")
    assert (job.external_id, job.position, job.url) == (
        "n1",
        "DevOps Engineer",
        "https://e.example/1",
    )
    assert (job.tags, job.description_text) == (["ab"], "Lineone")
    again = StringIO()
    call_command("import_jobs", str(path), stdout=again)
    assert "created 0, updated 0, unchanged 2" in again.getvalue()

    # A source whose parser let a NUL through loses the character, not the batch.
    result = job_upsert_many(drafts=[job_draft(position="Null\x00Byte", location="E\x00U")])
    assert Job.objects.get(pk=result.created_ids[0]).position == "NullByte"


@pytest.mark.django_db
def test_values_over_the_column_sizes_are_rejected_rows(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    records = [
        {"id": "1", "position": "Engineer", "url": "https://e.example/" + "x" * 1000},
        {"id": "2", "position": "Engineer", "url": "https://e.example/2", "tags": ["t" * 101]},
        {"id": "3", "position": "Engineer", "url": "https://e.example/3", "company": "C" * 256},
        {"id": "4", "position": "Engineer", "url": "https://e.example/4"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    out, err = StringIO(), StringIO()
    call_command("import_jobs", str(path), stdout=out, stderr=err)
    assert "created 1, updated 0, unchanged 0, rejected 3" in out.getvalue()
    assert "rejected line 1: url longer than 1000 characters" in err.getvalue()
    assert "rejected line 2: a tag longer than 100 characters" in err.getvalue()
    assert "rejected line 3: company longer than 255 characters" in err.getvalue()
    assert list(Job.objects.values_list("external_id", flat=True)) == ["4"]


def _waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_posting_inserted_concurrently_is_classified_again_not_an_error() -> None:
    draft = job_draft(external_id="race")
    other = job_draft(external_id="race-2")
    inserted, results, errors = threading.Event(), [], []

    def concurrent_writer() -> None:
        try:
            with transaction.atomic():
                job_upsert_many(drafts=[draft])
                inserted.set()
                # Commit only once the main thread's COPY is blocked on our new row.
                deadline = time.monotonic() + 10
                while not _waiting_on_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=concurrent_writer)
    writer.start()
    assert inserted.wait(10)
    # The look-up does not see the uncommitted row; the COPY then waits for it, fails on
    # the unique key once it is committed, and the batch is classified again.
    results.append(job_upsert_many(drafts=[draft, other]))
    writer.join(10)
    assert not errors
    (result,) = results
    assert (result.created, result.updated, result.unchanged) == (1, 0, 1)
    assert sorted(Job.objects.values_list("external_id", flat=True)) == ["race", "race-2"]
