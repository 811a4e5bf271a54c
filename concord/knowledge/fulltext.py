"""What full text stores for each search document, per database.

PostgreSQL: the `search_vector` tsvector column (migration 0002), built by the language's text
search configuration from the text `words.for_postgres` prepares. SQLite: the FTS5 table
`knowledge_fts` (migration 0005), whose rowid is the document's id, holding the words
`words.for_sqlite` made. Both are written here only, by `search.index_practice` for one case
study and by `rebuild` for every document (a migration that changes how text becomes words).
"""

from __future__ import annotations

from collections.abc import Iterable

from concord.knowledge.words import for_postgres, for_sqlite, search_config

Row = tuple[int, str, str, str]  # a search document's id, language, title and body

REBUILD_BATCH = 500


def write(cursor, vendor: str, rows: Iterable[Row]) -> None:
    rows = list(rows)
    if not rows:
        return
    if vendor == "postgresql":
        cursor.executemany(
            "UPDATE knowledge_searchdocument SET search_vector ="
            " setweight(to_tsvector(%s::regconfig, %s), 'A')"
            " || setweight(to_tsvector(%s::regconfig, %s), 'B') WHERE id = %s",
            [
                (
                    search_config(language),
                    for_postgres(title, language),
                    search_config(language),
                    for_postgres(body, language),
                    pk,
                )
                for pk, language, title, body in rows
            ],
        )
    elif vendor == "sqlite":
        delete(cursor, vendor, [row[0] for row in rows])
        cursor.executemany(
            "INSERT INTO knowledge_fts (rowid, title, body) VALUES (%s, %s, %s)",
            [
                (pk, for_sqlite(title, language), for_sqlite(body, language))
                for pk, language, title, body in rows
            ],
        )


def delete(cursor, vendor: str, ids: list[int]) -> None:
    # PostgreSQL's vector goes with its row; SQLite's FTS5 rows are apart from it.
    if vendor == "sqlite" and ids:
        cursor.executemany("DELETE FROM knowledge_fts WHERE rowid = %s", [(pk,) for pk in ids])


def rebuild(connection) -> int:
    """Write the full text of every search document again, in batches; returns how many."""
    done, last = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, language, title, body FROM knowledge_searchdocument"
                " WHERE id > %s ORDER BY id LIMIT %s",
                [last, REBUILD_BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            write(cursor, connection.vendor, rows)
            done += len(rows)
            last = rows[-1][0]
