"""Name the default Site after the deployment, so emails don't say "example.com"."""

from urllib.parse import urlsplit

from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    site_model = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost:8000"
    site_model.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "jobrec"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
