"""Feedback from the web UI: plain forms that post and come back (works without JS)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from feedback.models import Engine
from feedback.selectors import saved_job_list
from feedback.services import (
    FeedbackInvalid,
    company_hide,
    job_hide,
    job_save,
    job_unsave,
    rating_submit,
)
from jobs.models import Job


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/recommendations/"
    return redirect(target)


@login_required
@require_POST
def feedback_view(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    user = _user(request)
    try:
        if action == "rate":
            try:
                value = int(request.POST.get("value", ""))
            except ValueError:
                raise FeedbackInvalid("Choose a rating from 1 to 5.") from None
            engine = request.POST.get("engine", Engine.SEMANTIC)
            rating_submit(
                user=user,
                job_id=job_id,
                value=value,
                engine=engine,
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, "Thanks: your rating now shapes your recommendations.")
        elif action == "save":
            job_save(user=user, job_id=job_id)
            messages.success(request, "Saved.")
        elif action == "unsave":
            job_unsave(user=user, job_id=job_id)
        elif action == "hide":
            job_hide(user=user, job_id=job_id)
            messages.success(request, "Hidden: you will not see this job again.")
        elif action == "hide-company":
            company_hide(user=user, job_id=job_id)
            messages.success(request, "You will not see this company's jobs again.")
        else:
            raise Http404("Unknown action")
    except Job.DoesNotExist:
        raise Http404("No such job") from None
    except FeedbackInvalid as exc:
        messages.error(request, str(exc))
    return _back(request)


@login_required
@require_GET
def saved_jobs_view(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/saved.html", {"saved": saved_job_list(user=_user(request))})
