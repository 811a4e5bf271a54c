"""Full-text search structures the ORM does not describe, one per database engine.

PostgreSQL: a tsvector column on the search documents, GIN indexed, filled by
`knowledge.search.index_practice` with the language's text search configuration.
SQLite: an FTS5 table whose rowid is the search document's id (Porter stemming for English,
accents folded for every language).
"""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE knowledge_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX knowledge_searchdocument_fts ON knowledge_searchdocument"
    " USING gin (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS knowledge_searchdocument_fts",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS search_vector",
]
SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS knowledge_fts"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (
        POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE if vendor == "sqlite" else []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
