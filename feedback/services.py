"""Writes of feedback: ratings, saved jobs, hidden jobs and companies.

Every write bumps the person's ``feedback_version``, so a recommendation list computed
before it is stale and the next one reflects it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from accounts.models import User
from feedback.models import Engine, HiddenCompany, HiddenJob, Rating, SavedJob
from jobs.models import Job
from jobs.selectors import job_get

MAX_COMMENT_CHARS = 2000


class FeedbackInvalid(ValueError):
    pass


def _visible_job(job_id: int) -> Job:
    """The job being rated, saved or hidden; a hidden or unknown one is not found (a
    repost's id gives its original: feedback goes to the posting people see)."""
    return job_get(job_id=job_id)


def _bump(user: User) -> None:
    User.objects.filter(pk=user.pk).update(feedback_version=F("feedback_version") + 1)


def rating_submit(
    *,
    user: User,
    job_id: int,
    value: int,
    engine: str,
    comment: str = "",
) -> Rating:
    """Rate a job 1-5 (a second rating replaces the first).

    The rank and score stored with it are the ones jobrec showed for this engine, read
    from the person's current list, never taken from the client.
    """
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise FeedbackInvalid("A rating is a whole number from 1 to 5.")
    if engine not in Engine.values:
        raise FeedbackInvalid(f"engine must be one of {', '.join(Engine.values)}")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackInvalid(f"A comment has at most {MAX_COMMENT_CHARS} characters.")
    job = _visible_job(job_id)
    from recommendations.selectors import recommendation_shown

    shown = recommendation_shown(user=user, job_id=job.pk, engine=engine)
    with transaction.atomic():
        rating, _ = Rating.objects.update_or_create(
            user=user,
            job=job,
            defaults={
                "value": value,
                "comment": comment,
                "engine": engine,
                "rank": shown.rank if shown else None,
                "score": shown.score if shown else None,
                "resume_id": shown.resume_id if shown else None,
            },
        )
        _bump(user)
    return rating


def job_save(*, user: User, job_id: int) -> SavedJob:
    job = _visible_job(job_id)
    with transaction.atomic():
        saved, _ = SavedJob.objects.get_or_create(user=user, job=job)
        _bump(user)
    return saved


def job_unsave(*, user: User, job_id: int) -> None:
    with transaction.atomic():
        SavedJob.objects.filter(user=user, job_id=job_id).delete()
        _bump(user)


def job_hide(*, user: User, job_id: int) -> HiddenJob:
    """Hide a job from this person's recommendations for good (until unhidden)."""
    job = _visible_job(job_id)
    with transaction.atomic():
        hidden, _ = HiddenJob.objects.get_or_create(user=user, job=job)
        SavedJob.objects.filter(user=user, job=job).delete()
        _bump(user)
    return hidden


def job_unhide(*, user: User, job_id: int) -> None:
    with transaction.atomic():
        HiddenJob.objects.filter(user=user, job_id=job_id).delete()
        _bump(user)


def company_hide(*, user: User, job_id: int) -> HiddenCompany:
    """Hide every job of the company that posted ``job_id``."""
    job = _visible_job(job_id)
    with transaction.atomic():
        hidden, _ = HiddenCompany.objects.get_or_create(user=user, company_id=job.company_id)
        _bump(user)
    return hidden


def company_unhide(*, user: User, company_id: int) -> None:
    with transaction.atomic():
        HiddenCompany.objects.filter(user=user, company_id=company_id).delete()
        _bump(user)
