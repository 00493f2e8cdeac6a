"""The corpus (companies, postings, scrape runs, moderation) and what enrichment adds to it
(facts, vector spaces, embeddings, LLM usage)."""

from jobs.models.corpus import (
    SEARCH_DESCRIPTION_CHARS,
    SEARCH_DOCUMENT_SQL,
    TITLE_DOCUMENT_SQL,
    Company,
    Job,
    ModerationEvent,
    ScrapeRun,
    SearchWord,
    Seniority,
)
from jobs.models.enrichment import EmbeddingSpace, Enrichment, JobEmbedding, ProviderUsage

__all__ = [
    "SEARCH_DESCRIPTION_CHARS",
    "SEARCH_DOCUMENT_SQL",
    "TITLE_DOCUMENT_SQL",
    "Company",
    "EmbeddingSpace",
    "Enrichment",
    "Job",
    "JobEmbedding",
    "ModerationEvent",
    "ProviderUsage",
    "ScrapeRun",
    "SearchWord",
    "Seniority",
]
