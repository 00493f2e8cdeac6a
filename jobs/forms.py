from __future__ import annotations

from typing import Any

from django import forms

from jobs.models import Job, Seniority
from jobs.selectors import JobFilters


class JobSearchForm(forms.Form):
    """The search page's filters; the URL's query string is the whole state."""

    q = forms.CharField(
        required=False,
        label="Search",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "Title, company, skill, keyword"}),
    )
    seniority = forms.MultipleChoiceField(
        required=False, choices=Seniority.choices, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.CharField(
        required=False, max_length=300, help_text="Comma-separated, e.g. Python, Django"
    )
    skills_mode = forms.ChoiceField(
        required=False, choices=[("any", "any of them"), ("all", "all of them")], initial="any"
    )
    tags = forms.CharField(required=False, max_length=300, help_text="Comma-separated")
    company = forms.CharField(required=False, max_length=255)
    remote_policy = forms.MultipleChoiceField(
        required=False,
        choices=Job.RemotePolicy.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Work arrangement",
    )
    location = forms.CharField(required=False, max_length=100)
    salary_min = forms.IntegerField(
        required=False, min_value=0, max_value=10_000_000, label="Minimum salary"
    )
    posted_within_days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Posted within",
        choices=[("", "any time"), (1, "1 day"), (7, "7 days"), (30, "30 days"), (90, "90 days")],
    )
    source = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(
        required=False,
        choices=[("", "best match"), ("newest", "newest"), ("salary", "highest salary")],
    )

    def filters(self) -> JobFilters:
        data: dict[str, Any] = self.cleaned_data
        return JobFilters(
            q=data.get("q") or "",
            seniority=tuple(data.get("seniority") or ()),
            skills=tuple(s.strip() for s in (data.get("skills") or "").split(",") if s.strip()),
            skills_mode=data.get("skills_mode") or "any",
            tags=tuple(t.strip() for t in (data.get("tags") or "").split(",") if t.strip()),
            company=data.get("company") or "",
            remote_policy=tuple(data.get("remote_policy") or ()),
            location=data.get("location") or "",
            salary_min=data.get("salary_min"),
            posted_within_days=data.get("posted_within_days"),
            source=data.get("source") or "",
            sort=data.get("sort") or None,
        )
