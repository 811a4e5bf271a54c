"""Declarations open to member representatives or an event's participants check the signed-in
person, so they record only that person's own address, once: the database keeps one
signature per user and declaration."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from concord.accounts.services import create_api_token
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_minimum_time(settings):
    settings.SIGN_MIN_SECONDS = 0


def opened(secretariat, eligibility: str, **fields):
    draft = lifecycle.create_declaration(
        secretariat,
        slug=f"call-{eligibility}",
        title="The call",
        text="We call.",
        eligibility=eligibility,
        **fields,
    )
    return lifecycle.open_declaration(secretariat, draft)


def made_up(n: int) -> dict:
    return {"name": f"Nobody {n}", "email": f"nobody{n}@example.org", "country": "SN"}


def test_a_representative_cannot_sign_for_made_up_addresses_on_the_page(
    client, secretariat, member_org, owner
):
    declaration = opened(secretariat, "members")
    client.force_login(owner)
    with translation.override("en"):
        url = reverse("declarations:sign", args=[declaration.slug])
    for n in range(3):
        response = client.post(url, {**made_up(n), "kind": "individual"})
        assert response.status_code == 422
        assert "address of your account" in response.content.decode()
    assert not Signature.objects.exists()
    client.post(
        url, {"name": owner.name, "email": owner.email, "country": "SN", "kind": "individual"}
    )
    assert list(Signature.objects.values_list("email", "user")) == [(owner.email, owner.pk)]


def test_a_participant_cannot_sign_for_made_up_addresses_through_the_api(client, secretariat):
    event = EventFactory(created_by=secretariat, slug="forum", title="Forum", capacity=5)
    declaration = opened(secretariat, "registered", event=event.slug)
    participant = RegistrationFactory(event=event).user
    _, token = create_api_token(participant, "test")
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    for n in range(3):
        response = client.post(
            url, made_up(n), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 422
    assert not Signature.objects.exists()


def test_the_database_keeps_one_signature_per_user(declaration, owner):
    Signature.objects.create(
        declaration=declaration,
        email="a@example.org",
        name="A",
        country_id="SN",
        kind="individual",
        user=owner,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            declaration=declaration,
            email="b@example.org",
            name="B",
            country_id="SN",
            kind="individual",
            user=owner,
        )
    # Signatures without a user (by email, imported) are not limited by it.
    for email in ("c@example.org", "d@example.org"):
        Signature.objects.create(
            declaration=declaration, email=email, name="C", country_id="SN", kind="individual"
        )
