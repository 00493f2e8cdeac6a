"""Resumes: private upload, parsing into a profile, edits, activation, deletion.

An upload is checked by content at once (type, size) and stored privately; the slow part,
reading the file, runs in ``resume_parse_task`` after the upload commits. The page polls
the resume's status and stage until the profile is ready or a clear error is shown.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Profile, Resume, User
from accounts.resumes.errors import ResumeReadError
from accounts.resumes.isolation import extract_text_isolated
from accounts.resumes.profile import extract_profile
from accounts.resumes.reading import ExtractedText, sniff_kind
from jobrec.ai.skills import skills_canonical
from jobrec.ai.taxonomy import default_matcher
from jobs.models import Seniority
from jobs.normalization import company_normalize

logger = logging.getLogger(__name__)
MAX_NAME_CHARS = 200
MAX_LIST_ITEMS = 100


class ResumeRejected(ValueError):
    """The upload cannot be accepted; the message is fit to show the person."""


class ProfileInvalid(ValueError):
    """A profile edit is not valid; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def resume_create(
    *, user: User, upload: UploadedFile | None = None, text: str = "", name: str = ""
) -> Resume:
    """Store a resume file (or pasted text) privately and queue its parsing.

    Rejected at once, with nothing stored: an empty or oversized file, a type we cannot
    read (decided by content, never by the file name), more resumes than allowed.
    """
    if upload is not None:
        if upload.size is not None and upload.size > settings.RESUME_MAX_BYTES:
            raise ResumeRejected(_too_large_message())
        data = upload.read(settings.RESUME_MAX_BYTES + 1)
        original_name = (upload.name or "")[:255]
    else:
        data = text.encode("utf-8")
        original_name = ""
    if len(data) > settings.RESUME_MAX_BYTES:
        raise ResumeRejected(_too_large_message())
    try:
        kind = sniff_kind(data)
    except ResumeReadError as exc:
        raise ResumeRejected(exc.user_message) from exc
    if Resume.objects.filter(user=user).count() >= settings.RESUMES_PER_USER:
        raise ResumeRejected(
            f"You can keep at most {settings.RESUMES_PER_USER} resumes; delete one first."
        )
    display_name = (name.strip() or original_name or "Pasted resume")[:MAX_NAME_CHARS]
    with transaction.atomic():
        # Lock the person's row so two uploads at once cannot both become the active one.
        User.objects.select_for_update().filter(pk=user.pk).first()
        has_active = Resume.objects.filter(user=user, is_active=True).exists()
        resume = Resume(
            user=user,
            name=display_name,
            original_name=original_name,
            kind=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            is_active=not has_active,
            stage="Waiting for a reader",
        )
        resume.file.save("resume", ContentFile(data), save=False)
        resume.save()
        transaction.on_commit(lambda: _enqueue_parse(resume.pk))
    return resume


def _enqueue_parse(resume_id: int) -> None:
    from accounts.tasks import resume_parse_task

    resume_parse_task.delay(resume_id=resume_id)


def _too_large_message() -> str:
    mb = settings.RESUME_MAX_BYTES / (1024 * 1024)
    return f"The file is larger than {mb:g} MB. Upload a smaller file or paste the text."


def _stage(resume: Resume, stage: str, status: str | None = None) -> None:
    # Written outside any transaction, so the polling page sees each stage as it happens.
    resume.stage = stage
    fields = ["stage", "updated_at"]
    if status:
        resume.status = status
        fields.append("status")
    resume.save(update_fields=fields)


def resume_text_read(*, data: bytes) -> ExtractedText:
    """The text of a resume file, read in a child process within the configured limits.
    Raises ResumeReadError (with a message for the person) for a file that cannot be read."""
    return extract_text_isolated(
        data,
        max_pages=settings.RESUME_MAX_PAGES,
        max_bytes=settings.RESUME_MAX_BYTES,
        timeout_s=settings.RESUME_PARSE_TIMEOUT_S,
        memory_mb=settings.RESUME_PARSE_MEMORY_MB,
    )


@dataclass(frozen=True)
class ParseOutcome:
    resume_id: int
    status: str
    skipped: bool = False


def resume_parse(*, resume_id: int) -> ParseOutcome:
    """Read a stored resume into text and a profile, embed it, and compute its first
    recommendations.

    Idempotent: a resume already read from the same file is left as it is (brokers
    redeliver). A file that cannot be read ends as ``failed`` with a message for the person;
    nothing else (other resumes, the profile of an earlier parse) is touched.
    """
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is None:
        return ParseOutcome(resume_id=resume_id, status="missing", skipped=True)
    if resume.status in (Resume.Status.READY, Resume.Status.FAILED) and resume.parsed_at:
        return ParseOutcome(resume_id=resume_id, status=resume.status, skipped=True)
    _stage(resume, "Reading the file", Resume.Status.PARSING)
    try:
        with resume.file.open("rb") as handle:
            data = handle.read(settings.RESUME_MAX_BYTES + 1)
    except OSError:
        logger.exception("resume %s: stored file unreadable", resume.pk)
        return _fail(resume, "The stored file could not be opened. Upload it again.")
    try:
        # An OSError here (the reader process could not start) is the server's fault, not
        # the file's: it propagates, and the task retries.
        extracted = resume_text_read(data=data)
    except ResumeReadError as exc:
        return _fail(resume, exc.user_message)
    _stage(resume, "Finding your skills and experience")
    found = extract_profile(extracted.text, today=timezone.localdate())
    with transaction.atomic():
        resume.text = extracted.text
        resume.pages = extracted.pages
        resume.sections = dict(found.sections)
        resume.parsed_at = timezone.now()
        resume.error = ""
        resume.save(update_fields=["text", "pages", "sections", "parsed_at", "error"])
        profile, created = Profile.objects.get_or_create(resume=resume)
        profile.extracted_skills = list(found.skills)
        profile.extracted_seniority = found.seniority or ""
        if created:
            profile.skills = list(found.skills)
            profile.titles = list(found.titles)
            profile.years_experience = found.years_experience
            profile.seniority = found.seniority or ""
            profile.education = found.to_dict()["education"]
        profile.save()
    _stage(resume, "Placing you among the jobs")
    from recommendations.services import profile_embed, recommendation_set_refresh

    profile_embed(profile=profile)
    # The first list is stored before the resume is marked ready: the page polling for
    # "ready" then finds it stored, instead of computing a second one at the same time.
    _stage(resume, "Choosing your first jobs")
    try:
        recommendation_set_refresh(resume=resume, engine="semantic")
    except Exception:
        # The profile is ready either way; the list is computed again when first asked for.
        logger.exception("resume %s: first recommendations failed", resume.pk)
    _stage(resume, "Ready", Resume.Status.READY)
    return ParseOutcome(resume_id=resume.pk, status=Resume.Status.READY)


def _fail(resume: Resume, message: str) -> ParseOutcome:
    resume.status = Resume.Status.FAILED
    resume.error = message
    resume.stage = "Stopped"
    resume.parsed_at = timezone.now()
    resume.save(update_fields=["status", "error", "stage", "parsed_at", "updated_at"])
    logger.info("resume %s not read: %s", resume.pk, message)
    return ParseOutcome(resume_id=resume.pk, status=Resume.Status.FAILED)


def resume_parse_fail(*, resume_id: int, message: str) -> None:
    """Mark a resume failed from outside the reader (the task's time limit)."""
    resume = Resume.objects.filter(pk=resume_id).first()
    if resume is not None and resume.status != Resume.Status.READY:
        _fail(resume, message)


STUCK_MESSAGE = (
    "Reading this file took too long and was stopped. Try a smaller file or paste the text."
)


def resumes_fail_stuck(*, older_than: timedelta) -> int:
    """Fail resumes whose reader died without a word (a worker killed by its hard time
    limit or by the system): the page would otherwise poll for ever."""
    cutoff = timezone.now() - older_than
    stuck = Resume.objects.filter(
        status__in=(Resume.Status.PENDING, Resume.Status.PARSING), updated_at__lt=cutoff
    )
    return stuck.update(
        status=Resume.Status.FAILED, error=STUCK_MESSAGE, stage="Stopped", parsed_at=timezone.now()
    )


PROFILE_FIELDS = frozenset(
    {
        "skills",
        "titles",
        "desired_titles",
        "seniority",
        "years_experience",
        "remote_only",
        "locations",
        "salary_min",
        "excluded_companies",
    }
)
# Fields whose change moves the profile's vector.
_VECTOR_FIELDS = frozenset({"skills", "titles", "desired_titles"})


def profile_update(*, profile: Profile, changes: dict[str, Any]) -> Profile:
    """Apply a person's corrections and preferences. Validates everything first and
    changes nothing when one field is wrong."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ProfileInvalid({name: "not a profile field" for name in sorted(unknown)})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        try:
            clean[name] = _clean_field(name, value)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ProfileInvalid(errors)
    for name, value in clean.items():
        setattr(profile, name, value)
    with transaction.atomic():
        profile.save()
        Profile.objects.filter(pk=profile.pk).update(version=F("version") + 1)
    profile.refresh_from_db()
    if _VECTOR_FIELDS & set(clean):
        from recommendations.services import profile_embed

        profile_embed(profile=profile)
    return profile


def _string_list(value: Any, *, max_chars: int) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.replace("\n", ",").split(",")]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    items = [" ".join(v.split()) for v in value if v and v.strip()]
    if len(items) > MAX_LIST_ITEMS:
        raise ValueError(f"at most {MAX_LIST_ITEMS} items")
    if any(len(v) > max_chars for v in items):
        raise ValueError(f"an item is longer than {max_chars} characters")
    return list(dict.fromkeys(items))


def _clean_field(name: str, value: Any) -> Any:
    if name == "skills":
        names = _string_list(value, max_chars=100)
        matcher = default_matcher()
        unknown = [n for n in names if matcher.canonicalize(n) is None]
        if unknown:
            raise ValueError(
                "not in the skills vocabulary: "
                + ", ".join(unknown[:5])
                + (" …" if len(unknown) > 5 else "")
            )
        return skills_canonical(names)
    if name in ("titles", "desired_titles", "locations"):
        return _string_list(value, max_chars=100 if name == "locations" else 200)
    if name == "excluded_companies":
        return [c for c in _string_list(value, max_chars=255) if company_normalize(c)]
    if name == "seniority":
        if value in (None, ""):
            return ""
        if value not in Seniority.values:
            raise ValueError(f"one of {', '.join(Seniority.values)}")
        return value
    if name == "remote_only":
        if not isinstance(value, bool):
            raise ValueError("true or false")
        return value
    if name in ("salary_min", "years_experience"):
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("a number") from None
        limit = 10_000_000 if name == "salary_min" else 60
        if not 0 <= number <= limit:
            raise ValueError(f"between 0 and {limit:,}")
        return int(number) if name == "salary_min" else round(number, 1)
    raise ValueError("not a profile field")  # pragma: no cover - PROFILE_FIELDS guards


def resume_activate(*, resume: Resume) -> Resume:
    """Make ``resume`` the one recommendations are computed for."""
    with transaction.atomic():
        Resume.objects.filter(user_id=resume.user_id, is_active=True).exclude(pk=resume.pk).update(
            is_active=False
        )
        Resume.objects.filter(pk=resume.pk).update(is_active=True)
    resume.is_active = True
    return resume


def resume_rename(*, resume: Resume, name: str) -> Resume:
    cleaned = " ".join(name.split())[:MAX_NAME_CHARS]
    if not cleaned:
        raise ProfileInvalid({"name": "a name is required"})
    resume.name = cleaned
    resume.save(update_fields=["name", "updated_at"])
    return resume


def resume_delete(*, resume: Resume) -> None:
    """Delete a resume, its profile and lists; the file goes once the deletion commits.

    If it was the active one, the newest remaining resume becomes active.
    """
    storage, path = resume.file.storage, resume.file.name
    with transaction.atomic():
        was_active = resume.is_active
        user_id = resume.user_id
        resume.delete()
        if was_active:
            newest = Resume.objects.filter(user_id=user_id).order_by("-created_at").first()
            if newest is not None:
                Resume.objects.filter(pk=newest.pk).update(is_active=True)
        if path:
            transaction.on_commit(lambda: storage.delete(path))


def resume_visit_record(*, resume: Resume, gap_minutes: int = 30) -> Resume:
    """Note a visit of the recommendations page. A visit within ``gap_minutes`` of the
    last one is the same visit, so reloading does not clear what is marked new."""
    now = timezone.now()
    if resume.last_visit_at is None or now - resume.last_visit_at > timedelta(minutes=gap_minutes):
        resume.previous_visit_at = resume.last_visit_at
    resume.last_visit_at = now
    Resume.objects.filter(pk=resume.pk).update(
        previous_visit_at=resume.previous_visit_at, last_visit_at=now
    )
    return resume
