"""Full text in every script: Chinese as pairs of characters, Turkic i's and Russian ё folded,
Arabic marks dropped, and SQLite stemming each language with Snowball (`knowledge.words`).

SQLite's FTS5 table is made again without its Porter stemmer (the words arrive stemmed) and
with combining marks as parts of words (Hindi and Bengali vowel signs cut words before). On
both databases every existing search document is indexed again, so a database upgraded in
place finds what a new one does.
"""

from django.db import migrations

from concord.knowledge import fulltext

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5(title, body,"
    " tokenize = \"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
)
# What migration 0002 made and filled, for going back.
OLD_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
OLD_CONFIG = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ar": "arabic",
    "ru": "russian",
}


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_fts")
        schema_editor.execute(SQLITE_TABLE)
    if connection.vendor in ("sqlite", "postgresql"):
        fulltext.rebuild(connection)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_fts")
        schema_editor.execute(OLD_SQLITE_TABLE)
        schema_editor.execute(
            "INSERT INTO knowledge_fts (rowid, title, body)"
            " SELECT id, title, body FROM knowledge_searchdocument"
        )
    elif vendor == "postgresql":
        config = "CASE language " + " ".join(
            f"WHEN '{language}' THEN '{name}'" for language, name in OLD_CONFIG.items()
        )
        config += " ELSE 'simple' END::regconfig"
        schema_editor.execute(
            "UPDATE knowledge_searchdocument SET search_vector ="  # noqa: S608 - constants only
            f" setweight(to_tsvector({config}, title), 'A')"
            f" || setweight(to_tsvector({config}, body), 'B')"
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_media_awaits_review")]

    operations = [migrations.RunPython(forwards, backwards)]
