"""The corpus (companies, postings, scrape runs, moderation) and what enrichment adds to it
(facts, vector spaces, embeddings, LLM usage)."""

from jobs.models.corpus import (
    Company,
    Job,
    JobSearch,
    ModerationEvent,
    ScrapeRun,
    SearchWord,
    Seniority,
)
from jobs.models.enrichment import EmbeddingSpace, Enrichment, JobEmbedding, ProviderUsage

__all__ = [
    "Company",
    "EmbeddingSpace",
    "Enrichment",
    "Job",
    "JobEmbedding",
    "JobSearch",
    "ModerationEvent",
    "ProviderUsage",
    "ScrapeRun",
    "SearchWord",
    "Seniority",
]
