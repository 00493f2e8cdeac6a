from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from recommendations.models import FitScore, RecommendationSet


@admin.register(RecommendationSet)
class RecommendationSetAdmin(admin.ModelAdmin):
    list_display = ("resume", "engine", "computed_at", "profile_version", "feedback_version")
    list_filter = ("engine",)
    readonly_fields = (
        "resume",
        "engine",
        "computed_at",
        "profile_version",
        "feedback_version",
        "notice",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FitScore)
class FitScoreAdmin(admin.ModelAdmin):
    """LLM judgements paid for, kept so that no pair is paid for twice."""

    list_display = ("model", "score", "input_tokens", "output_tokens", "created_at")
    list_filter = ("provider", "model")
    readonly_fields = (
        "resume_hash",
        "job_hash",
        "provider",
        "model",
        "score",
        "reasons",
        "matched_skills",
        "missing_skills",
        "input_tokens",
        "output_tokens",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
