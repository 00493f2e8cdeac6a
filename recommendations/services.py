"""Writes for recommendations: profile vectors, computed lists, the periodic refresh."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson
from django.conf import settings
from django.db import connection, models
from django.db.models import Max, Q
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import Profile, Resume, User
from accounts.resumes.profile import extract_profile
from jobrec.ai.interfaces import ProviderError
from jobrec.ai.registry import ProviderNotConfigured, embedder_for, scorer_build
from jobs.models import EmbeddingSpace, Enrichment, Job
from jobs.services.embeddings import active_space
from jobs.services.enrichment import provider_usage_add
from recommendations.engines.llm import recommend_llm
from recommendations.engines.semantic import recommend_semantic
from recommendations.models import Recommendation, RecommendationSet
from recommendations.ranking import (
    DEFAULT_WEIGHTS,
    Person,
    Scored,
    Weights,
    text_role_families,
)
from recommendations.selectors import (
    ShownItem,
    StoredItem,
    person_for_profile,
    recommendation_items,
    recommendation_items_computed,
    recommendation_set_fresh,
    skill_idf,
)

logger = logging.getLogger(__name__)
# A list keeps its best this many jobs, and a page shows at most as many: the default page
# of 20 and longer ones are all served from one stored list. It kept 100 before, and
# storing them took twice as long as 50 does (docs/benchmarks.md).
LIST_SIZE = 50
MAX_LIMIT = LIST_SIZE
PROFILE_TEXT_CHARS = 1500


class RecommendationUnavailable(Exception):
    """No list can be made for this resume (not read yet, or read without text)."""


def person_embedding_text(
    *,
    titles: Sequence[str],
    desired_titles: Sequence[str],
    skills: Sequence[str],
    sections: dict[str, str],
    text: str,
) -> str:
    """What a person is embedded from: their titles (wanted ones first) and skills.

    The resume's prose is used only when neither was found. Measured on the labeled
    resumes (docs/quality.md), titles and skills alone place a person among the jobs far
    better than with the prose added (P@10 0.435 against 0.375 by similarity alone): a
    resume's sentences are mostly about employers, projects and duties, and pull every
    vector toward the same generic place.
    """
    facts = "\n".join(
        part for part in (", ".join([*desired_titles, *titles]), ", ".join(skills)) if part
    )
    if facts.strip():
        return facts
    prose = sections.get("summary", "") + "\n" + sections.get("experience", "")
    return (prose.strip() or text)[:PROFILE_TEXT_CHARS]


def query_embed(*, text: str) -> tuple[EmbeddingSpace | None, list[float] | None]:
    """``text``'s vector in the active space, or (space, None) when there is no space or
    its provider fails: engine 1 then ranks by skills, titles and level alone."""
    space = active_space()
    if space is None:
        return None, None
    try:
        embedder = embedder_for(
            provider=space.provider, model=space.model, dim=space.dim, model_path=space.model_path
        )
        return space, embedder.embed([text], task="query")[0]
    except (ProviderNotConfigured, ProviderError, ValueError) as exc:
        logger.warning("query not embedded in %s: %s", space.name, exc)
        return space, None


def profile_embed(*, profile: Profile) -> Profile:
    """Put the profile into the active embedding space (none: it keeps no vector, and the
    next edit or list refresh tries again)."""
    resume = profile.resume
    space, vector = query_embed(
        text=person_embedding_text(
            titles=profile.titles,
            desired_titles=profile.desired_titles,
            skills=profile.skills,
            sections=resume.sections or {},
            text=resume.text,
        )
    )
    profile.space = space if vector is not None else None
    profile.vector = vector
    Profile.objects.filter(pk=profile.pk).update(space=profile.space, vector=vector)
    return profile


def llm_unavailable_reason() -> str:
    """Why engine 2 cannot run here ("" when it can)."""
    try:
        scorer_build()
    except ProviderNotConfigured as exc:
        return str(exc)
    return ""


def resume_digest(
    *,
    titles: Sequence[str],
    desired_titles: Sequence[str],
    seniority: str,
    years_experience: float | None,
    skills: Sequence[str],
    text: str,
) -> str:
    """The resume as the LLM sees it: structured facts, then the start of the text."""
    years = "unknown" if years_experience is None else f"{years_experience:g}"
    lines = [
        f"Titles: {', '.join(titles) or 'none stated'}",
        f"Wants: {', '.join(desired_titles) or 'not stated'}",
        f"Seniority: {seniority or 'unknown'}",
        f"Years of experience: {years}",
        f"Skills: {', '.join(skills) or 'none found'}",
        "",
        text[:3000],
    ]
    return "\n".join(lines)


def job_digest(job: Job) -> str:
    enrichment = Enrichment.objects.filter(job=job).values_list("summary", flat=True).first()
    lines = [
        f"Title: {job.position}",
        f"Company: {job.company_name}",
        f"Seniority: {job.seniority or 'unknown'}",
        f"Skills: {', '.join(job.skills) or 'none listed'}",
        f"Location: {job.location or 'not stated'} ({job.remote_policy})",
        f"Summary: {enrichment or ''}",
        "",
        job.description_text[:3000],
    ]
    return "\n".join(lines)


def _scored_explanation(item: Scored, weights: Weights) -> dict[str, Any]:
    return {"engine": "semantic", **item.explanation(weights)}


@dataclass
class Computed:
    items: list[tuple[int, float, dict[str, Any]]]  # job id, score, explanation
    notice: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def _compute(*, resume: Resume, engine: str, now: datetime) -> Computed:
    profile = resume.profile
    space = active_space()
    person = person_for_profile(profile=profile, user=resume.user, space=space)
    digest = resume_digest(
        titles=profile.titles,
        desired_titles=profile.desired_titles,
        seniority=profile.seniority,
        years_experience=profile.years_experience,
        skills=profile.skills,
        text=resume.text,
    )
    return recommendations_rank(person=person, engine=engine, digest=digest, space=space, now=now)


def recommendations_rank(
    *,
    person: Person,
    engine: str,
    digest: str,
    space: EmbeddingSpace | None,
    now: datetime,
    size: int = LIST_SIZE,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Computed:
    """The best ``size`` jobs for ``person`` by ``engine``; engine 2 falls back to engine
    1 with a notice. Stores nothing but LLM scores (a cache of what was paid for)."""
    semantic = recommend_semantic(
        person=person,
        space=space,
        idf=skill_idf(),
        now=now,
        candidates=settings.RECOMMENDATION_CANDIDATES,
        weights=weights,
    )
    notice = ""
    if semantic.ranked and not semantic.used_vectors:
        notice = "Ranked by skills, titles and level only: no job vectors are available yet."
    semantic_items = [
        (s.candidate.job_id, s.score, _scored_explanation(s, weights))
        for s in semantic.ranked[:size]
    ]
    if engine == "semantic":
        return Computed(items=semantic_items, notice=notice)
    try:
        scorer = scorer_build()
    except ProviderNotConfigured:
        return Computed(
            items=semantic_items,
            notice="No AI provider is configured here; showing the semantic ranking.",
        )
    top = semantic.ranked[: settings.LLM_RERANK_TOP_N]
    jobs = {j.pk: j for j in Job.objects.filter(pk__in=[s.candidate.job_id for s in top])}
    result = recommend_llm(
        top=top,
        resume_digest=digest,
        job_digest=lambda job_id: job_digest(jobs[job_id]),
        job_hashes={pk: job.content_hash for pk, job in jobs.items()},
        scorer=scorer,
        concurrency=settings.LLM_SCORE_CONCURRENCY,
        deadline_s=settings.LLM_ENGINE_DEADLINE_S,
    )
    if result.usage.calls:
        provider_usage_add(
            provider=scorer.provider, model=scorer.model, purpose="score", usage=result.usage
        )
    if not result.ranked:
        return Computed(items=semantic_items, notice=result.notice)
    ranks = {s.candidate.job_id: n for n, s in enumerate(semantic.ranked, start=1)}
    items = []
    for ranked in result.ranked:
        explanation = _scored_explanation(ranked.scored, weights)
        explanation.update(
            engine="llm",
            semantic_rank=ranks[ranked.scored.candidate.job_id],
            llm={
                "score": ranked.fit.score,
                "reasons": ranked.fit.reasons,
                "matched_skills": ranked.fit.matched_skills,
                "missing_skills": ranked.fit.missing_skills,
                "model": ranked.fit.model,
            },
        )
        items.append((ranked.scored.candidate.job_id, ranked.fit.score / 100, explanation))
    return Computed(items=items, notice="")


def recommendation_set_refresh(*, resume: Resume, engine: str) -> RecommendationSet:
    """Compute ``resume``'s list for ``engine`` now and store it (replacing the old one).

    A job keeps the time it first entered this resume's list, so "new since your last
    visit" survives recomputation.
    """
    # A fresh read of the person: ``resume.user`` may have been loaded before the feedback
    # this list must reflect (a task's resume, a long-lived object).
    user = User.objects.get(pk=resume.user_id)
    return _recommendation_set_store(resume=resume, engine=engine, user=user).rec_set


@dataclass(frozen=True)
class _Stored:
    rec_set: RecommendationSet
    items: list[StoredItem]


def _recommendation_set_store(*, resume: Resume, engine: str, user: User) -> _Stored:
    """:func:`recommendation_set_refresh`, also returning the items as stored, so the page
    that asked for the list shows them without reading them back.

    ``user`` owns ``resume`` and was read before the list is computed: the list is stored
    with that ``feedback_version``, so feedback given meanwhile makes it stale, never lost.
    """
    # Not "ready" alone: the parse task stores the first list just before it marks the
    # resume ready (``accounts.services.resumes.resume_parse``).
    if resume.status == Resume.Status.FAILED or not hasattr(resume, "profile"):
        raise RecommendationUnavailable("This resume has not been read yet.")
    now = timezone.now()
    resume.user = user
    computed = _compute(resume=resume, engine=engine, now=now)
    rec_set = RecommendationSet(
        resume=resume,
        engine=engine,
        profile_version=resume.profile.version,
        feedback_version=user.feedback_version,
        computed_at=now,
        notice=computed.notice,
    )
    first_seen = _recommendations_replace(rec_set=rec_set, items=computed.items, now=now)
    items = [
        StoredItem(
            job_id=job_id,
            rank=rank,
            score=score,
            explanation=explanation,
            first_recommended_at=first_seen[job_id],
        )
        for rank, (job_id, score, explanation) in enumerate(computed.items, start=1)
    ]
    return _Stored(rec_set=rec_set, items=items)


def _columns(model: type[models.Model], *names: str) -> list[str]:
    """The quoted columns of ``model``'s fields, for the SQL written by hand here."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        assert field.column
        columns.append(connection.ops.quote_name(field.column))
    return columns


def _recommendations_replace(
    *,
    rec_set: RecommendationSet,
    items: Sequence[tuple[int, float, dict[str, Any]]],
    now: datetime,
) -> dict[int, datetime]:
    """Store ``rec_set`` (created, or updated in place) with ``items`` (job id, score,
    explanation; best first) as its items; sets ``rec_set.pk`` and returns when each job
    first entered the list (``now`` for the new ones).

    One message to the server, of two statements (and the commit setting). The first
    creates or updates the list's row and so locks it until commit: two refreshes of the
    same list take turns. The second, with a snapshot taken after that lock, writes the
    items: jobs that stay are updated in place (keeping when they were first
    recommended), jobs that left are deleted, new ones inserted; the delete and the
    upsert touch different rows. The items travel as one JSON document, encoded by
    orjson (2 us an explanation, where the standard library took 18). This was seven
    round trips (BEGIN, the setting, the list's row, delete, COPY's two, COMMIT) and 100
    timestamps parsed in Python.

    PostgreSQL runs a message of several statements as one transaction (so this needs
    Django's default client-side binding). On its own, that transaction's commit does
    not wait for the WAL flush: a list is derived data, and were the commit lost in a
    server crash, the old list's versions would no longer match and it would be computed
    again. Inside a caller's transaction, the caller's rules hold.
    """
    rows = [
        {"job": job_id, "rank": rank, "score": score, "explanation": explanation}
        for rank, (job_id, score, explanation) in enumerate(items, start=1)
    ]
    lists = connection.ops.quote_name(RecommendationSet._meta.db_table)
    resume_col, engine_col, profile_col, feedback_col, notice_col, computed_col = _columns(
        RecommendationSet,
        "resume",
        "engine",
        "profile_version",
        "feedback_version",
        "notice",
        "computed_at",
    )
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    set_col, job_col, rank_col, score_col, explanation_col, first_col = _columns(
        Recommendation, "set", "job", "rank", "score", "explanation", "first_recommended_at"
    )
    statements = (
        []
        if connection.in_atomic_block
        else ["SELECT set_config('synchronous_commit', 'off', true)"]
    )
    # Only quoted names are formatted in; every value is a parameter.
    statements.append(
        f"INSERT INTO {lists} ({resume_col}, {engine_col}, {profile_col}, "  # noqa: S608
        f"{feedback_col}, {notice_col}, {computed_col}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({resume_col}, {engine_col}) DO UPDATE SET "
        + ", ".join(
            f"{c} = EXCLUDED.{c}" for c in (profile_col, feedback_col, notice_col, computed_col)
        )
        + " RETURNING id"
    )
    statements.append(
        f"WITH list AS (SELECT id FROM {lists} WHERE {resume_col} = %s AND {engine_col} = %s), "  # noqa: S608
        "items AS (SELECT * FROM jsonb_to_recordset(%s::jsonb) "
        "AS i(job integer, rank integer, score float8, explanation jsonb)), "
        f"gone AS (DELETE FROM {table} WHERE {set_col} = (SELECT id FROM list) "
        f"AND {job_col} NOT IN (SELECT job FROM items)) "
        f"INSERT INTO {table} ({set_col}, {job_col}, {rank_col}, {score_col}, "
        f"{explanation_col}, {first_col}) "
        "SELECT list.id, job, rank, score, explanation, %s FROM items, list "
        f"ON CONFLICT ({set_col}, {job_col}) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in (rank_col, score_col, explanation_col))
        # Epoch seconds: a float is read many times faster than a timestamp.
        + f" RETURNING {job_col}, extract(epoch FROM {first_col})::float8"
    )
    params: list[Any] = [
        rec_set.resume_id,
        rec_set.engine,
        rec_set.profile_version,
        rec_set.feedback_version,
        rec_set.notice,
        rec_set.computed_at,
        rec_set.resume_id,
        rec_set.engine,
        Jsonb(rows, dumps=orjson.dumps),
        now,
    ]
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), params)
        if len(statements) == 3:
            cursor.nextset()
        row = cursor.fetchone()
        assert row is not None
        rec_set.pk = row[0]
        # Now a stored row, as a query would have returned it.
        rec_set._state.adding, rec_set._state.db = False, connection.alias
        cursor.nextset()
        return {job_id: datetime.fromtimestamp(at, UTC) for job_id, at in cursor.fetchall()}


@dataclass(frozen=True)
class RecommendationPage:
    resume: Resume
    engine: str
    items: list[ShownItem]
    notice: str
    computed_at: datetime
    new_count: int


def recommendation_page(
    *, user: User, resume: Resume, engine: str, limit: int, since: datetime | None = None
) -> RecommendationPage:
    """The person's list for ``resume`` and ``engine``: the stored one while fresh, else
    computed now. ``since`` marks jobs first recommended after it as new."""
    limit = max(1, min(limit, MAX_LIMIT))
    rec_set = recommendation_set_fresh(resume=resume, engine=engine, user=user)
    if rec_set is None:
        # ``user`` was read for this request, before the list is computed.
        stored = _recommendation_set_store(resume=resume, engine=engine, user=user)
        rec_set = stored.rec_set
        # Just computed from visible jobs: shown as computed, not read back.
        items = recommendation_items_computed(items=stored.items, limit=limit, since=since)
    else:
        items = recommendation_items(rec_set=rec_set, limit=limit, since=since)
    return RecommendationPage(
        resume=resume,
        engine=engine,
        items=items,
        notice=rec_set.notice,
        computed_at=rec_set.computed_at,
        new_count=sum(1 for i in items if i.is_new),
    )


def recommendations_refresh_stale(*, visited_within: timedelta = timedelta(days=30)) -> int:
    """Recompute the semantic lists that new or changed jobs have made stale, for people
    who used jobrec recently. Returns how many lists were recomputed."""
    latest = Enrichment.objects.filter(status=Enrichment.Status.DONE).aggregate(
        at=Max("updated_at")
    )["at"]
    if latest is None:
        return 0
    cutoff = timezone.now() - visited_within
    stale = (
        Resume.objects.filter(
            Q(user__last_login__gte=cutoff) | Q(last_visit_at__gte=cutoff),
            is_active=True,
            status=Resume.Status.READY,
            recommendation_sets__engine="semantic",
            recommendation_sets__computed_at__lt=latest,
        )
        .select_related("profile")
        .distinct()
    )
    refreshed = 0
    for resume in stale:
        try:
            recommendation_set_refresh(resume=resume, engine="semantic")
            refreshed += 1
        except RecommendationUnavailable:
            continue
    return refreshed


@dataclass(frozen=True)
class AdHocPerson:
    person: Person
    digest: str
    space: EmbeddingSpace | None
    titles: tuple[str, ...]
    skills: tuple[str, ...]
    seniority: str
    years_experience: float | None


def person_from_text(*, text: str, today: date) -> AdHocPerson:
    """A person read from resume text without storing anything (the ``recommend`` command
    and the quality harness): the same profile extraction and embedding as an upload."""
    found = extract_profile(text, today=today)
    space, vector = query_embed(
        text=person_embedding_text(
            titles=found.titles,
            desired_titles=(),
            skills=found.skills,
            sections=dict(found.sections),
            text=text,
        )
    )
    person = Person(
        skills=frozenset(found.skills),
        titles=tuple(found.titles),
        seniority=found.seniority or "",
        years_experience=found.years_experience,
        vector=tuple(vector) if vector is not None else None,
        text_families=text_role_families(text),
    )
    digest = resume_digest(
        titles=found.titles,
        desired_titles=(),
        seniority=found.seniority or "",
        years_experience=found.years_experience,
        skills=found.skills,
        text=text,
    )
    return AdHocPerson(
        person=person,
        digest=digest,
        space=space if vector is not None else None,
        titles=tuple(found.titles),
        skills=tuple(found.skills),
        seniority=found.seniority or "",
        years_experience=found.years_experience,
    )
