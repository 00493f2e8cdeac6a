"""What a person's feedback means for their next ranking, read in one query."""

from __future__ import annotations

import pytest

from accounts.models import User
from feedback.selectors import SKILL_STEP, feedback_state
from feedback.services import company_hide, job_hide, rating_submit
from tests.factories import make_job


@pytest.mark.django_db
def test_ratings_and_hides_are_read_each_into_its_place(user: User, other_user: User) -> None:
    liked = make_job(position="Data Engineer", company="Acme", skills=["Python", "Spark"])
    disliked = make_job(position="Sales Lead", company="Globex", skills=["Sales", "Python"])
    neutral = make_job(position="Designer", company="Initech", skills=["Figma"])
    hidden = make_job(position="Recruiter", company="Umbrella")
    company_of = make_job(position="Support Agent", company="Hooli")
    rating_submit(user=user, job_id=liked.pk, value=5, engine="semantic")
    rating_submit(user=user, job_id=disliked.pk, value=1, engine="semantic")
    rating_submit(user=user, job_id=neutral.pk, value=3, engine="semantic")
    job_hide(user=user, job_id=hidden.pk)
    company_hide(user=user, job_id=company_of.pk)
    # Another person's feedback is not this person's.
    rating_submit(user=other_user, job_id=hidden.pk, value=5, engine="semantic")
    job_hide(user=other_user, job_id=liked.pk)

    state = feedback_state(user=user)

    assert state.liked_job_ids == (liked.pk,)
    assert state.disliked_job_ids == (disliked.pk,)
    assert state.hidden_job_ids == frozenset({hidden.pk})
    assert state.hidden_company_ids == frozenset({company_of.company_id})
    signals = state.signals
    assert signals.job_ratings == {liked.pk: 5, disliked.pk: 1, neutral.pk: 3}
    assert signals.liked_companies == frozenset({liked.company_id})
    assert signals.disliked_companies == frozenset({disliked.company_id})
    # "Python" was both liked and disliked once: the two cancel out.
    assert signals.liked_skills == {"Spark": pytest.approx(SKILL_STEP)}
    assert signals.disliked_skills == {"Sales": pytest.approx(SKILL_STEP)}


@pytest.mark.django_db
def test_no_feedback_reads_as_an_empty_state(user: User) -> None:
    state = feedback_state(user=user)
    assert state.hidden_job_ids == frozenset() == state.hidden_company_ids
    assert state.liked_job_ids == () == state.disliked_job_ids
    assert state.signals.job_ratings == {}
