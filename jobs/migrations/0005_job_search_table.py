"""Move the full-text documents out of jobs_job into jobs_jobsearch, a narrow table of the
visible jobs kept by triggers (see JobSearch and docs/benchmarks.md, "Search").

Applies on a database with data: the table is filled from the visible jobs before its
indexes are built, then the triggers take over and the generated columns are dropped.
Reversible: going back re-adds the generated columns (PostgreSQL computes them for every
row) and drops the table.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

DESCRIPTION_CHARS = 1000
# Columns a search row copies from its job, in this order, then the two documents.
COPIED = (
    "posted_at",
    "salary_min",
    "salary_max",
    "remote_policy",
    "seniority",
    "source",
    "company_id",
    "location",
    "tags",
    "skills",
)
# A change to any of these changes the search row (or whether there is one).
WATCHED = (
    *COPIED,
    "status",
    "duplicate_of_id",
    "position",
    "company_name",
    "description_text",
)
COLUMNS = ", ".join(("job_id", *COPIED, "title_document", "document"))


def _title_document(row: str) -> str:
    return (
        f"setweight(to_tsvector('english'::regconfig, coalesce({row}.position, '')), 'A') "
        f"|| setweight(to_tsvector('english'::regconfig, coalesce({row}.company_name, '') "
        f"|| ' ' || jobrec_text_array_join({row}.tags) || ' ' "
        f"|| jobrec_text_array_join({row}.skills)), 'B')"
    )


def _description_document(row: str) -> str:
    return (
        f"setweight(to_tsvector('english'::regconfig, "
        f"left(coalesce({row}.description_text, ''), {DESCRIPTION_CHARS})), 'C')"
    )


def _select(row: str, source: str = "") -> str:
    """The search row of job ``row`` (read from ``source`` when given); the title document
    is computed once and reused."""
    copied = ", ".join(f"{row}.{c}" for c in COPIED)
    title = f"(SELECT {_title_document(row)} AS d) AS t"
    tables = f"{source} AS {row}, LATERAL {title}" if source else title
    # Constant column and table names only: nothing here comes from outside.
    return f"SELECT {row}.id, {copied}, t.d, t.d || {_description_document(row)} FROM {tables}"  # noqa: S608


VISIBLE_J = "j.status = 'active' AND j.duplicate_of_id IS NULL"

BACKFILL = f"""
    INSERT INTO jobs_jobsearch ({COLUMNS})
    {_select("j", "jobs_job")} WHERE {VISIBLE_J}
"""

# New rows, however written (COPY, bulk_create, save): one INSERT per statement, reading the
# statement's rows from a transition table, so a COPY of 1,000 postings costs one query.
INSERT_FUNCTION = f"""
    CREATE FUNCTION jobrec_job_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO jobs_jobsearch ({COLUMNS})
        {_select("j", "jobrec_new_jobs")} WHERE {VISIBLE_J};
        RETURN NULL;
    END $$
"""
INSERT_TRIGGER = """
    CREATE TRIGGER jobs_job_search_insert AFTER INSERT ON jobs_job
    REFERENCING NEW TABLE AS jobrec_new_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobrec_job_search_insert()
"""

# Changed rows: per row, and only when a watched column is both assigned (UPDATE OF) and
# different (WHEN). The touch of unchanged postings on every import (last_seen_at only)
# never fires it; a statement-level trigger with transition tables would have copied every
# touched row (PostgreSQL allows no column list with transition tables).
UPDATE_FUNCTION = f"""
    CREATE FUNCTION jobrec_job_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status = 'active' AND NEW.duplicate_of_id IS NULL THEN
            INSERT INTO jobs_jobsearch ({COLUMNS})
            {_select("NEW")}
            ON CONFLICT (job_id) DO UPDATE SET
                {", ".join(f"{c} = EXCLUDED.{c}" for c in (*COPIED, "title_document", "document"))};
        ELSE
            DELETE FROM jobs_jobsearch WHERE job_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$
"""  # noqa: S608 - constant column names
UPDATE_TRIGGER = f"""
    CREATE TRIGGER jobs_job_search_update AFTER UPDATE OF {", ".join(WATCHED)} ON jobs_job
    FOR EACH ROW WHEN (
        ({", ".join(f"OLD.{c}" for c in WATCHED)})
        IS DISTINCT FROM ({", ".join(f"NEW.{c}" for c in WATCHED)})
    )
    EXECUTE FUNCTION jobrec_job_search_update()
"""


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0004_enrichment"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobSearch",
            fields=[
                (
                    "job",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="jobs.job",
                    ),
                ),
                ("posted_at", models.DateTimeField()),
                ("salary_min", models.PositiveIntegerField(null=True)),
                ("salary_max", models.PositiveIntegerField(null=True)),
                ("remote_policy", models.CharField(max_length=10)),
                ("seniority", models.CharField(blank=True, max_length=10)),
                ("source", models.CharField(max_length=50)),
                (
                    "company",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="jobs.company",
                    ),
                ),
                ("location", models.CharField(blank=True, max_length=300)),
                (
                    "tags",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=100),
                        blank=True,
                        default=list,
                        size=None,
                    ),
                ),
                (
                    "skills",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=100),
                        blank=True,
                        default=list,
                        size=None,
                    ),
                ),
                ("title_document", django.contrib.postgres.search.SearchVectorField()),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        # Deleting a job deletes its search row, whoever deletes it.
        migrations.RunSQL(
            sql=(
                "ALTER TABLE jobs_jobsearch ADD CONSTRAINT jobsearch_job_fk FOREIGN KEY (job_id) "
                "REFERENCES jobs_job (id) ON DELETE CASCADE"
            ),
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunSQL(sql=BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="jobsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["document"], name="jobsearch_document_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="jobsearch",
            index=models.Index(fields=["-posted_at", "-job"], name="jobsearch_posted"),
        ),
        migrations.AddIndex(
            model_name="jobsearch",
            index=django.contrib.postgres.indexes.GinIndex(fields=["tags"], name="jobsearch_tags"),
        ),
        migrations.AddIndex(
            model_name="jobsearch",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("location"), name="gin_trgm_ops"
                ),
                name="jobsearch_location_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="jobsearch",
            index=models.Index(
                models.OrderBy(models.F("salary_max"), descending=True, nulls_last=True),
                models.OrderBy(models.F("posted_at"), descending=True),
                models.OrderBy(models.F("job"), descending=True),
                name="jobsearch_salary",
            ),
        ),
        migrations.AddIndex(
            model_name="jobsearch",
            index=models.Index(
                condition=models.Q(("salary_max__isnull", True)),
                fields=["salary_min"],
                name="jobsearch_salary_min",
            ),
        ),
        migrations.RunSQL(
            sql=[INSERT_FUNCTION, INSERT_TRIGGER, UPDATE_FUNCTION, UPDATE_TRIGGER],
            reverse_sql=[
                "DROP TRIGGER jobs_job_search_update ON jobs_job",
                "DROP FUNCTION jobrec_job_search_update()",
                "DROP TRIGGER jobs_job_search_insert ON jobs_job",
                "DROP FUNCTION jobrec_job_search_insert()",
            ],
        ),
        migrations.RemoveIndex(model_name="job", name="job_search_vector_gin"),
        migrations.RemoveField(model_name="job", name="search_vector"),
        migrations.RemoveField(model_name="job", name="title_vector"),
    ]
