"""Every POST of /api/v1, sent twice with the same Idempotency-Key and body, does its work
once and answers the same both times; the same key with another body is refused (422).

The operations come from the OpenAPI schema and their calls from the authorisation matrix
(calls.py), as a persona the table lets through, so a new endpoint is covered without a line
here. "Once" is measured on the database: after the second request no table of the project
has gained or lost a row, and the answers kept for keys are the only writes allowed.
"""

import pytest
from django.apps import apps

from concord.core.models import IdempotentRequest
from tests.security.calls import CALLS, Call
from tests.security.matrix import bearer, operation_of, operations, send, table
from tests.security.test_authorisation import world  # noqa: F401 (the module's objects)
from tests.security.world import PERSONAS

SCHEMA = operations()
ROWS = table()
# One row per POST operation, called by the first persona the table lets through.
POSTS = sorted(
    (row, next(p for p in reversed(PERSONAS) if ROWS[row][p] == "ok"))
    for row in ROWS
    if operation_of(row) in SCHEMA
    and SCHEMA[operation_of(row)].method == "POST"
    and "ok" in ROWS[row].values()
)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "accounts", "countries"}
        or model.__module__.startswith("concord.")
    }


def with_key(headers: dict, key: str) -> dict:
    return {**headers, "Idempotency-Key": key}


def other(call: Call) -> Call:
    """The same call with another body."""
    if call.json is not None:
        return Call(call.params, {**call.json, "another": "body"}, query=call.query)
    if call.csv is not None:
        return Call(call.params, csv=call.csv + "\n", query=call.query)
    if call.files is not None:
        files = {name: upload for name, upload in call.files.items()}
        return Call(call.params, files={**files, "another": "body"}, query=call.query)
    return Call(call.params, json={"another": "body"}, query=call.query)


def test_there_are_posts_to_check():
    assert len(POSTS) > 20


@pytest.mark.parametrize(("row", "persona"), POSTS)
def test_the_same_key_and_body_is_one_effect_and_the_same_answer(world, db, client, row, persona):  # noqa: F811
    operation = SCHEMA[operation_of(row)]
    headers = with_key(bearer(world, persona), f"key-{row}")
    first = send(client, operation, row, world, headers)
    assert 200 <= first.status_code < 300, first.content[:300]
    before = row_counts()
    second = send(client, operation, row, world, headers)
    assert second.status_code == first.status_code
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert row_counts() == before, f"{row}: the second request changed the database"


@pytest.mark.parametrize(("row", "persona"), POSTS)
def test_the_same_key_with_another_body_is_refused(world, db, client, row, persona):  # noqa: F811
    operation = SCHEMA[operation_of(row)]
    headers = with_key(bearer(world, persona), f"key-{row}")
    assert send(client, operation, row, world, headers).status_code < 300
    before = row_counts()
    call = CALLS[row](world) if row in CALLS else Call()
    changed = {row: lambda _world: other(call)}
    original = dict(CALLS)
    CALLS.update(changed)
    try:
        refused = send(client, operation, row, world, headers)
    finally:
        CALLS.clear()
        CALLS.update(original)
    assert refused.status_code == 422
    assert "another request" in refused.json()["detail"]
    assert row_counts() == before


def test_keys_belong_to_their_caller(world, db, client):  # noqa: F811
    """Another caller using the same key runs its own request."""
    row, _persona = next((row, p) for row, p in POSTS if ROWS[row]["member"] == "ok")
    operation = SCHEMA[operation_of(row)]
    send(client, operation, row, world, with_key(bearer(world, "owner"), "shared"))
    send(client, operation, row, world, with_key(bearer(world, "member"), "shared"))
    assert IdempotentRequest.objects.filter(key="shared").values("scope").distinct().count() == 2


def test_an_answer_not_judged_is_not_kept(world, db, client):  # noqa: F811
    """A 401 (no valid token) leaves the key free for the real attempt."""
    row, _persona = POSTS[0]
    operation = SCHEMA[operation_of(row)]
    bad = with_key({"Authorization": "Bearer nonsense"}, "retry-me")
    assert send(client, operation, row, world, bad).status_code == 401
    assert not IdempotentRequest.objects.filter(key="retry-me").exists()
