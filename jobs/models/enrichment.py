"""Enrichment results, embedding spaces and vectors, and LLM usage."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from pgvector.django import VectorField

from jobs.models.corpus import Job, Seniority


class Enrichment(models.Model):
    """What enrichment learned about one job, from which provider, for which content.

    ``input_hash`` is the job's content hash when it was enriched: enrichment is redone only
    when the job's content changes (or staff ask for it), so an LLM is paid once per content.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"
        CONTRACT = "contract", "Contract"
        INTERNSHIP = "internship", "Internship"
        TEMPORARY = "temporary", "Temporary"
        UNKNOWN = "unknown", "Unknown"

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="enrichment")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(max_length=20, blank=True)
    model = models.CharField(max_length=100, blank=True)
    input_hash = models.CharField(max_length=64, blank=True)
    skills = models.JSONField(default=list, blank=True)
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    employment_type = models.CharField(
        max_length=10, choices=EmploymentType.choices, default=EmploymentType.UNKNOWN
    )
    remote_policy = models.CharField(max_length=10, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    summary = models.TextField(blank=True)
    # Why the configured provider was not used (fell back to local), or why it failed.
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    llm_calls = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="enrichment_status_next"),
            models.Index(fields=["provider"], name="enrichment_provider"),
        ]

    def __str__(self) -> str:
        return f"enrichment of job {self.job_id} ({self.status})"


class EmbeddingSpace(models.Model):
    """One vector space: provider, model, dimension, version. Vectors of different spaces
    are never compared; each space has its own HNSW index (created with the space)."""

    class Status(models.TextChoices):
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    dim = models.PositiveIntegerField()
    version = models.CharField(max_length=20, default="1")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    is_active = models.BooleanField(default=False)
    # Local fastText spaces: the model file the vectors came from.
    model_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_space"
            ),
            models.CheckConstraint(
                condition=Q(dim__gte=1, dim__lte=2000), name="space_dim_indexable"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def index_name(self) -> str:
        return f"jobembedding_hnsw_space_{self.pk}"


class JobEmbedding(models.Model):
    """A job's vector in one space. The column has no fixed dimension so that spaces of
    any size share it; each space's partial HNSW index casts to its dimension."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="embeddings")
    space = models.ForeignKey(EmbeddingSpace, on_delete=models.CASCADE, related_name="vectors")
    vector = VectorField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "job"], name="jobembedding_space_job"),
        ]

    def __str__(self) -> str:
        return f"job {self.job_id} in {self.space_id}"


class ProviderUsage(models.Model):
    """LLM calls and tokens per day, provider, model and purpose (for the admin's totals)."""

    day = models.DateField()
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    purpose = models.CharField(max_length=20)  # extract, embed, score
    calls = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider", "model", "purpose"], name="providerusage_key"
            )
        ]
        ordering = ("-day",)

    def __str__(self) -> str:
        return f"{self.day} {self.provider}/{self.model} {self.purpose}: {self.calls} calls"
