from django.db import migrations


def load(apps, schema_editor):
    from concord.core.vocabularies import load_vocabularies

    load_vocabularies(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
