"""A signed-in person downloads one JSON file holding what the platform keeps about them,
and only about them."""

import json

import pytest

from concord.accounts.services import create_api_token
from concord.declarations.services import signing
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.results import UpdateFactory

pytestmark = pytest.mark.django_db


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get("/account/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="concord-my-data-')
    return json.loads(response.content)


def test_the_file_holds_the_persons_account_organisations_signatures_and_more(
    client, owner, member_org
):
    declaration = DeclarationFactory(opened=True, slug="baku-call")
    SignatureFactory(
        declaration=declaration,
        email="owner@example.org",
        name="Awa O.",
        show_name=False,
        confirmed=True,
    )
    event = EventFactory(title="Dakar Forum")
    question = event.questions.create(label="Dietary needs", kind="text")
    RegistrationFactory(event=event, user=owner, answers={str(question.pk): "Vegetarian"})
    PracticeFactory(organisation=member_org, title="Mangrove belts", created_by=owner)
    _token, secret = create_api_token(owner, "CRM sync")

    data = download(client, owner)

    assert data["account"]["email"] == "owner@example.org"
    assert data["account"]["name"] == "Awa Owner"
    [organisation] = data["organisations"]
    assert (organisation["organisation"], organisation["role"]) == ("Mangrove Keepers", "admin")
    [signature] = data["signatures"]
    assert signature["declaration"] == "baku-call"
    assert signature["name"] == "Awa O."
    assert signature["name_shown"] is False
    assert signature["status"] == "confirmed"
    assert signature["country"] == "SN"
    [registration] = data["event_registrations"]
    assert registration["event"] == "Dakar Forum"
    assert registration["answers"] == [{"question": "Dietary needs", "answer": "Vegetarian"}]
    assert [p["title"] for p in data["case_studies"]] == ["Mangrove belts"]
    assert [t["name"] for t in data["api_tokens"]] == ["CRM sync"]
    assert secret not in json.dumps(data)
    assert secret[:10] not in json.dumps(data)


def test_a_signature_made_while_signed_in_is_in_the_file(client, outsider):
    declaration = DeclarationFactory(opened=True)
    signing.sign(
        declaration,
        signing.SignatureInput(name="Chidi", email="outsider@example.org", country="NG"),
        signing.Context(user=outsider, ip="198.51.100.9"),
    )

    assert [s["country"] for s in download(client, outsider)["signatures"]] == ["NG"]


def test_results_updates_the_person_wrote_are_in_the_file(client, owner, member_org):
    update = UpdateFactory(
        period__indicator__result__project__organisation=member_org,
        user=owner,
        narrative="Planted 2,000 seedlings",
    )
    assert update.author == owner

    [row] = download(client, owner)["results_updates"]
    assert row["narrative"] == "Planted 2,000 seedlings"


def test_an_outsider_gets_only_their_own_data(client, owner, outsider):
    SignatureFactory(email="owner@example.org", name="Awa Owner", confirmed=True)

    data = download(client, outsider)

    assert data["account"]["email"] == "outsider@example.org"
    assert data["signatures"] == []
    assert "owner@example.org" not in json.dumps(data)
    assert "Awa Owner" not in json.dumps(data)


def test_an_unverified_address_does_not_reach_someone_elses_signature(client, outsider):
    SignatureFactory(email="victim@example.org", name="Victim", confirmed=True)
    outsider.emailaddress_set.create(email="victim@example.org", verified=False)

    assert download(client, outsider)["signatures"] == []


def test_nobody_signed_out_gets_a_file(client):
    response = client.get("/account/my-data/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_account_page_links_to_the_download_and_the_deletion(client, owner):
    client.force_login(owner)
    page = client.get("/account/").content.decode()
    assert 'href="/account/my-data/"' in page
    assert 'href="/account/delete/"' in page
