"""API representations of jobs. Shapes only: queries live in selectors, writes in services."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobs.models import Job, Seniority


class JobFilterSerializer(serializers.Serializer):
    """Query parameters of ``GET /api/jobs/`` (lists accept repeats or commas)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    seniority = serializers.ListField(
        child=serializers.ChoiceField(choices=Seniority.choices), required=False
    )
    skills = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    skills_mode = serializers.ChoiceField(choices=["any", "all"], required=False, default="any")
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    company = serializers.CharField(required=False, allow_blank=True, max_length=255)
    remote_policy = serializers.ListField(
        child=serializers.ChoiceField(choices=Job.RemotePolicy.choices), required=False
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=100)
    salary_min = serializers.IntegerField(required=False, min_value=0, max_value=10_000_000)
    posted_within_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    # A declared field named "source" shadows Field.source only for type checkers.
    source = serializers.CharField(required=False, allow_blank=True, max_length=50)  # type: ignore[assignment]
    sort = serializers.ChoiceField(choices=["relevance", "newest", "salary"], required=False)

    LIST_FIELDS = ("seniority", "skills", "tags", "remote_policy")

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "getlist"):
            flat: dict[str, Any] = {}
            for key in data:
                values = data.getlist(key)
                if key in self.LIST_FIELDS:
                    flat[key] = [
                        v.strip() for value in values for v in value.split(",") if v.strip()
                    ]
                else:
                    flat[key] = values[-1]
            data = flat
        return super().to_internal_value(data)


class CompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SalarySerializer(serializers.Serializer):
    min = serializers.IntegerField(allow_null=True, source="salary_min")
    max = serializers.IntegerField(allow_null=True, source="salary_max")
    currency = serializers.CharField(source="salary_currency")


class JobListItemSerializer(serializers.Serializer):
    """Built from the job row alone (company id and name are on it): no join per page."""

    id = serializers.IntegerField()
    # A path, not an absolute URL: the cached representation is the same for every host.
    url = serializers.SerializerMethodField()
    position = serializers.CharField()
    company = serializers.SerializerMethodField()
    location = serializers.CharField()
    remote_policy = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    skills = serializers.ListField(child=serializers.CharField())
    seniority = serializers.CharField()
    salary = SalarySerializer(source="*")
    posted_at = serializers.DateTimeField()
    source = serializers.CharField()  # type: ignore[assignment]
    source_url = serializers.URLField(source="url")
    apply_url = serializers.URLField()

    def get_url(self, job: Job) -> str:
        return reverse("api:job-detail", kwargs={"job_id": job.pk})

    @extend_schema_field(CompanySerializer)
    def get_company(self, job: Job) -> dict[str, Any]:
        return {"id": job.company_id, "name": job.company_name}


class JobDetailSerializer(JobListItemSerializer):
    description_html = serializers.CharField()
    description_text = serializers.CharField()
    first_seen_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    attribution = serializers.SerializerMethodField()

    def get_attribution(self, job: Job) -> str:
        return f"Job posting from {job.source} — see the original at {job.url}"
