"""Reading the authorisation table, listing the schema's operations, and calling one of them
(or one of the pages of the table's [pages] section) as a persona; used by
test_authorisation.py."""

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client

from concord.api.api import api
from tests.security.calls import CALLS, Call
from tests.security.world import PERSONAS, World

TABLE = Path(__file__).with_name("authorisation.toml")
PREFIX = "/api/v1"
OUTCOMES = ("ok", "denied", "hidden", "refused")
# Pages answer a signed-out visitor with the way to sign in, not with a 401.
PAGES = "pages"
PAGE_OUTCOMES = ("ok", "signin", "denied", "hidden")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str  # with {placeholders}, as the schema writes it
    needs_call: bool  # path parameters, a required query or a body: CALLS must say what


def operations() -> dict[str, Operation]:
    """Every operation of /api/v1/openapi.json, by operation id."""
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    found = {}
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            needs = "requestBody" in spec or any(
                p["in"] == "path" or p.get("required") for p in spec.get("parameters", [])
            )
            found[spec["operationId"]] = Operation(spec["operationId"], method.upper(), path, needs)
    return found


def table() -> dict[str, dict[str, str]]:
    """The rows of authorisation.toml about the API, by operation id (with its variant), as
    {persona: outcome}."""
    rows: dict[str, dict[str, str]] = {}
    for section, entries in tomllib.loads(TABLE.read_text()).items():
        if section != PAGES:
            _read_rows(rows, section, entries, OUTCOMES)
    return rows


def page_table() -> dict[str, dict[str, str]]:
    """The rows of the [pages] section, by URL name, as {persona: outcome}."""
    rows: dict[str, dict[str, str]] = {}
    _read_rows(rows, PAGES, tomllib.loads(TABLE.read_text()).get(PAGES, {}), PAGE_OUTCOMES)
    return rows


def _read_rows(rows: dict, section: str, entries: dict, outcomes: tuple[str, ...]) -> None:
    for key, cells in entries.items():
        assert key not in rows, f"{key} has two rows ([{section}])"
        assert len(cells) == len(PERSONAS), (
            f"{key}: {len(cells)} cells, not one per persona {PERSONAS}"
        )
        unknown = set(cells) - set(outcomes)
        assert not unknown, f"{key}: unknown outcome {unknown}, not in {outcomes}"
        rows[key] = dict(zip(PERSONAS, cells, strict=True))


def outcome(status: int, *, anonymous: bool) -> str | None:
    """The table's word for an answer, or None for one that says nothing about the right
    (a 422 for the example body, a 400, a 500)."""
    if 200 <= status < 300:
        return "ok"
    if status == 403 or (status == 401 and anonymous):
        return "denied"
    return {404: "hidden", 409: "refused"}.get(status)


def page_outcome(response: HttpResponse, path: str) -> str | None:
    """The table's word for a page's answer: "signin" only for a redirect to the sign-in page
    that brings the visitor back to `path` afterwards."""
    if response.status_code == 302:
        sign_in = resolve_url(settings.LOGIN_URL)
        expected = f"{sign_in}?{urlencode({'next': path}, safe='/')}"
        return "signin" if response["Location"] == expected else None
    if 200 <= response.status_code < 300:
        return "ok"
    return {403: "denied", 404: "hidden"}.get(response.status_code)


def operation_of(row: str) -> str:
    """`concord_x_api_f:published` is a second row of `concord_x_api_f`, about another object."""
    return row.split(":")[0]


def send(client: Client, operation: Operation, row: str, world: World, headers: dict[str, str]):
    """Make the operation's request, with the objects and body CALLS gives the row."""
    call = CALLS[row](world) if row in CALLS else Call()
    path = operation.path.format(**call.params)
    if call.query:
        path += "?" + urlencode(call.query)
    if call.files is not None:
        return client.post(path, call.files, headers=headers)
    if call.csv is not None:
        data, content_type = call.csv, "text/csv"
    elif call.json is not None:
        data, content_type = json.dumps(call.json), "application/json"
    else:
        data, content_type = "", "application/json"
    return client.generic(operation.method, path, data, content_type, headers=headers)


def bearer(world: World, persona: str) -> dict[str, str]:
    if persona == "anonymous":
        return {}
    return {"Authorization": f"Bearer {world.tokens[persona]}"}


def explain(row: str, operation: Operation, persona: str, expected: str, response) -> str:
    body = response.content[:300].decode(errors="replace")
    return (
        f"{row} ({operation.method} {operation.path}) as {persona}: the table says "
        f"{expected!r}, the API answered {response.status_code} {body}"
    )
