from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from feedback.models import HiddenCompany, HiddenJob, Rating, SavedJob


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Ratings with the engine, rank and score they were given; the list's header sums
    them up per engine, so staff can compare the engines."""

    list_display = ("job", "user", "value", "engine", "rank", "score", "updated_at")
    list_filter = ("engine", "value")
    search_fields = ("user__email", "job__position", "job__company_name", "comment")
    readonly_fields = ("user", "job", "resume", "value", "comment", "engine", "rank", "score")
    list_select_related = ("job", "user")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            changelist = response.context_data.get("cl")
            queryset = changelist.queryset if changelist is not None else Rating.objects.all()
            response.context_data["engine_summary"] = list(
                queryset.order_by()
                .values("engine")
                .annotate(
                    ratings=Count("id"),
                    average=Avg("value"),
                    liked=Count("id", filter=Q(value__gte=4)),
                    disliked=Count("id", filter=Q(value__lte=2)),
                    average_rank=Avg("rank"),
                )
                .order_by("engine")
            )
        return response

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SavedJob)
class SavedJobAdmin(admin.ModelAdmin):
    list_display = ("job", "user", "created_at")
    search_fields = ("user__email",)
    raw_id_fields = ("job", "user")


@admin.register(HiddenJob)
class HiddenJobAdmin(admin.ModelAdmin):
    list_display = ("job", "user", "created_at")
    search_fields = ("user__email",)
    raw_id_fields = ("job", "user")


@admin.register(HiddenCompany)
class HiddenCompanyAdmin(admin.ModelAdmin):
    list_display = ("company", "user", "created_at")
    search_fields = ("user__email", "company__name")
    raw_id_fields = ("company", "user")
