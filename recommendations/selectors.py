"""Reads for recommendations: the person as the engines see them, skill rarity, lists."""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import DateTimeField, Field
from django.utils import timezone

from accounts.models import Profile, Resume, User
from feedback.selectors import FeedbackState, feedback_state
from jobrec.cache import cached
from jobs.models import EmbeddingSpace, Job, JobEmbedding
from recommendations.engines.semantic import ARRAY_SEPARATOR
from recommendations.models import Recommendation, RecommendationSet
from recommendations.ranking import Person, text_role_families

IDF_TIMEOUT_S = 3600
IDF_LOCAL_S = 60
# Rocchio weights: the profile stays the anchor; liked jobs pull, disliked ones push less
# (a dislike is often about one detail of a job, not its whole direction).
ROCCHIO_ALPHA, ROCCHIO_BETA, ROCCHIO_GAMMA = 1.0, 0.5, 0.25


def skill_idf() -> dict[str, float]:
    """Each skill's rarity over visible jobs: ln((N + 1) / (df + 1)) + 1. Cached for an
    hour: it moves slowly, and counting 100,000 postings' skills takes a while.

    Each process also keeps what it read for up to a minute: every list computed reads it,
    and reading it from Redis (a round trip, thousands of entries unpickled) was a
    millisecond of each. Shared, so read only.
    """
    return _skill_idf_read(int(time.monotonic() // IDF_LOCAL_S))


@functools.lru_cache(maxsize=1)
def _skill_idf_read(_period: int) -> dict[str, float]:
    """The IDF for one period of ``IDF_LOCAL_S`` seconds: a new period misses and reads
    the shared cache again."""

    def compute() -> dict[str, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s, count(*) FROM jobs_job, unnest(skills) s "
                "WHERE status = 'active' AND duplicate_of_id IS NULL GROUP BY s"
            )
            counts = dict(cursor.fetchall())
        total = Job.objects.filter(status=Job.Status.ACTIVE, duplicate_of__isnull=True).count()
        return {s: math.log((total + 1) / (df + 1)) + 1.0 for s, df in counts.items()}

    return cached(
        name="skill_idf", key="recommendations:skill-idf:v1", timeout=IDF_TIMEOUT_S, compute=compute
    )


def _rocchio(
    vector: list[float] | None, state: FeedbackState, space: EmbeddingSpace | None
) -> tuple[float, ...] | None:
    if vector is None:
        return None
    query = ROCCHIO_ALPHA * np.asarray(vector, dtype=np.float64)
    if space is not None and (state.liked_job_ids or state.disliked_job_ids):
        rows = dict(
            JobEmbedding.objects.filter(
                space=space, job_id__in=[*state.liked_job_ids, *state.disliked_job_ids]
            ).values_list("job_id", "vector")
        )
        liked = [rows[j] for j in state.liked_job_ids if j in rows]
        disliked = [rows[j] for j in state.disliked_job_ids if j in rows]
        if liked:
            query = query + ROCCHIO_BETA * np.mean(np.asarray(liked, dtype=np.float64), axis=0)
        if disliked:
            query = query - ROCCHIO_GAMMA * np.mean(np.asarray(disliked, dtype=np.float64), axis=0)
    norm = float(np.linalg.norm(query))
    return tuple(float(v) for v in query / norm) if norm > 1e-9 else None


def person_for_profile(*, profile: Profile, user: User, space: EmbeddingSpace | None) -> Person:
    """The person as the engines see them: the profile, its vector moved by their
    ratings (Rocchio), and what their feedback hides and weighs."""
    state = feedback_state(user=user)
    vector = None
    if space is not None and profile.space_id == space.pk and profile.vector is not None:
        vector = [float(v) for v in profile.vector]
    return Person(
        skills=frozenset(profile.skills),
        titles=tuple(profile.titles),
        desired_titles=tuple(profile.desired_titles),
        seniority=profile.seniority,
        years_experience=profile.years_experience,
        remote_only=profile.remote_only,
        locations=tuple(profile.locations),
        salary_min=profile.salary_min,
        excluded_companies=tuple(profile.excluded_companies),
        vector=_rocchio(vector, state, space),
        feedback=state.signals,
        hidden_job_ids=state.hidden_job_ids,
        hidden_company_ids=state.hidden_company_ids,
        # Only a person without any title has the title part read it, and reading a long
        # resume took up to 3 ms of a list (p95 over the benchmark's people).
        text_families=(
            text_role_families(profile.resume.text)
            if not profile.titles and not profile.desired_titles
            else frozenset()
        ),
    )


def recommendation_set_fresh(
    *, resume: Resume, engine: str, user: User, now: datetime | None = None
) -> RecommendationSet | None:
    """The stored list for ``resume`` and ``engine`` if it may still be served."""
    # The versions are read now, in the same query, not from ``user`` or ``resume``: those
    # objects can outlive the feedback given and the edits made since. Written out: every
    # request for a list asks this, and the ORM took a millisecond to compile the joins
    # (0.6-1.0 ms this way with the round trip, against 1.6-2.1). Names come from the
    # models; values are parameters.
    lists, resumes, users, profiles = (
        connection.ops.quote_name(m._meta.db_table)
        for m in (RecommendationSet, Resume, User, Profile)
    )
    fields = RecommendationSet._meta.concrete_fields
    columns = ", ".join(f"s.{connection.ops.quote_name(str(f.column))}" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, u.feedback_version, p.version "  # noqa: S608
            f"FROM {lists} s JOIN {resumes} r ON r.id = s.resume_id "
            f"JOIN {users} u ON u.id = r.user_id LEFT JOIN {profiles} p ON p.resume_id = r.id "
            "WHERE s.resume_id = %s AND r.user_id = %s AND s.engine = %s",
            [resume.pk, user.pk, engine],
        )
        row = cursor.fetchone()
    if row is None or row[-1] is None:
        return None
    *values, feedback_version, profile_version = row
    rec_set = RecommendationSet.from_db(connection.alias, [f.attname for f in fields], values)
    now = now or timezone.now()
    max_age = timedelta(minutes=settings.RECOMMENDATION_MAX_AGE_MINUTES)
    if (
        rec_set.profile_version != profile_version
        or rec_set.feedback_version != feedback_version
        or now - rec_set.computed_at > max_age
    ):
        return None
    return rec_set


# The columns of a job that a list shows (the API's job item and the page's card): not
# the descriptions (several KB each), nor the bookkeeping, whose timestamps Django parses
# in Python, five a job.
SHOWN_JOB_FIELDS = (
    "source",
    "url",
    "apply_url",
    "company",
    "company_name",
    "position",
    "location",
    "remote_policy",
    "tags",
    "skills",
    "seniority",
    "salary_min",
    "salary_max",
    "salary_currency",
    "posted_at",
)


@dataclass(frozen=True)
class ShownItem:
    job: Job
    rank: int
    score: float
    explanation: dict[str, object]
    is_new: bool


def recommendation_items(
    *, rec_set: RecommendationSet, limit: int, since: datetime | None
) -> list[ShownItem]:
    """The list's jobs that are still visible (staff may have hidden one since)."""
    rows = (
        Recommendation.objects.filter(
            set=rec_set, job__status=Job.Status.ACTIVE, job__duplicate_of__isnull=True
        )
        .select_related("job")
        .only(
            "rank",
            "score",
            "explanation",
            "first_recommended_at",
            *(f"job__{name}" for name in SHOWN_JOB_FIELDS),
        )
        .order_by("rank")[:limit]
    )
    return [_shown(row, job=row.job, since=since) for row in rows]


@dataclass(frozen=True)
class StoredItem:
    """One item of a list as it is stored (``Recommendation``), before it is shown."""

    job_id: int
    rank: int
    score: float
    explanation: dict[str, Any]
    first_recommended_at: datetime


def recommendation_items_computed(
    *, items: Sequence[StoredItem], limit: int, since: datetime | None
) -> list[ShownItem]:
    """The first ``limit`` of a list just computed, with their jobs (as
    :func:`recommendation_items` reads them)."""
    shown = items[:limit]
    jobs = _shown_jobs([i.job_id for i in shown])
    return [_shown(i, job=jobs[i.job_id], since=since) for i in shown if i.job_id in jobs]


def _shown_jobs(job_ids: Sequence[int]) -> dict[int, Job]:
    """The jobs ``job_ids`` with the ``SHOWN_JOB_FIELDS`` only, as ``Job`` rows.

    Written out, and read as the candidates are (``recommendations.engines.semantic``):
    the arrays as delimited strings split in C, the time as epoch seconds. Through the ORM
    this took 1.9 ms for twenty jobs, most of it parsing their 300 array elements in
    Python; this way 1.1 ms (docs/benchmarks.md).
    """
    sql, attnames, arrays, times = _shown_jobs_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(job_ids)])
        rows = cursor.fetchall()
    jobs = {}
    for row in rows:
        values = list(row)
        for n in arrays:
            values[n] = values[n].split(ARRAY_SEPARATOR) if values[n] else []
        for n in times:
            values[n] = None if values[n] is None else datetime.fromtimestamp(values[n], UTC)
        job = Job.from_db(connection.alias, attnames, values)
        jobs[job.pk] = job
    return jobs


@functools.cache
def _shown_jobs_query() -> tuple[str, list[str], list[int], list[int]]:
    """The query of :func:`_shown_jobs`, the attribute each column fills, and which
    columns are arrays and times. Names come from the model; the ids are a parameter."""
    quote = connection.ops.quote_name
    attnames, columns, arrays, times = [], [], [], []
    for n, name in enumerate(("id", *SHOWN_JOB_FIELDS)):
        field = Job._meta.get_field(name)
        assert isinstance(field, Field)
        column = quote(str(field.column))
        if isinstance(field, ArrayField):
            column = f"array_to_string({column}, chr({ord(ARRAY_SEPARATOR)}))"
            arrays.append(n)
        elif isinstance(field, DateTimeField):
            column = f"extract(epoch FROM {column})::float8"
            times.append(n)
        attnames.append(field.attname)
        columns.append(column)
    table = quote(Job._meta.db_table)
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE id = ANY(%s)"  # noqa: S608
    return sql, attnames, arrays, times


def _shown(item: Recommendation | StoredItem, *, job: Job, since: datetime | None) -> ShownItem:
    """A stored or just computed item as the page shows it: new when it first entered the
    list after ``since``."""
    return ShownItem(
        job=job,
        rank=item.rank,
        score=item.score,
        explanation=item.explanation,
        is_new=since is not None and item.first_recommended_at > since,
    )


@dataclass(frozen=True)
class Shown:
    resume_id: int
    rank: int
    score: float


def recommendation_shown(*, user: User, job_id: int, engine: str) -> Shown | None:
    """Where ``job_id`` stands in the person's current list for ``engine``, if it does."""
    row = (
        Recommendation.objects.filter(
            set__resume__user=user, set__resume__is_active=True, set__engine=engine, job_id=job_id
        )
        .values_list("set__resume_id", "rank", "score")
        .first()
    )
    return Shown(resume_id=row[0], rank=row[1], score=row[2]) if row else None
