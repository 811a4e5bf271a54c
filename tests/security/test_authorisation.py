"""The authorisation matrix: every operation of /api/v1/openapi.json, called as each persona,
answers as `authorisation.toml` says it may (see that file's header for the personas, the
outcomes and how to add a row); so does each page of its [pages] section, opened with the
persona's browser session.

The objects are built once for the module (`world`) and each call runs inside the test's
own transaction, rolled back after it, so every persona meets the same objects in the same
state: the owner approving an update does not leave it approved for the secretariat.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from concord.core.models import Theme
from concord.core.vocabularies import load_vocabularies
from concord.countries.loader import load_reference_data
from concord.countries.models import Country
from concord.countries.queries import forget_reference_cache
from tests.security.calls import CALLS, PAGE_CALLS
from tests.security.matrix import (
    PREFIX,
    TABLE,
    UNSAFE,
    bearer,
    explain,
    operation_of,
    operations,
    outcome,
    page_outcome,
    page_table,
    send,
    table,
)
from tests.security.world import PERSONAS, build_world

SCHEMA = operations()
ROWS = table()
PAGE_ROWS = page_table()
# Rows whose operation no longer exists fail their own test below, not the collection.
UNSAFE_ROWS = sorted(
    row
    for row in ROWS
    if operation_of(row) in SCHEMA and SCHEMA[operation_of(row)].method in UNSAFE
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The personas and their objects, kept for the module in a transaction that is rolled
    back at its end; each test's own transaction nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Transactional tests elsewhere flush the reference data that migrations load.
        if not Country.objects.exists():
            load_reference_data()
        if not Theme.objects.exists():
            load_vocabularies()
        forget_reference_cache()
        yield build_world()
        transaction.set_rollback(True)


def the_operation(row: str):
    assert operation_of(row) in SCHEMA, (
        f"{TABLE.name} has a row for {row}, which is no operation of the schema: delete it"
    )
    return SCHEMA[operation_of(row)]


def test_every_operation_of_the_schema_has_a_row():
    missing = sorted(set(SCHEMA) - {operation_of(row) for row in ROWS})
    assert not missing, (
        f"Operations without a row in {TABLE.name} (see its header): {', '.join(missing)}"
    )


def test_every_row_names_an_operation_of_the_schema():
    stale = sorted(row for row in ROWS if operation_of(row) not in SCHEMA)
    assert not stale, f"Rows of {TABLE.name} for operations that do not exist: {', '.join(stale)}"


def test_every_row_that_needs_objects_or_a_body_is_given_them():
    missing = sorted(
        row
        for row in ROWS
        if operation_of(row) in SCHEMA and SCHEMA[operation_of(row)].needs_call and row not in CALLS
    )
    assert not missing, f"Rows without an entry in calls.CALLS: {', '.join(missing)}"
    stale = sorted(set(CALLS) - set(ROWS))
    assert not stale, f"Entries of calls.CALLS without a row in {TABLE.name}: {stale}"


def test_the_schema_checked_is_the_one_served(client, db):
    served = client.get(f"{PREFIX}/openapi.json").json()
    ids = {spec["operationId"] for methods in served["paths"].values() for spec in methods.values()}
    assert ids == set(SCHEMA)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", sorted(ROWS))
def test_each_persona_gets_what_the_table_says(world, db, client, row, persona):
    operation = the_operation(row)
    expected = ROWS[row][persona]
    response = send(client, operation, row, world, bearer(world, persona))
    answered = outcome(response.status_code, anonymous=persona == "anonymous")
    assert answered == expected, explain(row, operation, persona, expected, response)


@pytest.mark.parametrize("row", UNSAFE_ROWS)
def test_a_session_without_its_csrf_token_counts_as_anonymous(world, db, row):
    """A page on another site can make a browser send its session cookie, never the CSRF
    token: on a write, such a session must get no more than an anonymous caller."""
    expected = ROWS[row]["anonymous"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["owner"])
    operation = SCHEMA[operation_of(row)]
    response = send(browser, operation, row, world, headers={})
    answered = outcome(response.status_code, anonymous=True)
    assert answered == expected, explain(row, operation, "session, no CSRF", expected, response)


@pytest.mark.parametrize("row", UNSAFE_ROWS)
def test_a_session_with_its_csrf_token_acts_as_its_owner(world, db, row):
    expected = ROWS[row]["owner"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["owner"])
    browser.get("/account/")  # the page sets the CSRF cookie, as a browser would get it
    headers = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    operation = SCHEMA[operation_of(row)]
    response = send(browser, operation, row, world, headers=headers)
    answered = outcome(response.status_code, anonymous=False)
    assert answered == expected, explain(row, operation, "owner's session", expected, response)


def test_every_page_row_is_given_its_path():
    assert sorted(PAGE_ROWS) == sorted(PAGE_CALLS), (
        f"The [pages] rows of {TABLE.name} and calls.PAGE_CALLS must name the same pages"
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", sorted(PAGE_ROWS))
def test_each_persona_gets_the_page_the_table_says(world, db, client, row, persona):
    expected = PAGE_ROWS[row][persona]
    path = reverse(row, kwargs=PAGE_CALLS[row](world))
    if persona != "anonymous":
        client.force_login(world.users[persona])
    response = client.get(path)
    answered = page_outcome(response, path)
    assert answered == expected, (
        f"{row} ({path}) as {persona}: the table says {expected!r}, the page answered "
        f"{response.status_code} {response.get('Location', '')}"
    )


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_my_concord_lists_each_personas_own_things_and_nobody_elses(world, db, client, persona):
    client.force_login(world.users[persona])
    html = client.get(reverse("web:mine")).content.decode()
    missing = [thing for thing in world.own[persona] if thing not in html]
    assert not missing, f"{persona}'s page lacks their own {missing}"
    others = [
        (other, thing)
        for other, things in world.own.items()
        if other != persona
        for thing in things
        if thing in html
    ]
    assert not others, f"{persona}'s page shows what belongs to others: {others}"
