"""API representations of jobs. Shapes only: queries live in selectors, writes in services."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import get_script_prefix, reverse
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
        return _job_path(job.pk, get_script_prefix())

    @extend_schema_field(CompanySerializer)
    def get_company(self, job: Job) -> dict[str, Any]:
        return {"id": job.company_id, "name": job.company_name}

    def to_representation(self, instance: Job) -> dict[str, Any]:
        """The fields above, built in one expression rather than field by field: lists and
        recommendation pages show twenty of these, and DRF's walk over fifteen fields took
        0.7 ms of a page's 1.0 (docs/benchmarks.md). The fields still say what the shape
        is (and the schema); a test holds the two equal."""
        job = instance
        return {
            "id": job.pk,
            "url": self.get_url(job),
            "position": job.position,
            "company": self.get_company(job),
            "location": job.location,
            "remote_policy": job.remote_policy,
            "tags": list(job.tags),
            "skills": list(job.skills),
            "seniority": job.seniority,
            "salary": {
                "min": job.salary_min,
                "max": job.salary_max,
                "currency": job.salary_currency,
            },
            "posted_at": None if job.posted_at is None else _TIME.to_representation(job.posted_at),
            "source": job.source,
            "source_url": job.url,
            "apply_url": job.apply_url,
        }


@functools.lru_cache(maxsize=8192)
def _job_path(job_id: int, _script_prefix: str) -> str:
    """A job's API path; the same for as long as the process lives, under one script prefix
    (which ``reverse`` reads). Kept: ``reverse`` took 25 us a job, half a millisecond of
    every page of twenty."""
    return reverse("api:job-detail", kwargs={"job_id": job_id})


# Formats as the ``posted_at`` field does (the DATETIME_FORMAT setting, the current zone).
_TIME = serializers.DateTimeField()


class JobDetailSerializer(JobListItemSerializer):
    description_html = serializers.CharField()
    description_text = serializers.CharField()
    first_seen_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    attribution = serializers.SerializerMethodField()

    def to_representation(self, instance: Job) -> dict[str, Any]:
        # One job a response: field by field, as DRF does it.
        return serializers.Serializer.to_representation(self, instance)

    def get_attribution(self, job: Job) -> str:
        return f"Job posting from {job.source} — see the original at {job.url}"
