"""What people tell jobrec about jobs: ratings, saved jobs, hidden jobs and companies."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Engine(models.TextChoices):
    SEMANTIC = "semantic", "Semantic"
    LLM = "llm", "LLM"


class Rating(models.Model):
    """A person's 1-5 rating of a recommended job. One per person and job (a new rating
    replaces the old); it records the engine, rank and score the job was shown with, so
    engines can be compared afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="ratings")
    resume = models.ForeignKey(
        "accounts.Resume", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True, max_length=2000)
    engine = models.CharField(max_length=10, choices=Engine.choices)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "job"], name="rating_user_job"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["engine", "value"], name="rating_engine_value")]

    def __str__(self) -> str:
        return f"{self.value}/5 for job {self.job_id} ({self.engine})"


class SavedJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="savedjob_user_job")]

    def __str__(self) -> str:
        return f"job {self.job_id} saved by {self.user_id}"


class HiddenJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_jobs"
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="hiddenjob_user_job")]

    def __str__(self) -> str:
        return f"job {self.job_id} hidden by {self.user_id}"


class HiddenCompany(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hidden_companies"
    )
    company = models.ForeignKey("jobs.Company", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "hidden companies"
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="hiddencompany_user_company")
        ]

    def __str__(self) -> str:
        return f"company {self.company_id} hidden by {self.user_id}"
