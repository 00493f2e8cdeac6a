"""The keywords part reads the same words live as in the quality harness."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection

from jobs.models import Job
from recommendations.ranking import document_terms
from recommendations.selectors import search_documents, term_idf, text_terms


def test_search_documents_equal_the_stored_column(corpus: list[Job]) -> None:
    jobs = corpus[:5]
    built = search_documents(
        [(j.position, j.company_name, j.tags, j.skills, j.description_text) for j in jobs]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT job_id, document::text FROM jobs_jobsearch WHERE job_id = ANY(%s)",
            [[j.pk for j in jobs]],
        )
        stored = {pk: document_terms(text) for pk, text in cursor.fetchall()}
    assert built == [stored[j.pk] for j in jobs]
    assert all(built)


def test_term_idf_counts_documents_and_text_terms_stems_like_them(corpus: list[Job]) -> None:
    cache.clear()
    idf = term_idf()
    assert idf and all(v >= 1.0 for v in idf.values())
    # A word in more postings is less rare.
    common, rare = sorted(idf, key=idf.__getitem__)[0], max(idf, key=idf.__getitem__)
    assert idf[common] < idf[rare]
    terms = text_terms("Litigated cases in the High Court; drafting contracts.")
    assert {"litig", "court", "contract"} <= set(terms) and "the" not in terms
    assert text_terms("   ") == {}
