"""The PostgreSQL extensions jobrec needs: pgvector for embeddings, pg_trgm for fuzzy search."""

from django.contrib.postgres.operations import CreateExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [
        CreateExtension("vector"),
        TrigramExtension(),
    ]
