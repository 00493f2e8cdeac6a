"""Engine 1 reads its candidates as the database streams them: the connection must be
usable again however the reader stops."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection

from accounts.models import Profile, User
from jobs.models import Job
from jobs.services.embeddings import active_space
from recommendations.engines.semantic import (
    EF_SEARCH,
    candidate_pool,
    excluded_company_ids,
    vector_candidates,
)
from recommendations.ranking import Candidate, Person
from recommendations.selectors import person_for_profile
from tests.factories import UserFactory
from tests.recommendations.conftest import PYTHON_RESUME
from tests.recommendations.test_recommendations_api import api_for

Capture = Callable[..., Any]


class StopReading(Exception):
    pass


@pytest.fixture
def python_person(
    corpus: list[Job], django_capture_on_commit_callbacks: Capture
) -> tuple[User, Person]:
    user = UserFactory.create()
    client = api_for(user)
    # Outside a test transaction (the second test) the parse task runs as it is queued.
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/api/resumes/", {"text": PYTHON_RESUME}, format="json")
    assert posted.status_code == 202, posted.content
    profile = Profile.objects.get(resume_id=posted.json()["id"])
    return user, person_for_profile(profile=profile, user=user, space=active_space())


def _pool(person: Person) -> Any:
    return candidate_pool(
        person=person,
        space=active_space(),
        vector_limit=40,
        skill_limit=20,
        company_ids_excluded=excluded_company_ids(person),
    )


def _streamed(person: Person) -> list[Candidate]:
    with _pool(person) as pool:
        return list(pool)


def _read_one_then_fail(person: Person) -> None:
    with _pool(person) as pool:
        next(pool)
        raise StopReading


def test_the_streamed_pool_is_the_vector_candidates_then_the_skill_matches(
    python_person: tuple[User, Person],
) -> None:
    _user, person = python_person
    streamed = _streamed(person)
    space = active_space()
    assert space is not None
    nearest = vector_candidates(person=person, space=space, limit=40)
    assert [c.job_id for c in streamed[:40]] == [c.job_id for c in nearest]
    skill_matches = streamed[40:]
    assert skill_matches, "the Python resume shares skills with more than 40 postings"
    assert not {c.job_id for c in skill_matches} & {c.job_id for c in nearest}
    assert all(set(c.skills) & person.skills for c in skill_matches)


def test_companies_to_exclude_are_left_out_of_both_parts_by_any_spelling(
    python_person: tuple[User, Person],
) -> None:
    _user, person = python_person
    streamed = _streamed(person)
    near_company, skill_company = streamed[0].company_name, streamed[-1].company_name
    assert near_company != skill_company
    # As a person types them: another case, a legal suffix.
    excluding = replace(
        person, excluded_companies=(near_company.upper() + " Inc.", skill_company.lower())
    )
    kept = _streamed(excluding)
    assert kept
    assert not {near_company, skill_company} & {c.company_name for c in kept}
    # Only their jobs went: everything else the first pool had is still there.
    others = {c.job_id for c in streamed if c.company_name not in (near_company, skill_company)}
    assert others <= {c.job_id for c in kept}


@pytest.mark.django_db(transaction=True)
def test_a_reader_that_stops_early_or_fails_leaves_the_connection_usable(
    python_person: tuple[User, Person],
) -> None:
    _user, person = python_person
    whole = [c.job_id for c in _streamed(person)]
    with _pool(person) as pool:
        assert next(pool).job_id == whole[0]
    assert not connection.in_atomic_block
    with pytest.raises(StopReading):
        _read_one_then_fail(person)
    assert not connection.in_atomic_block
    # The settings were local to the stream's transaction, and the connection answers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('hnsw.ef_search', true), count(*) FROM jobs_job")
        ef_search, jobs = cursor.fetchone()
    assert ef_search != str(EF_SEARCH)
    assert jobs == Job.objects.count() > 0
    with _pool(person) as pool:
        assert [c.job_id for c in pool] == whole
