"""Reads of the job corpus: search, detail, facets.

Only visible postings leave this module: active ones that are not reposts of another
posting. Hidden, flagged and expired jobs are seen in the admin only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, TypeVar, overload

from django.contrib.postgres.search import SearchQuery, TrigramDistance
from django.db import connection
from django.db.models import Count, F, Func, Model, Q, QuerySet
from django.utils import timezone

from jobrec.api.pagination import COUNT_CAP
from jobs.models import Job, JobSearch, ScrapeRun, SearchWord
from jobs.normalization import company_normalize, search_words

Sort = Literal["relevance", "newest", "salary"]
_M = TypeVar("_M", bound=Model)
SkillsMode = Literal["any", "all"]


@dataclass(frozen=True)
class JobFilters:
    q: str = ""
    seniority: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    skills_mode: SkillsMode = "any"
    tags: tuple[str, ...] = ()
    company: str = ""
    remote_policy: tuple[str, ...] = ()
    location: str = ""
    salary_min: int | None = None
    posted_within_days: int | None = None
    source: str = ""
    sort: Sort | None = None

    @property
    def effective_sort(self) -> Sort:
        return self.sort or ("relevance" if self.q.strip() else "newest")

    def cache_params(self) -> dict[str, object]:
        return {
            "q": self.q.strip().lower(),
            "seniority": sorted(self.seniority),
            "skills": sorted(s.lower() for s in self.skills),
            "skills_mode": self.skills_mode,
            "tags": sorted(t.lower() for t in self.tags),
            "company": company_normalize(self.company),
            "remote_policy": sorted(self.remote_policy),
            "location": self.location.strip().lower(),
            "salary_min": self.salary_min,
            "posted_within_days": self.posted_within_days,
            "source": self.source,
            "sort": self.effective_sort,
        }


RANK_WINDOW = 500
_LIST_DEFERRED = ("description_html", "description_text")


def job_visible_queryset() -> QuerySet[Job]:
    return Job.objects.filter(status=Job.Status.ACTIVE, duplicate_of__isnull=True)


def job_get(*, job_id: int) -> Job:
    """A visible job; raises ``Job.DoesNotExist`` for hidden, flagged or unknown ids.

    A repost's id answers with its original, so old links keep working.
    """
    job = Job.objects.select_related("company", "duplicate_of").get(pk=job_id)
    if job.duplicate_of is not None and job.duplicate_of.status == Job.Status.ACTIVE:
        job = job.duplicate_of
    if job.status != Job.Status.ACTIVE:
        raise Job.DoesNotExist(f"job {job_id} is not visible")
    return job


def job_repost_count(*, job: Job) -> int:
    return job.duplicates.count()


def _filtered(qs: QuerySet[_M], filters: JobFilters) -> QuerySet[_M]:
    """``qs`` (of Job or JobSearch: both name the filter columns alike) narrowed by the
    structured filters."""
    if filters.seniority:
        qs = qs.filter(seniority__in=filters.seniority)
    if filters.skills:
        lookup = "skills__contains" if filters.skills_mode == "all" else "skills__overlap"
        qs = qs.filter(**{lookup: list(filters.skills)})
    if filters.tags:
        qs = qs.filter(tags__overlap=[t.lower() for t in filters.tags])
    if filters.company.strip():
        qs = qs.filter(company__normalized_name=company_normalize(filters.company))
    if filters.remote_policy:
        qs = qs.filter(remote_policy__in=filters.remote_policy)
    if filters.location.strip():
        qs = qs.filter(location__icontains=filters.location.strip())
    if filters.salary_min:
        # A job qualifies when its range reaches the wanted minimum.
        qs = qs.filter(
            Q(salary_max__gte=filters.salary_min)
            | Q(salary_max__isnull=True, salary_min__gte=filters.salary_min)
        )
    if filters.posted_within_days:
        qs = qs.filter(posted_at__gte=timezone.now() - timedelta(days=filters.posted_within_days))
    if filters.source:
        qs = qs.filter(source=filters.source)
    return qs


class JobSearchResults(Sequence[Job]):
    """The results of a text query: counted and paged on the narrow search table, so that
    only the jobs of the page shown are read from the job table.

    Relevance: the RANK_WINDOW newest matches, ranked, in one query that is both the count
    and the window. Other sorts: the count of at most COUNT_CAP + 1 matches in any order
    (what the capped count of a listing is), and each page in its order.
    """

    def __init__(self, *, matches: QuerySet[JobSearch], sort: Sort, q: str) -> None:
        self._matches = matches
        self._sort = sort
        self._ranked: list[int] | None = None
        if sort == "relevance":
            self._ranked = _ranked_window(matches, q)
            self._count = len(self._ranked)
        else:
            self._count = len(matches.order_by().values_list("job_id")[: COUNT_CAP + 1])

    def __len__(self) -> int:
        """The number of results, capped as listings are (what paginators ask)."""
        return self._count

    @overload
    def __getitem__(self, index: int) -> Job: ...

    @overload
    def __getitem__(self, index: slice) -> list[Job]: ...

    def __getitem__(self, index: int | slice) -> Job | list[Job]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else self[index:][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(self._count)
        if self._ranked is not None:
            ids = self._ranked[start:stop:step]
        else:
            ordered = _sorted_search(self._matches, self._sort).values_list("job_id", flat=True)
            ids = list(ordered[start:stop])[::step]
        # Visibility is checked once more on the page's rows: free on twenty primary keys,
        # and it keeps this module's promise even against a search row out of date.
        jobs = {j.pk: j for j in job_visible_queryset().filter(pk__in=ids).defer(*_LIST_DEFERRED)}
        return [jobs[i] for i in ids if i in jobs]

    def job_queryset(self) -> QuerySet[Job]:
        """The jobs of these results, unordered (facets count over them)."""
        if self._ranked is not None:
            return job_visible_queryset().filter(pk__in=self._ranked)
        return job_visible_queryset().filter(pk__in=self._matches.values("job_id"))


def job_list(*, filters: JobFilters) -> QuerySet[Job] | JobSearchResults:
    """Visible jobs matching ``filters``, sorted: a queryset for plain listings, the search
    results (a sequence Django's paginator pages) for text queries.

    Text queries use full-text search (stemmed, so "engineers" finds "engineer"). When that
    finds nothing, misspelled words are corrected against the vocabulary of titles,
    companies and tags ("acountant" -> "accountant", "Pixle" -> "pixel") and the search runs
    once more; a query whose words are all known really has no match.
    """
    q = filters.q.strip()
    if not q:
        # Listings never show descriptions; fetching them (out of line, several KB per row)
        # was most of a results page's cost.
        listed = _filtered(job_visible_queryset(), filters).defer(*_LIST_DEFERRED)
        return _sorted(listed, filters.effective_sort)
    results = _search(filters, q)
    if not results:
        corrected = search_query_correct(q=q)
        if corrected is not None:
            results = _search(filters, corrected)
    return results


def _search(filters: JobFilters, q: str) -> JobSearchResults:
    query = SearchQuery(q, search_type="websearch", config="english")
    matches = _filtered(JobSearch.objects.all(), filters).filter(document=query)
    return JobSearchResults(matches=matches, sort=filters.effective_sort, q=q)


def _ranked_window(matches: QuerySet[JobSearch], q: str) -> list[int]:
    """Ids of the RANK_WINDOW newest matches, by relevance.

    A broad term ("manager") matches tens of thousands of postings, and ranking them all
    means fetching every one. Job search favours fresh postings anyway, and nobody pages
    past the window (the count stops there too). Title, company, tags and skills decide
    the order; description-only matches follow by date.
    """
    newest = matches.order_by("-posted_at", "-job_id")
    window = newest.values("job_id", "posted_at", "title_document")[:RANK_WINDOW]
    sql, params = window.query.get_compiler(using=window.db).as_sql()
    with connection.cursor() as cursor:
        # Ranked outside the window's own query, so that only the window's rows are ranked
        # (in one query the rank would be computed for every match before the sort).
        cursor.execute(
            f"SELECT w.job_id FROM ({sql}) AS w "  # noqa: S608 - SQL from the ORM, values bound
            "ORDER BY ts_rank(w.title_document, websearch_to_tsquery('english'::regconfig, %s)) "
            "DESC, w.posted_at DESC, w.job_id DESC",
            [*params, q],
        )
        return [row[0] for row in cursor.fetchall()]


def _sorted_search(matches: QuerySet[JobSearch], sort: Sort) -> QuerySet[JobSearch]:
    if sort == "salary":
        return matches.order_by(F("salary_max").desc(nulls_last=True), "-posted_at", "-job_id")
    return matches.order_by("-posted_at", "-job_id")


# pg_trgm similarity above which a vocabulary word replaces a misspelled one. Transposed
# letters score low on trigrams ("pyhton"/"python": 0.27), so the bar is modest; the word
# must still be the closest one in the vocabulary.
CORRECTION_MIN_SIMILARITY = 0.2


def search_query_correct(*, q: str) -> str | None:
    """``q`` with unknown words replaced by their closest vocabulary word, or None when no
    word is unknown or none has a close enough neighbour."""
    words = q.lower().split()
    folded = [next(iter(search_words(w)), "") for w in words]
    known = set(
        SearchWord.objects.filter(word__in=[f for f in folded if f]).values_list("word", flat=True)
    )
    corrected, changed = [], False
    for word, key in zip(words, folded, strict=True):
        if not key or key in known or len(key) < 3 or word.startswith("-"):
            corrected.append(word)
            continue
        best = (
            SearchWord.objects.annotate(distance=TrigramDistance("word", key))
            .order_by("distance")
            .values_list("word", "distance")
            .first()
        )
        if best is not None and 1 - best[1] >= CORRECTION_MIN_SIMILARITY:
            corrected.append(best[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def _sorted(qs: QuerySet[Job], sort: Sort) -> QuerySet[Job]:
    if sort == "salary":
        return qs.order_by(F("salary_max").desc(nulls_last=True), "-posted_at", "-pk")
    return qs.order_by("-posted_at", "-pk")


class _Unnest(Func):
    function = "unnest"


def job_facets(*, filters: JobFilters, top: int = 15) -> dict[str, list[tuple[str, int]]]:
    """Counts over the filtered result set: top skills, seniority levels, remote policies."""
    listed = job_list(filters=filters)
    qs = listed.job_queryset() if isinstance(listed, JobSearchResults) else listed.order_by()
    skills = (
        qs.annotate(skill=_Unnest("skills"))
        .values("skill")
        .annotate(n=Count("pk"))
        .order_by("-n", "skill")[:top]
    )
    seniority = qs.exclude(seniority="").values("seniority").annotate(n=Count("pk")).order_by("-n")
    policies = qs.values("remote_policy").annotate(n=Count("pk")).order_by("-n")
    return {
        "skills": [(row["skill"], row["n"]) for row in skills],
        "seniority": [(row["seniority"], row["n"]) for row in seniority],
        "remote_policy": [(row["remote_policy"], row["n"]) for row in policies],
    }


def scrape_run_latest(*, source: str) -> ScrapeRun | None:
    return ScrapeRun.objects.filter(source=source).order_by("-started_at").first()
