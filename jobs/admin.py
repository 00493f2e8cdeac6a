"""Staff moderation: jobs (hide, unhide, flag with a reason, re-enrich), scrape runs,
companies, the moderation log, and cache statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from accounts.models import User
from jobrec.cache import cache_stats, cache_stats_reset
from jobs.models import (
    Company,
    EmbeddingSpace,
    Enrichment,
    Job,
    ModerationEvent,
    ProviderUsage,
    ScrapeRun,
)
from jobs.services.embeddings import SpaceError, embedding_space_activate
from jobs.services.moderation import ModerationError, job_moderate


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def _moderate(
    modeladmin: JobAdmin, request: HttpRequest, queryset: QuerySet[Job], action: str
) -> HttpResponse | None:
    """Run a moderation action; hide and flag first ask for a reason on their own page."""
    actor = request.user if isinstance(request.user, User) else None
    needs_reason = action in (ModerationEvent.Action.HIDE, ModerationEvent.Action.FLAG)
    if needs_reason and "apply" not in request.POST:
        return TemplateResponse(
            request,
            "admin/jobs/moderation_reason.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": f"{ModerationEvent.Action(action).label} {queryset.count()} job(s)",
                "jobs": queryset,
                "form": ReasonForm(),
                "action": request.POST.get("action"),
                "opts": modeladmin.model._meta,
            },
        )
    reason = ""
    if needs_reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            modeladmin.message_user(request, "A reason is required.", messages.ERROR)
            return None
        reason = form.cleaned_data["reason"]
    try:
        count = job_moderate(jobs=queryset, action=action, actor=actor, reason=reason)
    except ModerationError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    modeladmin.message_user(request, f"{ModerationEvent.Action(action).label}: {count} job(s).")
    return None


@admin.action(description="Hide selected jobs (asks for a reason)")
def hide_jobs(
    modeladmin: JobAdmin, request: HttpRequest, queryset: QuerySet[Job]
) -> HttpResponse | None:
    return _moderate(modeladmin, request, queryset, ModerationEvent.Action.HIDE)


@admin.action(description="Flag selected jobs (asks for a reason)")
def flag_jobs(
    modeladmin: JobAdmin, request: HttpRequest, queryset: QuerySet[Job]
) -> HttpResponse | None:
    return _moderate(modeladmin, request, queryset, ModerationEvent.Action.FLAG)


@admin.action(description="Unhide selected jobs")
def unhide_jobs(
    modeladmin: JobAdmin, request: HttpRequest, queryset: QuerySet[Job]
) -> HttpResponse | None:
    return _moderate(modeladmin, request, queryset, ModerationEvent.Action.UNHIDE)


@admin.action(description="Re-enrich selected jobs")
def reenrich_jobs(
    modeladmin: JobAdmin, request: HttpRequest, queryset: QuerySet[Job]
) -> HttpResponse | None:
    return _moderate(modeladmin, request, queryset, ModerationEvent.Action.REENRICH)


class ModerationEventInline(admin.TabularInline):
    model = ModerationEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "action", "previous_status", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "position",
        "company_name",
        "status",
        "source",
        "seniority",
        "enrichment_status",
        "posted_at",
        "last_seen_at",
    )
    list_filter = (
        "status",
        "source",
        "seniority",
        "remote_policy",
        "enrichment__status",
        "posted_at",
    )
    search_fields = ("position", "company_name", "external_id", "tags")
    list_select_related = ("company", "enrichment")
    date_hierarchy = "posted_at"
    actions = (hide_jobs, unhide_jobs, flag_jobs, reenrich_jobs)
    inlines = (ModerationEventInline,)
    raw_id_fields = ("company", "duplicate_of")
    # Status changes go through the actions so that every one is recorded with a reason.
    readonly_fields = (
        "source",
        "external_id",
        "status",
        "moderation_reason",
        "content_hash",
        "first_seen_at",
        "last_seen_at",
        "updated_at",
        "duplicate_of",
    )
    change_list_template = "admin/jobs/job/change_list.html"

    @admin.display(description="enrichment", ordering="enrichment__status")
    def enrichment_status(self, job: Job) -> str:
        enrichment = getattr(job, "enrichment", None)
        return enrichment.status if enrichment else "-"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "cache-stats/",
                self.admin_site.admin_view(self.cache_stats_view),
                name="jobs_cache_stats",
            ),
            *super().get_urls(),
        ]

    def cache_stats_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and "reset" in request.POST:
            cache_stats_reset()
            self.message_user(request, "Cache statistics reset.")
        rows = []
        for name, counts in sorted(cache_stats().items()):
            total = counts["hit"] + counts["miss"]
            rows.append(
                (
                    name,
                    counts["hit"],
                    counts["miss"],
                    f"{counts['hit'] / total:.0%}" if total else "-",
                )
            )
        return TemplateResponse(
            request,
            "admin/jobs/cache_stats.html",
            {
                **self.admin_site.each_context(request),
                "title": "Cache statistics",
                "rows": rows,
                "opts": self.model._meta,
            },
        )


@admin.register(ScrapeRun)
class ScrapeRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "source",
        "status",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "short_error",
    )
    list_filter = ("status", "source")
    readonly_fields = [f.name for f in ScrapeRun._meta.fields]

    @admin.display(description="error")
    def short_error(self, run: ScrapeRun) -> str:
        return (run.error[:80] + "…") if len(run.error) > 80 else run.error

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "normalized_name", "created_at")
    search_fields = ("name", "normalized_name")


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "job", "reason")
    list_filter = ("action",)
    raw_id_fields = ("job",)
    readonly_fields = ("job", "actor", "action", "reason", "previous_status", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enrichment)
class EnrichmentAdmin(admin.ModelAdmin):
    list_display = (
        "job",
        "status",
        "provider",
        "model",
        "seniority",
        "attempts",
        "short_error",
        "updated_at",
    )
    list_filter = ("status", "provider", "seniority", "employment_type")
    search_fields = ("job__position", "job__company_name", "error")
    raw_id_fields = ("job",)
    readonly_fields = [f.name for f in Enrichment._meta.fields]

    @admin.display(description="error")
    def short_error(self, enrichment: Enrichment) -> str:
        return (enrichment.error[:80] + "…") if len(enrichment.error) > 80 else enrichment.error

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.action(description="Make the selected space the active one")
def activate_space(
    modeladmin: EmbeddingSpaceAdmin, request: HttpRequest, queryset: QuerySet[EmbeddingSpace]
) -> None:
    if queryset.count() != 1:
        modeladmin.message_user(request, "Select exactly one space.", messages.ERROR)
        return
    try:
        space = embedding_space_activate(space=queryset.get())
    except SpaceError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    modeladmin.message_user(request, f"{space.name} is now the active space.")


@admin.register(EmbeddingSpace)
class EmbeddingSpaceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "status",
        "is_active",
        "dim",
        "vector_count",
        "created_at",
        "completed_at",
    )
    readonly_fields = [f.name for f in EmbeddingSpace._meta.fields]
    actions = (activate_space,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[EmbeddingSpace]:
        return super().get_queryset(request).annotate(n_vectors=Count("vectors"))

    @admin.display(description="vectors", ordering="n_vectors")
    def vector_count(self, space: EmbeddingSpace) -> int:
        return int(getattr(space, "n_vectors", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ProviderUsage)
class ProviderUsageAdmin(admin.ModelAdmin):
    list_display = ("day", "provider", "model", "purpose", "calls", "input_tokens", "output_tokens")
    list_filter = ("provider", "purpose", "day")
    readonly_fields = [f.name for f in ProviderUsage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
