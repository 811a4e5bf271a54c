"""Reading the authorisation table, listing the schema's operations, and calling one of them
as a persona; used by test_authorisation.py."""

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.test import Client

from concord.api.api import api
from tests.security.calls import CALLS, Call
from tests.security.world import PERSONAS, World

TABLE = Path(__file__).with_name("authorisation.toml")
PREFIX = "/api/v1"
OUTCOMES = ("ok", "denied", "hidden", "refused")
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
    """The rows of authorisation.toml, by operation id (with its variant), as
    {persona: outcome}."""
    rows: dict[str, dict[str, str]] = {}
    for section, entries in tomllib.loads(TABLE.read_text()).items():
        for operation_id, cells in entries.items():
            assert operation_id not in rows, f"{operation_id} has two rows ([{section}])"
            assert len(cells) == len(PERSONAS), (
                f"{operation_id}: {len(cells)} cells, not one per persona {PERSONAS}"
            )
            unknown = set(cells) - set(OUTCOMES)
            assert not unknown, f"{operation_id}: unknown outcome {unknown}, not in {OUTCOMES}"
            rows[operation_id] = dict(zip(PERSONAS, cells, strict=True))
    return rows


def outcome(status: int, *, anonymous: bool) -> str | None:
    """The table's word for an answer, or None for one that says nothing about the right
    (a 422 for the example body, a 400, a 500)."""
    if 200 <= status < 300:
        return "ok"
    if status == 403 or (status == 401 and anonymous):
        return "denied"
    return {404: "hidden", 409: "refused"}.get(status)


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
