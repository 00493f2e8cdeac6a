"""The job corpus: companies, postings, search vocabulary, scrape runs, moderation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper


class Company(models.Model):
    name = models.CharField(max_length=255)
    # Lower-cased, punctuation and legal suffixes ("Inc.", "GmbH") removed: the same company
    # written two ways is one row.
    normalized_name = models.CharField(max_length=255, unique=True)
    logo_url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Seniority(models.TextChoices):
    INTERN = "intern", "Intern"
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"
    PRINCIPAL = "principal", "Principal"


class Job(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        HIDDEN = "hidden", "Hidden"
        FLAGGED = "flagged", "Flagged"

    class RemotePolicy(models.TextChoices):
        REMOTE = "remote", "Remote"
        HYBRID = "hybrid", "Hybrid"
        ONSITE = "onsite", "On-site"

    source = models.CharField(max_length=50)
    external_id = models.CharField(max_length=200)
    url = models.URLField(max_length=1000)
    apply_url = models.URLField(max_length=1000, blank=True)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="jobs")
    # Copied from the company so full-text, trigram and filter conditions all sit on one
    # table, where PostgreSQL can combine their indexes.
    company_name = models.CharField(max_length=255)
    position = models.CharField(max_length=300)
    normalized_title = models.CharField(max_length=300)
    location = models.CharField(max_length=300, blank=True)
    remote_policy = models.CharField(
        max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.REMOTE
    )
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # Search-facing facts written by enrichment (canonical skills, seniority); the full
    # enrichment result and its provenance live with the enrichment record.
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True)
    description_text = models.TextField(blank=True)
    description_html = models.TextField(blank=True)
    posted_at = models.DateTimeField()
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    moderation_reason = models.TextField(blank=True)
    # A repost (same company and normalized title within the window) points at the first
    # posting of its group; listings show only postings with no duplicate_of.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The full-text documents live in JobSearch, a narrow table of visible jobs kept by
    # database triggers: search scans walk it instead of these wide rows.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"), name="job_source_external_id"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="job_salary_range_ordered",
            ),
        ]
        indexes = [
            GinIndex(fields=["location"], opclasses=["gin_trgm_ops"], name="job_location_trgm"),
            GinIndex(fields=["tags"], name="job_tags_gin"),
            GinIndex(fields=["skills"], name="job_skills_gin"),
            # The listing's base condition: visible, not a repost, newest first.
            models.Index(
                fields=["-posted_at"],
                name="job_listed_posted",
                condition=Q(status="active", duplicate_of__isnull=True),
            ),
            models.Index(fields=["company", "normalized_title"], name="job_repost_key"),
            models.Index(fields=["status", "last_seen_at"], name="job_status_last_seen"),
            models.Index(fields=["seniority"], name="job_seniority"),
            models.Index(fields=["salary_max"], name="job_salary_max"),
        ]
        ordering = ("-posted_at",)

    def __str__(self) -> str:
        return f"{self.position} at {self.company_name}"


class JobSearch(models.Model):
    """What text search reads: one narrow row per *visible* job (active, not a repost) with
    its filter columns and full-text documents.

    Kept by triggers on jobs_job (migration 0005), not by Django: postings arrive by COPY,
    by UPDATE joined to a COPY-filled table, by ``QuerySet.update`` (expiry, enrichment)
    and by ``bulk_update`` (moderation), and a row missed by any of them would show a hidden
    job or hide a visible one. A job that stops being visible loses its row; one that
    becomes visible again gets it back.

    Why a table of its own: a broad term under broad filters matches thousands of
    postings, and the newest of them are found by walking the date index and testing each
    row; job rows are wide (a search document of ~1.3 KB sat in each, out of line), these
    are not, and every row here is visible, so no status test either.
    """

    job = models.OneToOneField(
        Job,
        primary_key=True,
        # The database deletes the row with its job (ON DELETE CASCADE, migration 0005).
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_entry",
    )
    posted_at = models.DateTimeField()
    salary_min = models.PositiveIntegerField(null=True)
    salary_max = models.PositiveIntegerField(null=True)
    remote_policy = models.CharField(max_length=10)
    seniority = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=50)
    company = models.ForeignKey(
        Company, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    location = models.CharField(max_length=300, blank=True)
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # Relevance is ranked on the short document (title weighs most, then company, tags and
    # skills): ranking full documents of thousands of matches costs tens of milliseconds.
    # Matches are found on the full one: the short one plus the first 1,000 characters of
    # the description (capped so indexing stays cheap on long postings). Both are computed
    # by the triggers of migration 0005.
    title_document = SearchVectorField()
    document = SearchVectorField()

    class Meta:
        # Filters that PostgreSQL can combine with the document index (a bitmap AND), so
        # that a selective filter cuts the rows read rather than being tested on each.
        indexes = [
            GinIndex(fields=["document"], name="jobsearch_document_gin"),
            models.Index(fields=["-posted_at", "-job"], name="jobsearch_posted"),
            GinIndex(fields=["tags"], name="jobsearch_tags"),
            # On UPPER(location): what Django's icontains compares.
            GinIndex(
                OpClass(Upper("location"), name="gin_trgm_ops"), name="jobsearch_location_trgm"
            ),
            # Salary-sorted pages walk it; salary filters take ranges of it.
            models.Index(
                F("salary_max").desc(nulls_last=True),
                F("posted_at").desc(),
                F("job").desc(),
                name="jobsearch_salary",
            ),
            # The other half of the salary filter: a range given by its minimum only.
            models.Index(
                fields=["salary_min"],
                name="jobsearch_salary_min",
                condition=Q(salary_max__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"search entry of job {self.job_id}"


class SearchWord(models.Model):
    """Every word of every title, company name and tag: the vocabulary that misspelled
    search terms are corrected against ("pyhton" -> "python")."""

    word = models.CharField(max_length=64, primary_key=True)

    class Meta:
        indexes = [GistIndex(fields=["word"], opclasses=["gist_trgm_ops"], name="searchword_trgm")]

    def __str__(self) -> str:
        return self.word


class ScrapeRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        PARTIAL = "partial", "Partial"

    source = models.CharField(max_length=50)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    not_modified = models.BooleanField(default=False)
    fetched = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # Validators for the next conditional request (If-None-Match / If-Modified-Since).
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("-started_at",)
        indexes = [models.Index(fields=["source", "-started_at"], name="scraperun_source_started")]

    def __str__(self) -> str:
        return f"{self.source} run {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class ModerationEvent(models.Model):
    """Who did what to which job, when, and why. Written by every moderation service."""

    class Action(models.TextChoices):
        HIDE = "hide", "Hide"
        UNHIDE = "unhide", "Unhide"
        FLAG = "flag", "Flag"
        REENRICH = "reenrich", "Re-enrich"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="moderation_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(blank=True)
    previous_status = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.action} job {self.job_id}"
