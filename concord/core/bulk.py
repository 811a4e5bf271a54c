"""Inserting many rows on a hot path (the batch recorder of accepted signatures)."""

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models


def insert_rows(
    model: type[models.Model],
    objects: Sequence[models.Model],
    skip_conflicts: bool = False,
    returning: str = "",
) -> list[Any]:
    """What `bulk_create` writes, as written-out multi-row INSERTs: Django's compiler builds
    bulk_create's SQL value by value, and that was most of a batch's cost (profiled). Each
    value is still prepared by its field (`pre_save`, `get_db_prep_save`), so defaults,
    auto_now_add and JSON are stored as `save()` stores them.

    `skip_conflicts`: a row that would break a unique rule is left out (ON CONFLICT DO
    NOTHING, on SQLite and PostgreSQL). `returning`: a column whose values come back, for
    the rows inserted only, in order (RETURNING, as bulk_create reads primary keys)."""
    if not objects:
        return []
    connection = connections[DEFAULT_DB_ALIAS]  # once: each use of the proxy looks it up
    fields = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table), ", ".join(quote(str(field.column)) for field in fields)
    )
    tail = (" ON CONFLICT DO NOTHING" if skip_conflicts else "") + (
        f" RETURNING {quote(returning)}" if returning else ""
    )
    one = "({})".format(", ".join(["%s"] * len(fields)))
    size = max(connection.ops.bulk_batch_size(fields, objects), 1)
    returned: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params = [
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for obj in chunk
                for field in fields
            ]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                returned += [row[0] for row in cursor.fetchall()]
    return returned
