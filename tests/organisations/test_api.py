"""The organisations API: directory, applications and their review, with tokens."""

import pytest

from concord.accounts.services import create_api_token
from concord.core.models import Theme
from concord.organisations.models import Organisation
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "name": "Pacific Youth Climate Voices",
    "country": "fj",
    "city": "Suva",
    "kind": "network",
    "website": "https://pycv.example.org",
    "themes": ["oceans-coasts"],
    "sdgs": [13, 14],
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


def test_directory_is_public_and_paginated(client, member_org, pending_org):
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "Mangrove Keepers"
    assert body["results"][0]["country"] == "SN"
    assert set(body) == {"count", "next", "previous", "results"}


def test_pagination_links(client):
    for index in range(3):
        OrganisationFactory(name=f"Member {index}")
    body = client.get("/api/v1/organisations", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert "page=2" in body["next"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_apply_with_a_token(client, owner):
    response = client.post(
        "/api/v1/organisations", APPLICATION, content_type="application/json", **bearer(owner)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["country"] == "FJ"
    assert body["themes"] == ["oceans-coasts"]
    assert Organisation.objects.get(pk=body["id"]).representatives.get().user == owner


def test_apply_without_a_token_is_401(client):
    response = client.post("/api/v1/organisations", APPLICATION, content_type="application/json")
    assert response.status_code == 401
    assert "detail" in response.json()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "QQ"}, "country"),
        ({"name": "x" * 201}, "name"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"name": "<b>Bold</b> Org"}, "name"),
        ({"sdgs": [18]}, "sdgs"),
        ({"themes": ["astrology"]}, "themes"),
    ],
)
def test_bad_input_is_422_per_field_and_writes_nothing(client, owner, changes, field):
    response = client.post(
        "/api/v1/organisations",
        {**APPLICATION, **changes},
        content_type="application/json",
        **bearer(owner),
    )
    assert response.status_code == 422, response.content
    fields = [error["loc"][-1] for error in response.json()["detail"]]
    assert field in fields
    assert not Organisation.objects.exists()


def test_duplicate_application_is_refused(client, owner, outsider):
    client.post(
        "/api/v1/organisations", APPLICATION, content_type="application/json", **bearer(owner)
    )
    again = {**APPLICATION, "name": "pacific youth climate  voices"}
    response = client.post(
        "/api/v1/organisations", again, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 422
    assert "already applied" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_review_by_staff_token(client, secretariat, pending_org):
    listing = client.get("/api/v1/membership-applications", **bearer(secretariat)).json()
    assert [item["name"] for item in listing["results"]] == ["Delta Youth Network"]
    response = client.post(
        f"/api/v1/membership-applications/{pending_org.pk}/approve", **bearer(secretariat)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "member"


def test_reject_needs_a_reason(client, secretariat, pending_org):
    response = client.post(
        f"/api/v1/membership-applications/{pending_org.pk}/reject",
        {"reason": ""},
        content_type="application/json",
        **bearer(secretariat),
    )
    assert response.status_code == 422
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"


@pytest.mark.parametrize("persona", ["owner", "colleague", "outsider"])
def test_non_staff_cannot_review(client, request, pending_org, persona):
    user = request.getfixturevalue(persona)
    assert client.get("/api/v1/membership-applications", **bearer(user)).status_code == 403
    response = client.post(
        f"/api/v1/membership-applications/{pending_org.pk}/approve", **bearer(user)
    )
    assert response.status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"


def test_pending_application_is_hidden_from_outsiders(client, outsider, owner, pending_org):
    assert client.get(f"/api/v1/organisations/{pending_org.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/organisations/{pending_org.pk}", **bearer(outsider)).status_code == 404
    )
    assert client.get(f"/api/v1/organisations/{pending_org.pk}", **bearer(owner)).status_code == 200


def test_patch_by_owner_and_refusal_for_outsider(client, owner, outsider, member_org):
    response = client.patch(
        f"/api/v1/organisations/{member_org.pk}",
        {"city": "Ziguinchor"},
        content_type="application/json",
        **bearer(owner),
    )
    assert response.status_code == 200 and response.json()["city"] == "Ziguinchor"
    response = client.patch(
        f"/api/v1/organisations/{member_org.pk}",
        {"city": "Elsewhere"},
        content_type="application/json",
        **bearer(outsider),
    )
    assert response.status_code == 403
    member_org.refresh_from_db()
    assert member_org.city == "Ziguinchor"


def test_patch_with_null_lists_clears_themes_and_sdgs(client, owner, member_org):
    member_org.themes.set(Theme.objects.filter(slug="adaptation"))
    response = client.patch(
        f"/api/v1/organisations/{member_org.pk}",
        {"themes": None, "sdgs": None},
        content_type="application/json",
        **bearer(owner),
    )
    assert response.status_code == 200
    assert response.json()["themes"] == [] and response.json()["sdgs"] == []
    assert not member_org.themes.exists() and not member_org.sdgs.exists()


def test_openapi_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/countries",
        "/api/v1/countries/groups",
        "/api/v1/organisations",
        "/api/v1/organisations/{pk}",
    ]:
        assert path in schema["paths"], path
