"""Keyset (cursor) pagination: a page starts after (or ends before) the row a cursor names.

An offset makes the database read and throw away every row before the page, so the deepest
page of a long list costs as much as reading the list; a cursor seeks in the index that
holds the list's order and reads one page whatever its depth. The order must end with a
unique field (the primary key), so ties never make a row appear twice or not at all.

A cursor is opaque to callers: the sort values of the row it follows, as URL-safe base64
JSON. A cursor that cannot be read is refused (400) with a clear message, never a 500.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext as _

from concord.core.errors import Refused

# A cursor is a few sort values; anything longer is not one of ours.
CURSOR_MAX = 1000


def bad_cursor() -> Refused:
    return Refused(
        _("This page link is not valid: its cursor cannot be read. Start from the first page."),
        status=400,
        code="bad_cursor",
    )


def encode(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, types: Sequence[type]) -> list[Any]:
    """The sort values a cursor holds, each of the type its field has; `Refused` (400) if
    it was not made by `encode` for this order."""
    if not cursor or len(cursor) > CURSOR_MAX:
        raise bad_cursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_cursor() from None
    if not isinstance(values, list) or len(values) != len(types):
        raise bad_cursor()
    for value, kind in zip(values, types, strict=True):
        # bool is an int in Python, but never one of our keys.
        if not isinstance(value, kind) or isinstance(value, bool) or "\x00" in str(value):
            raise bad_cursor()
    return values


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    # Cursors of the neighbouring pages: None where there is none.
    after: str | None
    before: str | None


@dataclass(frozen=True)
class Keyset:
    """An ascending order over `fields` (model field names, the last one unique) and the
    Python type of each field's value."""

    fields: tuple[str, ...]
    types: tuple[type, ...]

    def beyond(self, queryset: QuerySet, values: list[Any], *, forward: bool) -> QuerySet:
        """Rows strictly after (or before) `values`, as a row-value comparison, which
        SQLite and PostgreSQL both answer by seeking in an index on the same columns
        (Django spells it out as nested ORs on SQLite, which the planner cannot seek on)."""
        model = queryset.model
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(
            f"{table}.{connection.ops.quote_name(model._meta.get_field(name).column)}"
            for name in self.fields
        )
        marks = ", ".join(["%s"] * len(values))
        operator = ">" if forward else "<"
        # Only quoted column names and placeholders are interpolated; values are parameters.
        condition = RawSQL(  # noqa: S611
            f"({columns}) {operator} ({marks})",
            values,
            output_field=BooleanField(),
        )
        # The leading column alone, too: a plain range any planner turns into a seek.
        lead = {f"{self.fields[0]}__{'gte' if forward else 'lte'}": values[0]}
        return queryset.filter(condition, **lead)

    def key(self, row: Any) -> list[Any]:
        return [getattr(row, name) for name in self.fields]

    def page(
        self,
        queryset: QuerySet,
        *,
        size: int,
        after: str = "",
        before: str = "",
        last: bool = False,
    ) -> Page:
        """One page of `queryset` in this order: the first, the one after the cursor
        `after`, the one before the cursor `before`, or the last. One query."""
        forward = not (before or last)
        if after:
            queryset = self.beyond(queryset, decode(after, self.types), forward=True)
        elif before:
            queryset = self.beyond(queryset, decode(before, self.types), forward=False)
        order = self.fields if forward else tuple(f"-{name}" for name in self.fields)
        rows = list(queryset.order_by(*order)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if not forward:
            rows.reverse()
        if not rows:
            # Past either end: offer the way back to where there are rows.
            return Page(rows, None, after or None) if forward else Page(rows, before or None, None)
        first, final = encode(self.key(rows[0])), encode(self.key(rows[-1]))
        if forward:
            return Page(rows, after=final if more else None, before=first if after else None)
        return Page(rows, after=final if before else None, before=first if more else None)


@dataclass(frozen=True)
class Position:
    """Where a request asks a list to start: `?after=`, `?before=`, `?page=last` (the end),
    or nothing (the start)."""

    after: str = ""
    before: str = ""
    last: bool = False


CURSOR_PARAMETERS = ("after", "before", "page")


def position(after: str = "", before: str = "", page: str = "") -> Position:
    """The position asked for. Lists paged by cursor have no page numbers; `page=1` (the
    first page) and `page=last` still mean something, and any other number is refused
    (400) rather than answered with the first page, which a client counting pages would
    read for ever."""
    if page not in ("", "1", "last"):
        raise Refused(
            _("This list has no page numbers: follow its next and previous links."),
            status=400,
            code="no_page_numbers",
        )
    if after and before:
        raise bad_cursor()
    return Position(after=after, before=before, last=page == "last" and not (after or before))


def position_of(query: QueryDict) -> Position:
    return position(query.get("after", ""), query.get("before", ""), query.get("page", ""))


def link(query: QueryDict, **changes: str) -> str:
    """The query string `?…` of a neighbouring page: the request's own parameters (filters)
    with its position replaced by `changes`."""
    query = query.copy()
    for name in CURSOR_PARAMETERS:
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    return f"?{query.urlencode()}" if query else "?"
