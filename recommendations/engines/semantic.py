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

from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
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
# Rows a streamed candidate query sends at a time: 8 and 32 measured alike, both well ahead
# of reading the whole result first (docs/benchmarks.md).
STREAM_ROWS = 8

# Parallel workers are for long scans: starting two took about 20 ms of a 30 ms skill
# candidate query (EXPLAIN ANALYZE in the benchmark), more than they saved.
_NO_PARALLEL = "set_config('max_parallel_workers_per_gather', '0', true)"
_JOB_COLUMNS = """
    j.id, j.position, j.company_id, j.company_name, {skills}, j.seniority, j.salary_min,
    j.salary_max, j.salary_currency, j.location, j.remote_policy
"""
# What arrays of names travel joined by (a control character): skill names never contain
# it (they are the taxonomy's canonical names), nor do tags (imports strip control
# characters, ``jobs.sources.text.clean_plain_text``).
ARRAY_SEPARATOR = "\x1f"
# What candidates are read as, for hundreds of rows a list; each choice measured with the
# benchmark's profiles. The skills travel as one string, split in C: psycopg parses a
# text array in Python, and the 300 arrays of a list took about 3 ms, the largest part of
# reading the candidates. ``posted_at`` travels as epoch seconds: a float is read several
# times faster than an ISO timestamp. A subquery that is sorted by it keeps the column
# itself, and the array, which the outer query converts.
_COLUMNS = (
    _JOB_COLUMNS.format(skills="array_to_string(j.skills, chr(31))")
    + ", extract(epoch FROM j.posted_at)::float8"
)
_INNER_COLUMNS = _JOB_COLUMNS.format(skills="j.skills") + ", j.posted_at"


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
        skills=tuple(row[4].split(ARRAY_SEPARATOR)) if row[4] else (),
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
    """The ids of the companies the person excludes, found before the candidate statement.

    Not a subquery inside it, though that saves a round trip: PostgreSQL cannot estimate
    ``NOT (company_id = ANY(subquery))``, takes it to keep half the jobs, and for some
    people then leaves the HNSW index for a hash join of every job and a sort (828 ms
    where the walk takes 6). Tried twice, reverted twice (docs/benchmarks.md); an array
    of ids is a size the planner knows.
    """
    keys = person.excluded_company_keys
    if not keys:
        return []
    from jobs.models import Company

    return list(Company.objects.filter(normalized_name__in=keys).values_list("pk", flat=True))


def _vector_text(person: Person) -> str:
    assert person.vector is not None
    return "[" + ",".join(f"{v:.7g}" for v in person.vector) + "]"


def _vector_query(
    person: Person, space: EmbeddingSpace, limit: int, company_ids_excluded: Sequence[int]
) -> tuple[str, list[Any]]:
    """The ``limit`` jobs nearest to the person's vector that pass their filters, nearest
    first, with their similarity."""
    where, params = _filters(person, company_ids_excluded)
    dim, space_id = int(space.dim), int(space.pk)
    # The cast and the space condition repeat the partial index's definition word for
    # word, which is what lets the planner use it.
    distance = f"(e.vector::vector({dim})) <=> %s::vector({dim})"
    vector_text = _vector_text(person)
    # Only integers and constant fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT {_COLUMNS}, 1 - ({distance}) AS similarity FROM jobs_jobembedding e "  # noqa: S608
        f"JOIN jobs_job j ON j.id = e.job_id WHERE e.space_id = {space_id} AND {where} "
        f"ORDER BY {distance} LIMIT %s"
    )
    return sql, [vector_text, *params, vector_text, limit]


def _skill_query(
    person: Person,
    space: EmbeddingSpace | None,
    limit: int,
    company_ids_excluded: Sequence[int],
    not_in: str = "",
) -> tuple[str, list[Any]]:
    """The newest ``limit`` jobs that name one of the person's skills (skills GIN index)
    and pass their filters, with their vector similarity when they have a vector in
    ``space``; ``not_in`` is a subquery of job ids to leave out."""
    where, params = _filters(person, company_ids_excluded)
    select_similarity = "NULL::float8"
    join = ""
    vector_params: list[Any] = []
    if space is not None and person.vector is not None:
        dim = int(space.dim)
        select_similarity = f"1 - ((e.vector::vector({dim})) <=> %s::vector({dim}))"
        join = f"LEFT JOIN jobs_jobembedding e ON e.job_id = j.id AND e.space_id = {int(space.pk)}"
        vector_params = [_vector_text(person)]
    # The newest ``limit`` matches are chosen first, and only they are joined to their
    # vectors: joining before the LIMIT looked up and compared a vector for every match
    # (hundreds for a common skill), most of them then cut by the sort.
    # Only integers and constant fragments are formatted in; every value is a parameter.
    sql = (
        f"SELECT {_COLUMNS}, {select_similarity} FROM ("  # noqa: S608
        f"SELECT {_INNER_COLUMNS} FROM jobs_job j WHERE j.skills && %s::varchar(100)[] AND {where}"
        + (f" AND j.id NOT IN ({not_in})" if not_in else "")
        + f" ORDER BY j.posted_at DESC LIMIT %s) j {join}"
    )
    return sql, [*vector_params, sorted(person.skills), *params, limit]


def _scan_settings(*, exact: bool) -> tuple[str, list[Any]]:
    """The statement that sets, for one transaction (``set_config(..., true)`` is
    ``SET LOCAL``), how the candidate query scans: the index as the engine walks it, or no
    index at all for the exact ground truth."""
    if exact:
        return "SELECT set_config('enable_indexscan', 'off', true)", []
    return (
        "SELECT set_config('hnsw.ef_search', %s, true), "
        "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
        f"set_config('hnsw.max_scan_tuples', %s, true), {_NO_PARALLEL}",
        [str(EF_SEARCH), str(MAX_SCAN_TUPLES)],
    )


def _candidate(row: Sequence[Any]) -> Candidate:
    return _row_to_candidate(row, 0.0 if row[-1] is None else float(row[-1]))


def _fetch(sql: str, params: Sequence[Any], *, exact: bool) -> list[Candidate]:
    # The settings go in the same message as the query: PostgreSQL runs a message of
    # several statements as one transaction, so they hold for the query and end with it
    # (or with the caller's transaction, as SET LOCAL does). One round trip, where BEGIN,
    # the settings, the query and COMMIT took four. A message of several statements needs
    # client-side binding, Django's default for psycopg 3 (``server_side_binding`` unset).
    settings_sql, settings_params = _scan_settings(exact=exact)
    with connection.cursor() as cursor:
        cursor.execute(f"{settings_sql}; {sql}", [*settings_params, *params])
        cursor.nextset()
        rows = cursor.fetchall()
    return [_candidate(row) for row in rows]


@contextmanager
def _stream(sql: str, params: Sequence[Any], *, exact: bool) -> Iterator[Iterator[Candidate]]:
    """The candidates of ``sql`` as the server sends them, for the caller to score while
    the server is still finding the rest.

    Engine 1's statement takes the server about 7 ms (the HNSW walk, then the skill
    matches), and reading and scoring its 300 rows took Python as long again; on two
    cores the two overlap, which took 5-6 ms off each list (docs/benchmarks.md). A
    streamed query is one statement of its own, so the settings go before it in a
    transaction: three round trips more than :func:`_fetch` (BEGIN, the settings, COMMIT),
    0.7-1.3 ms in the benchmark, counted in that gain. Rows come in
    chunks of ``STREAM_ROWS`` (libpq 17 and later; one at a time before that).

    psycopg's stream is read from Django's cursor directly, so Django's query logging and
    ``execute_wrapper`` hooks do not see this statement; its errors are Django's.
    """
    settings_sql, settings_params = _scan_settings(exact=exact)
    size = STREAM_ROWS if psycopg.pq.version() >= 170000 else 1
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(settings_sql, settings_params)
        # Closed on the way out even when the caller stops early or raises: psycopg then
        # cancels the rest of the query, and the connection is usable again.
        with (
            connection.wrap_database_errors,
            closing(cursor.cursor.stream(sql, params, size=size)) as rows,
        ):
            yield map(_candidate, rows)


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
    sql, params = _vector_query(person, space, limit, company_ids_excluded)
    return _fetch(sql, params, exact=exact)


@contextmanager
def candidate_pool(
    *,
    person: Person,
    space: EmbeddingSpace | None,
    vector_limit: int,
    skill_limit: int,
    exact: bool = False,
    company_ids_excluded: Sequence[int] = (),
) -> Iterator[Iterator[Candidate]]:
    """What engine 1 ranks, as the server finds it: the nearest jobs by vector
    (:func:`vector_candidates`), then the newest jobs that share a skill with the person
    but are not among those.

    One statement, one round trip: the skill part leaves out the vector part's jobs by a
    subquery, where the ids went back and forth between two statements before.
    """
    near = None
    if space is not None and person.vector is not None and vector_limit > 0:
        near = _vector_query(person, space, vector_limit, company_ids_excluded)
    shared = None
    if person.skills and skill_limit > 0:
        shared = _skill_query(
            person,
            space,
            skill_limit,
            company_ids_excluded,
            not_in="SELECT id FROM near" if near else "",
        )
    if near and shared:
        sql = (
            f"WITH near AS MATERIALIZED ({near[0]}) "  # noqa: S608 - built above from parameters
            f"SELECT * FROM near UNION ALL SELECT * FROM ({shared[0]}) shared"
        )
        query: tuple[str, Sequence[Any]] | None = (sql, [*near[1], *shared[1]])
    else:
        query = near or shared
    if query is None:
        yield iter(())
        return
    with _stream(*query, exact=exact) as candidates:
        yield candidates


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
    with candidate_pool(
        person=person,
        space=space,
        vector_limit=candidates,
        skill_limit=candidates // 2,
        exact=exact,
        company_ids_excluded=excluded_company_ids(person),
    ) as pool:
        # Scored as the rows arrive (see _stream), then sorted.
        ranked = rank(pool, person, idf=idf, weights=weights, now=now)
    return SemanticResult(
        ranked=ranked,
        candidates=len(ranked),
        used_vectors=space is not None and bool(ranked),
    )
