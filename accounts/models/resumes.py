"""Resumes (private files and their text) and the profiles extracted from them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from pgvector.django import VectorField

from jobs.models.corpus import Seniority


def private_storage() -> Storage:
    # A callable, so the storage is looked up at run time (tests point it elsewhere) and
    # migrations do not record a path.
    return storages["private"]


def resume_upload_to(instance: Resume, filename: str) -> str:
    # The person's file name is never used on disk: it is kept in ``original_name`` only.
    # Everything a user owns sits under users/<id>/, removed with the account.
    return f"users/{instance.user_id}/resumes/{uuid.uuid4().hex}"


class Resume(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        PARSING = "parsing", "Reading"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be read"

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        TEXT = "text", "Text or Markdown"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resumes"
    )
    name = models.CharField(max_length=200)
    file = models.FileField(storage=private_storage, upload_to=resume_upload_to, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What the reader is doing now, shown while the page polls ("Reading the PDF", ...).
    stage = models.CharField(max_length=100, blank=True)
    # A message fit to show the person when the file could not be read.
    error = models.TextField(blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    sections = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    parsed_at = models.DateTimeField(null=True, blank=True)
    # The previous and the latest visit of the recommendations page: jobs recommended
    # since the previous visit are marked new.
    previous_visit_at = models.DateTimeField(null=True, blank=True)
    last_visit_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="one_active_resume_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"


class Profile(models.Model):
    """What jobrec read from a resume, corrected by its owner, plus their preferences.

    ``extracted_*`` fields keep what the parser found; the plain fields are what the person
    confirmed or edited and what ranking uses. ``version`` grows with every change, so
    cached recommendations of an older profile are never served.
    """

    resume = models.OneToOneField(Resume, on_delete=models.CASCADE, related_name="profile")
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    extracted_skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    titles = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    desired_titles = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    years_experience = models.FloatField(null=True, blank=True)
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    extracted_seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    education = models.JSONField(default=list, blank=True)
    # Preferences: filters and weights of the ranking.
    remote_only = models.BooleanField(default=False)
    locations = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    excluded_companies = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    # The profile's vector in ``space`` (recomputed when the space or the profile changes).
    space = models.ForeignKey(
        "jobs.EmbeddingSpace", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vector = VectorField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of resume {self.resume_id}"
