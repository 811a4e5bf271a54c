from django.db import migrations


def load(apps, schema_editor):
    from concord.results.vocabularies import load_shared_indicators

    load_shared_indicators(apps)


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial"), ("core", "0002_vocabularies")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
