"""Inserting many rows on a hot path (the batch recorder of accepted signatures)."""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

# Fields whose `pre_save` reads the attribute and whose `get_db_prep_save` gives back a
# value of the type below unchanged: for such a value the field's two calls are skipped
# (they were the most of preparing a row, profiled). Exact classes, so a subclass that
# prepares its values otherwise goes the whole way.
_PLAIN: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.EmailField: (str,),
    models.SlugField: (str,),
    models.TextField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
}


def insert_rows(
    model: type[models.Model],
    objects: Sequence[models.Model],
    skip_conflicts: bool = False,
    returning: str = "",
) -> list[Any]:
    """What `bulk_create` writes, as written-out INSERTs: Django's compiler builds
    bulk_create's SQL value by value, and that was most of a batch's cost (profiled). Each
    value is prepared by its field (`pre_save`, `get_db_prep_save`), so defaults,
    auto_now_add and JSON are stored as `save()` stores them; a plain string, number or
    boolean is taken as it is, which is what those calls give back.

    `skip_conflicts`: a row that would break a unique rule is left out (ON CONFLICT DO
    NOTHING, on SQLite and PostgreSQL). `returning`: a column whose values come back, for
    the rows inserted only, in order (RETURNING, as bulk_create reads primary keys)."""
    if not objects:
        return []
    connection = connections[DEFAULT_DB_ALIAS]  # once: each use of the proxy looks it up
    fields, plain, head, one = _statement(model, connection.vendor)
    tail = (" ON CONFLICT DO NOTHING" if skip_conflicts else "") + (
        f" RETURNING {connection.ops.quote_name(returning)}" if returning else ""
    )
    values = _row_maker(plain, connection)
    returned: list[Any] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One short statement for every row, which psycopg sends as a pipeline: a
            # multi-row INSERT's thousands of placeholders were parsed anew each time
            # (a quarter of a batch on PostgreSQL, profiled).
            raw = cursor.cursor
            raw.executemany(head + one + tail, [values(obj) for obj in objects], returning=True)
            while returning:
                returned += [row[0] for row in raw.fetchall()]
                if not raw.nextset():
                    break
            return returned
        size = max(connection.ops.bulk_batch_size(fields, objects), 1)
        for start in range(0, len(objects), size):
            chunk = objects[start : start + size]
            params = [value for obj in chunk for value in values(obj)]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
            if returning:
                returned += [row[0] for row in cursor.fetchall()]
    return returned


@cache
def _statement(model: type[models.Model], vendor: str) -> tuple[list, list, str, str]:
    """A model's columns, how each value is prepared, the INSERT's head and one row's
    placeholders: the same for every call, and a small insert (one confirmation's log entry)
    spent most of its time working them out again (profiled)."""
    fields = [field for field in model._meta.local_concrete_fields if not field.primary_key]
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table), ", ".join(quote(str(field.column)) for field in fields)
    )
    plain = [
        (field.attname, _plain_types(field), field.get_db_prep_save, field.pre_save)
        for field in fields
    ]
    return fields, plain, head, "({})".format(", ".join(["%s"] * len(fields)))


def _row_maker(plain: list, connection) -> Callable[[models.Model], tuple]:
    """A function giving one object's values to store, in the order of the columns."""

    def values(obj: models.Model) -> tuple:
        row = []
        for attname, types, prep_save, pre_save in plain:
            value = obj.__dict__.get(attname) if types else None
            if types and (value is None or type(value) in types):
                row.append(value)
            else:
                row.append(prep_save(pre_save(obj, True), connection))
        return tuple(row)

    return values


def _plain_types(field: models.Field) -> tuple[type, ...]:
    """The value types `field` stores unchanged (None too, for a nullable field)."""
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return _PLAIN.get(type(target), ()) or (
            (int,) if isinstance(target, models.AutoField | models.BigAutoField) else ()
        )
    return _PLAIN.get(type(field), ())
