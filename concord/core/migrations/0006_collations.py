"""One ICU collation per interface language on PostgreSQL, for `core.collation.Collated`.

SQLite stores no collation: `core.collation.register_sqlite_collations` gives each connection
the same names. A new interface language needs a migration like this one (a test compares
the list with `LANGUAGES`)."""

from django.db import migrations

# Django language code -> ICU (BCP 47) locale, as `core.locales.babel_locale` maps them.
LOCALES = {
    "en": "en",
    "fr": "fr",
    "ar": "ar",
    "es": "es",
    "pt": "pt",
    "ru": "ru",
    "zh-hans": "zh-Hans",
    "az": "az",
    "sw": "sw",
}


def _name(language: str) -> str:
    return "concord_" + language.replace("-", "_")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, locale in LOCALES.items():
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{_name(language)}" '
            f"(provider = icu, locale = '{locale}')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in LOCALES:
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{_name(language)}"')


class Migration(migrations.Migration):
    dependencies = [("core", "0005_outgoing_email_one_time_links")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
