"""Engine 1: nearest jobs from pgvector, filtered in the same query, then re-ranked.

Candidates come from the HNSW index of the active embedding space (cosine), with the
person's filters (remote only, minimum salary, locations, excluded and hidden companies,
hidden jobs) in the same SQL statement. pgvector 0.8's iterative index scan keeps walking
the graph until enough rows pass the filters, so a strict filter never starves the list
(a plain HNSW scan returns ``ef_search`` rows *before* filtering, often fewer than asked).

Candidates that share the person's skills are added from the skills GIN index, so a job
that the vector misses but the skills name can still be ranked; then
:func:`recommendations.ranking.rank` scores them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from jobs.models import EmbeddingSpace
from recommendations.ranking import (
    DEFAULT_WEIGHTS,
    Candidate,
    Person,
    Scored,
    Weights,
    rank,
)

# HNSW search breadth; with iterative scans this is the first batch, not the ceiling.
EF_SEARCH = 100
# The most tuples an iterative scan visits before giving up (pgvector's default is 20,000):
# a filter that matches almost nothing ends in bounded time with what it found.
MAX_SCAN_TUPLES = 40_000

# Parallel workers are for long scans: starting two took about 20 ms of a 30 ms skill
# candidate query (EXPLAIN ANALYZE in the benchmark), more than they saved.
_NO_PARALLEL = "set_config('max_parallel_workers_per_gather', '0', true)"
_JOB_COLUMNS = """
    j.id, j.position, j.company_id, j.company_name, j.skills, j.seniority, j.salary_min,
    j.salary_max, j.salary_currency, j.location, j.remote_policy
"""
# What candidates are read as. ``posted_at`` travels as epoch seconds: hundreds of rows a
# list, and a float is read several times faster than an ISO timestamp (measured with the
# benchmark's profiles). A subquery that is sorted by it keeps the column itself.
_COLUMNS = _JOB_COLUMNS + ", extract(epoch FROM j.posted_at)::float8"
_INNER_COLUMNS = _JOB_COLUMNS + ", j.posted_at"


@dataclass(frozen=True)
class SemanticResult:
    ranked: list[Scored]
    candidates: int
    used_vectors: bool


def _filters(person: Person, company_ids_excluded: Sequence[int]) -> tuple[str, list[Any]]:
    clauses = ["j.status = 'active'", "j.duplicate_of_id IS NULL"]
    params: list[Any] = []
    if person.remote_only:
        clauses.append("j.remote_policy = 'remote'")
    if person.salary_min is not None:
        # Postings that do not state a salary stay (most do not); they rank lower.
        clauses.append(
            "(coalesce(j.salary_max, j.salary_min) IS NULL OR "
            "coalesce(j.salary_max, j.salary_min) >= %s)"
        )
        params.append(person.salary_min)
    if person.locations:
        patterns = [f"%{_like_escape(loc.strip())}%" for loc in person.locations if loc.strip()]
        patterns += ["%worldwide%", "%anywhere%"]
        clauses.append("(j.location = '' OR j.location ILIKE ANY(%s))")
        params.append(patterns)
    hidden_companies = sorted(set(company_ids_excluded) | person.hidden_company_ids)
    if hidden_companies:
        clauses.append("NOT (j.company_id = ANY(%s))")
        params.append(hidden_companies)
    if person.hidden_job_ids:
        clauses.append("NOT (j.id = ANY(%s))")
        params.append(sorted(person.hidden_job_ids))
    return " AND ".join(clauses), params


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row_to_candidate(row: Sequence[Any], similarity: float) -> Candidate:
    return Candidate(
        job_id=row[0],
        title=row[1],
        company_id=row[2],
        company_name=row[3],
        skills=tuple(row[4] or ()),
        seniority=row[5] or "",
        salary_min=row[6],
        salary_max=row[7],
        salary_currency=row[8] or "",
        location=row[9] or "",
        remote_policy=row[10] or "",
        posted_at=datetime.fromtimestamp(row[11], UTC),
        similarity=similarity,
    )


def excluded_company_ids(person: Person) -> list[int]:
    keys = person.excluded_company_keys
    if not keys:
        return []
    from jobs.models import Company

    return list(Company.objects.filter(normalized_name__in=keys).values_list("pk", flat=True))


def vector_candidates(
    *,
    person: Person,
    space: EmbeddingSpace,
    limit: int,
    exact: bool = False,
    company_ids_excluded: Sequence[int] = (),
) -> list[Candidate]:
    """The ``limit`` jobs nearest to the person's vector that pass their filters.

    ``exact=True`` scans every vector instead of the index: the ground truth the HNSW
    path's recall is measured against.
    """
    if person.vector is None:
        return []
    where, params = _filters(person, company_ids_excluded)
    dim, space_id = int(space.dim), int(space.pk)
    # The cast and the space condition repeat the partial index's definition word for
    # word, which is what lets the planner use it.
    distance = f"(e.vector::vector({dim})) <=> %s::vector({dim})"
    # Only integers and constant fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT {_COLUMNS}, {distance} AS distance FROM jobs_jobembedding e "  # noqa: S608
        f"JOIN jobs_job j ON j.id = e.job_id WHERE e.space_id = {space_id} AND {where} "
        f"ORDER BY {distance} LIMIT %s"
    )
    vector_text = "[" + ",".join(f"{v:.7g}" for v in person.vector) + "]"
    with transaction.atomic(), connection.cursor() as cursor:
        # set_config(..., true) is SET LOCAL; one statement sets all three, one round trip.
        if exact:
            cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        else:
            cursor.execute(
                "SELECT set_config('hnsw.ef_search', %s, true), "
                "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                f"set_config('hnsw.max_scan_tuples', %s, true), {_NO_PARALLEL}",
                [str(EF_SEARCH), str(MAX_SCAN_TUPLES)],
            )
        cursor.execute(sql, [vector_text, *params, vector_text, limit])
        rows = cursor.fetchall()
    return [_row_to_candidate(row, 1.0 - float(row[-1])) for row in rows]


def skill_candidates(
    *,
    person: Person,
    space: EmbeddingSpace | None,
    limit: int,
    exclude_ids: Sequence[int] = (),
    company_ids_excluded: Sequence[int] = (),
) -> list[Candidate]:
    """Newest jobs that name at least one of the person's skills (skills GIN index), with
    their vector similarity when they have a vector in ``space``."""
    if not person.skills or limit <= 0:
        return []
    where, params = _filters(person, company_ids_excluded)
    select_similarity = "NULL::float8"
    join = ""
    vector_params: list[Any] = []
    if space is not None and person.vector is not None:
        dim = int(space.dim)
        select_similarity = f"1 - ((e.vector::vector({dim})) <=> %s::vector({dim}))"
        join = f"LEFT JOIN jobs_jobembedding e ON e.job_id = j.id AND e.space_id = {int(space.pk)}"
        vector_params = ["[" + ",".join(f"{v:.7g}" for v in person.vector) + "]"]
    # The newest ``limit`` matches are chosen first, and only they are joined to their
    # vectors: joining before the LIMIT looked up and compared a vector for every match
    # (hundreds for a common skill), most of them then cut by the sort.
    # Only integers and constant fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT {_COLUMNS}, {select_similarity} FROM ("  # noqa: S608
        f"SELECT {_INNER_COLUMNS} FROM jobs_job j WHERE j.skills && %s::varchar(100)[] AND {where}"
        + (" AND NOT (j.id = ANY(%s))" if exclude_ids else "")
        + f" ORDER BY j.posted_at DESC LIMIT %s) j {join} ORDER BY j.posted_at DESC"
    )
    args: list[Any] = [*vector_params, sorted(person.skills), *params]
    if exclude_ids:
        args.append(list(exclude_ids))
    args.append(limit)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {_NO_PARALLEL}")
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    return [_row_to_candidate(row, float(row[-1]) if row[-1] is not None else 0.0) for row in rows]


def recommend_semantic(
    *,
    person: Person,
    space: EmbeddingSpace | None,
    idf: Mapping[str, float],
    now: datetime,
    candidates: int,
    weights: Weights = DEFAULT_WEIGHTS,
    exact: bool = False,
) -> SemanticResult:
    excluded = excluded_company_ids(person)
    pool: list[Candidate] = []
    if space is not None:
        pool = vector_candidates(
            person=person,
            space=space,
            limit=candidates,
            exact=exact,
            company_ids_excluded=excluded,
        )
    pool += skill_candidates(
        person=person,
        space=space,
        limit=candidates // 2,
        exclude_ids=[c.job_id for c in pool],
        company_ids_excluded=excluded,
    )
    ranked = rank(pool, person, idf=idf, weights=weights, now=now)
    return SemanticResult(
        ranked=ranked, candidates=len(pool), used_vectors=space is not None and bool(pool)
    )
