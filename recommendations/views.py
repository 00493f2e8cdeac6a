from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Resume, User
from accounts.selectors import resume_active
from accounts.services.resumes import resume_visit_record
from feedback.selectors import job_marks
from recommendations.services import (
    RecommendationPage,
    llm_unavailable_reason,
    recommendation_page,
)

PAGE_LIMIT = 20
ENGINES = ("semantic", "llm")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _not_ready(request: HttpRequest, resume: Resume | None) -> HttpResponse:
    return render(request, "recommendations/not_ready.html", {"resume": resume})


@login_required
@require_GET
def recommendation_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    resume = resume_active(user=user)
    if resume is None or resume.status != Resume.Status.READY:
        return _not_ready(request, resume)
    engine = request.GET.get("engine", "semantic")
    if engine not in ENGINES:
        engine = "semantic"
    since = resume.last_visit_at
    resume = resume_visit_record(resume=resume)
    page = recommendation_page(
        user=user, resume=resume, engine=engine, limit=PAGE_LIMIT, since=resume.previous_visit_at
    )
    marks = job_marks(user=user, job_ids=[i.job.pk for i in page.items])
    # Each card shows what the person already did with that job (their rating, saved).
    rows = [(item, marks[item.job.pk]) for item in page.items]
    return render(
        request,
        "recommendations/list.html",
        {
            "page": page,
            "engine": engine,
            "rows": rows,
            "llm_reason": llm_unavailable_reason(),
            "first_visit": since is None,
        },
    )


@login_required
@require_GET
def recommendation_compare_view(request: HttpRequest) -> HttpResponse:
    """Both engines' lists side by side; a job placed very differently is marked."""
    user = _user(request)
    resume = resume_active(user=user)
    if resume is None or resume.status != Resume.Status.READY:
        return _not_ready(request, resume)
    semantic = recommendation_page(user=user, resume=resume, engine="semantic", limit=PAGE_LIMIT)
    llm = recommendation_page(user=user, resume=resume, engine="llm", limit=PAGE_LIMIT)
    rows = compare_rows(semantic, llm)
    return render(
        request,
        "recommendations/compare.html",
        {"semantic": semantic, "llm": llm, "rows": rows, "llm_reason": llm_unavailable_reason()},
    )


def compare_rows(left: RecommendationPage, right: RecommendationPage) -> list[dict[str, Any]]:
    """Row n holds each engine's n-th job, each with the other engine's rank for it (None
    when the other engine did not list it); ``disagree`` when they are 5+ places apart."""
    left_rank = {i.job.pk: n for n, i in enumerate(left.items, start=1)}
    right_rank = {i.job.pk: n for n, i in enumerate(right.items, start=1)}
    rows = []
    for n in range(max(len(left.items), len(right.items))):
        a = left.items[n] if n < len(left.items) else None
        b = right.items[n] if n < len(right.items) else None
        a_other = right_rank.get(a.job.pk) if a else None
        b_other = left_rank.get(b.job.pk) if b else None
        rows.append(
            {
                "rank": n + 1,
                "left": a,
                "left_other": a_other,
                "left_disagree": a is not None and (a_other is None or abs(a_other - (n + 1)) >= 5),
                "right": b,
                "right_other": b_other,
                "right_disagree": b is not None
                and (b_other is None or abs(b_other - (n + 1)) >= 5),
            }
        )
    return rows
