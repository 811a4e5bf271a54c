"""NUL characters cannot be stored by PostgreSQL: every API input refuses them with a 422 per
field (or 404 for a path), on every database, instead of failing with a server error."""

import pytest

from concord.accounts.services import create_api_token
from concord.declarations.services import lifecycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def declaration(secretariat):
    draft = lifecycle.create_declaration(secretariat, slug="baku-call", title="T", text="Text")
    return lifecycle.open_declaration(secretariat, draft)


def test_nul_in_a_body_list_is_refused_per_field(client, owner):
    token = create_api_token(owner, "t")[1]
    response = client.post(
        "/api/v1/organisations",
        {"name": "Null Org", "country": "SN", "themes": ["water\x00"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["themes"]


def test_nul_in_a_search_is_refused(client, declaration):
    response = client.get("/api/v1/declarations/baku-call/signatories", {"q": "a\x00"})
    assert response.status_code == 422
    assert client.get("/api/v1/organisations", {"q": "\x00"}).status_code == 422


def test_nul_in_a_path_is_not_found(client, declaration):
    assert client.get("/api/v1/declarations/baku%00call").status_code == 404
    assert client.get("/api/v1/countries/S%00").status_code == 404
