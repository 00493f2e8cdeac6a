"""Computed recommendation lists and paid-for LLM fit scores."""

from __future__ import annotations

from django.db import models

from feedback.models import Engine


class RecommendationSet(models.Model):
    """The ranked list last computed for one resume and engine.

    It is served while it is fresh: same profile version, same feedback version, and
    younger than ``RECOMMENDATION_MAX_AGE_MINUTES``; otherwise it is recomputed, on request
    or by the periodic refresh after new jobs are enriched. Jobs hidden or expired since are
    filtered out when the list is read.
    """

    resume = models.ForeignKey(
        "accounts.Resume", on_delete=models.CASCADE, related_name="recommendation_sets"
    )
    engine = models.CharField(max_length=10, choices=Engine.choices)
    profile_version = models.PositiveIntegerField()
    feedback_version = models.PositiveIntegerField()
    # Why the list is not what was asked for (an LLM that was unavailable, ...).
    notice = models.TextField(blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resume", "engine"], name="recset_resume_engine")
        ]

    def __str__(self) -> str:
        return f"{self.engine} recommendations for resume {self.resume_id}"


class Recommendation(models.Model):
    """One job in a list, with its score and every part of the score (the explanation)."""

    # No index of its own: the unique (set, job) index starts with it and serves every
    # lookup by list, and each refresh writes fifty rows into every index.
    set = models.ForeignKey(
        RecommendationSet, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    explanation = models.JSONField()
    # When this job first entered this resume's list: "new since your last visit".
    first_recommended_at = models.DateTimeField()

    class Meta:
        ordering = ("rank",)
        # The table also keeps half of each page free (fillfactor 50, migration 0002), so
        # a refresh's updates in place stay heap-only.
        constraints = [
            models.UniqueConstraint(fields=["set", "job"], name="recommendation_set_job")
        ]

    def __str__(self) -> str:
        return f"#{self.rank} job {self.job_id}"


class FitScore(models.Model):
    """An LLM's judgement of one resume content against one job content, by one model.

    Keyed by content hashes, not ids: the same pair is never paid for twice, and a changed
    resume or job gets a new judgement.
    """

    resume_hash = models.CharField(max_length=64)
    job_hash = models.CharField(max_length=64)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    matched_skills = models.JSONField(default=list)
    missing_skills = models.JSONField(default=list)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resume_hash", "job_hash", "model"], name="fitscore_pair_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.model})"
