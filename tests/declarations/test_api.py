"""The declarations API: the stable contract other tools rely on."""

import re

import pytest
from django.core import mail

from concord.accounts.services import create_api_token
from concord.declarations.models import Signature

pytestmark = pytest.mark.django_db

SIGNATURE = {
    "name": "Ana Silva",
    "email": "ana@example.org",
    "country": "MZ",
    "kind": "individual",
    "show_name": True,
}


@pytest.fixture
def staff(secretariat):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(secretariat, 'tests')[1]}"}


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def opened(client, staff):
    response = post(
        client,
        "/api/v1/declarations",
        {
            "slug": "cop-call",
            "title": "A Call from COP",
            "text": "We call.",
            "language": "en",
            "goal": 100,
        },
        **staff,
    )
    assert response.status_code == 201, response.content
    assert (
        post(
            client,
            "/api/v1/declarations/cop-call/translations",
            {"language": "fr", "title": "Un appel", "text": "Nous appelons."},
            **staff,
        ).status_code
        == 201
    )
    response = post(client, "/api/v1/declarations/cop-call/open", {}, **staff)
    assert response.status_code == 200 and response.json()["status"] == "open"
    return response.json()


def test_the_whole_flow(client, staff, opened, django_capture_on_commit_callbacks):
    assert all(len(text["sha256"]) == 64 for text in opened["texts"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "/api/v1/declarations/cop-call/signatures", SIGNATURE)
    assert response.status_code == 202 and response.json() == {"status": "pending"}
    body = mail.outbox[-1].body  # the stored copy loses its link once sent
    token = re.search(r"/confirm/([\w-]+)/", body).group(1)
    response = post(client, "/api/v1/declarations/cop-call/signatures/confirm", {"token": token})
    assert response.status_code == 200 and response.json() == {"status": "confirmed"}
    stats = client.get("/api/v1/declarations/cop-call/stats").json()
    expected = {
        "signatures",
        "organisations",
        "individuals",
        "countries",
        "un_member_states",
        "un_member_states_share",
        "population",
        "population_share",
        "population_year",
        "groups",
        "by_region",
        "by_country",
        "as_of",
    }
    assert expected <= set(stats)
    assert stats["signatures"] == 1 and stats["countries"] == 1
    assert stats["un_member_states_share"] == pytest.approx(1 / 193)
    assert 0 < stats["population_share"] < 1
    assert stats["by_country"][0]["country"] == "MZ" and stats["by_country"][0]["signatures"] == 1
    listing = client.get("/api/v1/declarations/cop-call/signatories").json()
    assert listing["count"] == 1 and listing["results"][0]["name"] == "Ana Silva"
    assert "email" not in listing["results"][0]
    assert post(client, "/api/v1/declarations/cop-call/close", {}, **staff).json()[
        "final_export_sha256"
    ]
    assert (
        post(client, "/api/v1/declarations/cop-call/publish", {}, **staff).json()["status"]
        == "published"
    )


def test_duplicate_is_answered_like_a_new_one_and_invalid_is_422(client, opened):
    first = post(client, "/api/v1/declarations/cop-call/signatures", SIGNATURE)
    assert first.status_code == 202
    response = post(
        client,
        "/api/v1/declarations/cop-call/signatures",
        {**SIGNATURE, "email": "ANA@example.org"},
    )
    assert (response.status_code, response.content) == (202, first.content)
    response = post(
        client,
        "/api/v1/declarations/cop-call/signatures",
        {**SIGNATURE, "email": "b@example.org", "country": "XX"},
    )
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["country"]
    response = post(
        client, "/api/v1/declarations/cop-call/signatures", {**SIGNATURE, "name": "x" * 151}
    )
    assert response.status_code == 422
    assert Signature.objects.count() == 1


def test_signing_a_draft_is_409(client, staff):
    post(client, "/api/v1/declarations", {"slug": "draft-one", "title": "T", "text": "T"}, **staff)
    assert client.get("/api/v1/declarations/draft-one").status_code == 404  # drafts are private
    response = post(client, "/api/v1/declarations/draft-one/signatures", SIGNATURE)
    assert response.status_code in (404, 409)
    assert not Signature.objects.exists()


def test_forged_token_is_400(client, opened):
    response = post(client, "/api/v1/declarations/cop-call/signatures/confirm", {"token": "forged"})
    assert response.status_code == 400 and response.json()["detail"]


def test_import_dry_run_and_import(client, staff, opened):
    csv_body = "name,email,country,kind,organisation,role,show_name\nA,a@example.org,SN,individual,,,yes\nB,,SN,individual,,,yes\n"
    url = "/api/v1/declarations/cop-call/signatures/import"
    response = client.post(url + "?dry_run=1", csv_body, content_type="text/csv", **staff)
    assert response.status_code == 200, response.content
    assert response.json()["imported"] == 0 and response.json()["errors"] == [
        {"line": 3, "field": "email", "reason": "Enter a valid email address."}
    ]
    response = client.post(url, csv_body, content_type="text/csv", **staff)
    assert response.json()["imported"] == 1
    assert client.get("/api/v1/declarations/cop-call/stats").json()["signatures"] == 1
    response = client.post(url, "bad,header\n", content_type="text/csv", **staff)
    assert response.status_code == 422


def test_staff_endpoints_refuse_others(client, opened, outsider):
    token = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(outsider, 'x')[1]}"}
    assert (
        post(
            client, "/api/v1/declarations", {"slug": "mine", "title": "T", "text": "T"}, **token
        ).status_code
        == 403
    )
    assert post(client, "/api/v1/declarations/cop-call/close", {}, **token).status_code == 403
    assert post(client, "/api/v1/declarations/cop-call/close", {}).status_code == 401
    url = "/api/v1/declarations/cop-call/signatures/import"
    assert client.post(url, "x", content_type="text/csv", **token).status_code == 403


def test_schema_documents_the_contract(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/declarations",
        "/api/v1/declarations/{slug}/open",
        "/api/v1/declarations/{slug}/close",
        "/api/v1/declarations/{slug}/publish",
        "/api/v1/declarations/{slug}/translations",
        "/api/v1/declarations/{slug}/signatures",
        "/api/v1/declarations/{slug}/signatures/confirm",
        "/api/v1/declarations/{slug}/signatures/import",
        "/api/v1/declarations/{slug}/stats",
        "/api/v1/declarations/{slug}/signatories",
    ]:
        assert path in paths, path
