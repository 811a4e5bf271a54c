"""The API answers as its OpenAPI schema says, for any request schemathesis can make.

Every operation of /api/v1/openapi.json is called in-process (WSGI) with generated valid and
invalid input, as a staff member, against a seeded open declaration, a member organisation
and a pending application, so that paths reach real data as well as missing data. Checked:
no 5xx, every status code documented, every body valid against its schema, content types
as declared, invalid input refused and auth not ignored.
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from concord.accounts.models import ApiToken, hash_token
from concord.accounts.services import create_api_token
from concord.api.api import api
from concord.declarations.services import lifecycle, signing
from concord.wsgi import application
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]
# The staff member's token. Fixed, because schemathesis builds some cases (and their auth)
# when it collects the tests, before any fixture has run.
TOKEN = "cnc_schemathesis-staff-token"
# The real rows that path parameters point at (fixed for the same reason).
SLUG, MEMBER, PENDING = "baku-call", 101, 102


@pytest.fixture
def seeded(db):
    """A staff member with a token, an open declaration with a pending and a confirmed
    signature, a member organisation (staff is its admin) and a pending application."""
    staff = UserFactory(email="staff@example.org", staff=True, name="Leyla Secretariat")
    draft = lifecycle.create_declaration(
        staff, slug=SLUG, title="The Baku Call", text="We call.", language="en"
    )
    declaration = lifecycle.open_declaration(staff, draft)
    for email in ("pending@example.org", "staff@example.org"):
        signing.sign(
            declaration,
            signing.SignatureInput(name="Fatou Sow", email=email, country="SN"),
            signing.Context(ip="198.51.100.7", user=staff if email.startswith("staff") else None),
        )
    member = OrganisationFactory(name="Mangrove Keepers", country_id="SN", admin=staff, id=MEMBER)
    RepresentativeFactory(organisation=member, user=UserFactory(email="colleague@example.org"))
    pending = OrganisationFactory(
        name="Delta Youth Network", country_id="BD", status="pending", admin=staff, id=PENDING
    )
    token, _ = create_api_token(staff, "schemathesis")
    ApiToken.objects.filter(pk=token.pk).update(key_hash=hash_token(TOKEN))
    return declaration, member, pending


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app; Django's test client does the same with these
    signals: closing "old" connections after each request would close the connection that
    holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The same document /api/v1/openapi.json serves (test_the_schema_is_the_one_served checks),
# built without a request so that it loads at collection, outside any database transaction.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
)
schema.app = application


def _real(value, name: str, path: str):
    """The seeded row for a valid parameter; an invalid one (a negative case) stays as is."""
    if name == "slug" and isinstance(value, str):
        return SLUG
    if name == "pk" and isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return PENDING if "membership-applications" in path else MEMBER
    if name == "code" and isinstance(value, str):
        return "SN"
    return value


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Mostly the real rows, sometimes what was generated (a row that is missing)."""
    if not path_parameters:
        return st.just(path_parameters)
    path = context.operation.path
    real = {name: _real(value, name, path) for name, value in path_parameters.items()}
    return st.sampled_from([real, real, real, path_parameters])


@schema.auth(refresh_interval=None)
class StaffToken:
    """Every call carries the seeded staff member's token."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, seeded):
    # identity: the WSGI transport does not undo GZipMiddleware's compression.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)


def test_the_schema_is_the_one_served(client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == schema.raw_schema


def test_the_seeded_paths_are_real(seeded, client):
    """Guard for the hook above: the seeded rows answer 200, so the run reaches real data."""
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    for path in (
        f"/api/v1/declarations/{SLUG}",
        f"/api/v1/organisations/{MEMBER}",
        f"/api/v1/organisations/{PENDING}",
    ):
        assert client.get(path, **bearer).status_code == 200, path
