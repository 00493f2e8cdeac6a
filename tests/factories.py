from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from jobs.models import Job
from jobs.services.upsert import job_upsert_many
from jobs.sources.base import JobDraft

_draft_numbers = itertools.count(1)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user with a verified primary email and the password ``PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        # Factory-boy hands the built object as the first argument.
        if create:
            obj.save()
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )


def job_draft(**overrides: Any) -> JobDraft:
    """A valid posting as a source would produce it; override any field."""
    n = next(_draft_numbers)
    values: dict[str, Any] = {
        "source": "remoteok",
        "external_id": f"ext-{n}",
        "url": f"https://remoteok.com/remote-jobs/{n}",
        "apply_url": f"https://remoteok.com/l/{n}",
        "company": f"Company {n}",
        "company_logo": "",
        "position": f"Software Engineer {n}",
        "location": "Worldwide",
        "remote_policy": "remote",
        "tags": ("dev",),
        "salary_min": None,
        "salary_max": None,
        "salary_currency": "",
        "description_html": "<p>We build things.</p>",
        "description_text": "We build things.",
        "posted_at": datetime.now(UTC) - timedelta(days=1),
    }
    values.update(overrides)
    if (values["salary_min"] or values["salary_max"]) and not values["salary_currency"]:
        values["salary_currency"] = "USD"
    return JobDraft(**values)


def make_jobs(*drafts: JobDraft, **enrichment: Any) -> list[Job]:
    """Store drafts through the real upsert service; optionally set enrichment facts."""
    result = job_upsert_many(drafts=list(drafts))
    jobs = list(Job.objects.filter(pk__in=result.created_ids).order_by("pk"))
    if enrichment:
        Job.objects.filter(pk__in=[j.pk for j in jobs]).update(**enrichment)
        for job in jobs:
            job.refresh_from_db()
    return jobs


def make_job(**overrides: Any) -> Job:
    enrichment = {k: overrides.pop(k) for k in ("skills", "seniority") if k in overrides}
    return make_jobs(job_draft(**overrides), **enrichment)[0]
