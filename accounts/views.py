from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from accounts.forms import AccountDeleteForm, ProfileForm, ResumeUploadForm
from accounts.models import Resume, User
from accounts.selectors import resume_get, resume_list
from accounts.services import user_delete
from accounts.services.resumes import (
    ProfileInvalid,
    ResumeRejected,
    profile_update,
    resume_activate,
    resume_create,
    resume_delete,
)


@login_required
@require_http_methods(["GET"])
def account_overview(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/overview.html")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        user_delete(user=user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


# --- Resumes ---------------------------------------------------------------------------------

_CONTENT_TYPES = {
    Resume.Kind.PDF: "application/pdf",
    Resume.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Resume.Kind.TEXT: "text/plain; charset=utf-8",
}
_EXTENSIONS = {Resume.Kind.PDF: "pdf", Resume.Kind.DOCX: "docx", Resume.Kind.TEXT: "txt"}


def _owner(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _own_resume(request: HttpRequest, resume_id: int) -> Resume:
    try:
        return resume_get(user=_owner(request), resume_id=resume_id)
    except Resume.DoesNotExist:
        raise Http404("No such resume") from None


def resume_file_response(resume: Resume) -> FileResponse:
    """The resume's file as a download: always an attachment (a PDF or text is never
    rendered inline from our origin), with the person's file name."""
    filename = resume.original_name or f"resume-{resume.pk}.{_EXTENSIONS[Resume.Kind(resume.kind)]}"
    response = FileResponse(
        resume.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=_CONTENT_TYPES[Resume.Kind(resume.kind)],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resume_list_view(request: HttpRequest) -> HttpResponse:
    user = _owner(request)
    form = ResumeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resume = resume_create(
                user=user,
                upload=form.cleaned_data.get("file"),
                text=form.cleaned_data.get("text") or "",
                name=form.cleaned_data.get("name") or "",
            )
        except ResumeRejected as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("resume_detail", resume_id=resume.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/resumes.html",
        {"form": form, "resumes": resume_list(user=user)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resume_detail_view(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume = _own_resume(request, resume_id)
    profile = getattr(resume, "profile", None)
    form = None
    if profile is not None:
        form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
        if request.method == "POST" and form.is_valid():
            try:
                profile_update(profile=profile, changes=form.changes())
            except ProfileInvalid as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "Profile saved. Your recommendations are updated.")
                return redirect("resume_detail", resume_id=resume.pk)
    if getattr(request, "htmx", False):
        # The page polls while the file is read; once it is done, reload the whole page
        # to show the profile (or the error).
        if resume.status in (Resume.Status.READY, Resume.Status.FAILED):
            return HttpResponseClientRefresh()
        return render(request, "accounts/_resume_status.html", {"resume": resume})
    return render(
        request,
        "accounts/resume_detail.html",
        {"resume": resume, "profile": profile, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def resume_file_view(request: HttpRequest, resume_id: int) -> FileResponse:
    return resume_file_response(_own_resume(request, resume_id))


@login_required
@require_http_methods(["POST"])
def resume_activate_view(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume_activate(resume=_own_resume(request, resume_id))
    messages.success(request, "Recommendations now follow this resume.")
    return redirect("resume_list")


@login_required
@require_http_methods(["POST"])
def resume_delete_view(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume_delete(resume=_own_resume(request, resume_id))
    messages.success(request, "The resume and its file have been deleted.")
    return redirect("resume_list")
