import json
from pathlib import Path

from django.db import migrations

FIELDS = ("title", "publisher", "url", "as_of", "licence", "notes", "obtained_from")


def add_source(apps, schema_editor):
    """Databases loaded before borders.csv shipped lack its source row (the About the data
    page lists sources from the table); a new database has it from 0002 already."""
    DataSource = apps.get_model("countries", "DataSource")
    path = Path(__file__).resolve().parent.parent / "data" / "sources.json"
    entry = json.loads(path.read_text(encoding="utf-8"))["borders"]
    DataSource.objects.update_or_create(
        key="borders", defaults={field: str(entry.get(field, "")) for field in FIELDS}
    )


class Migration(migrations.Migration):
    dependencies = [("countries", "0002_reference_data")]
    operations = [migrations.RunPython(add_source, migrations.RunPython.noop)]
