"""What every API router shares: input schemas, pagination and error shapes. (Who the caller
is comes from `concord.accounts.api`.)"""

import dataclasses
import typing
from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.schema import DjangoGetter
from pydantic import BeforeValidator, StrictInt, create_model, field_validator, model_validator

from concord.core.checks import has_nul

# A row's id in a body: a JSON integer, never a boolean or a string, that a database column can
# hold (a larger one would fail in the database instead of being refused as input).
RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


def _no_nul(value: Any) -> None:
    if has_nul(value):
        raise ValueError("contains a null character")


class TextInput(Schema):
    """Input whose text must be storable: PostgreSQL refuses NUL characters, so they are
    refused here, per field, for every body and query schema."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        _no_nul(value)
        return value


class QueryParams(TextInput):
    """Query-string parameters (filters, searches)."""


class Body(TextInput):
    """A JSON request body: an object. (Ninja's Schema reads fields off any value, so an array
    or a number would otherwise pass as an object with every field left at its default.)
    Booleans and integers in bodies are declared Strict*: JSON has the types, so `0` is not
    `false` and `"5"` is not 5, as the schema says."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Ninja hands the parsed JSON over wrapped in its DjangoGetter.
        if not isinstance(data._obj if isinstance(data, DjangoGetter) else data, dict):
            raise ValueError("The body must be a JSON object.")
        return data


def _iso_text(value: Any) -> Any:
    if isinstance(value, int | float):
        raise ValueError("Give a date and time as ISO 8601 text, e.g. 2025-11-10T09:00:00Z.")
    return value


# A date and time as the schema documents it (ISO 8601 text), not also a Unix timestamp.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]


class Detail(Schema):
    """An error answer. Refusals (409, 403, 400, 410) also carry a machine-readable `code`."""

    detail: str
    code: str | None = None


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationDetail(Schema):
    """Invalid input (422): per-field messages, or one message about the input as a whole."""

    detail: list[FieldError] | str


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error answers an endpoint gives, for its `response=`, so the schema documents them:
    400 unreadable body, 401 no valid token, 403 not allowed, 404 not found or not visible,
    409/410 refused now, 422 invalid input, 429 too many attempts (with `Retry-After`)."""
    return {status: ValidationDetail if status == 422 else Detail for status in statuses}


class CountNextPrevious(PaginationBase):
    """Lists answer `{"count", "next", "previous", "results"}`, paged by `?page=`."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int | None = Field(None, ge=1, le=500)

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def __init__(self, page_size: int | None = None, **kwargs):
        self.page_size = page_size or settings.PAGE_SIZE
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: Input, **params):
        request: HttpRequest = params["request"]
        size = pagination.page_size or self.page_size
        offset = (pagination.page - 1) * size
        count = queryset.count() if hasattr(queryset, "count") else len(queryset)
        # Past the end there is nothing to read (and a huge offset would overflow the database).
        results = list(queryset[offset : offset + size]) if offset < count else []

        def link(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "next": link(pagination.page + 1) if offset + size < count else None,
            "previous": link(pagination.page - 1) if pagination.page > 1 else None,
            "results": results,
        }


def schema_of(source: type, name: str, **types: Any) -> type[Schema]:
    """An output schema with the fields of the dataclass `source`, every one required, so a
    result a query returns is described once. `types` replaces a field's type (a nested
    dataclass by its own schema)."""
    hints = typing.get_type_hints(source)
    fields: dict[str, Any] = {
        field.name: (types.get(field.name, hints[field.name]), ...)
        for field in dataclasses.fields(source)
    }
    return create_model(name, __base__=Schema, __module__=source.__module__, **fields)
