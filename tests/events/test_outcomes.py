"""Declarations adopted at an event, open only to its registered or checked-in participants."""

import pytest

from concord.accounts.services import create_api_token
from concord.core.errors import Refused
from concord.declarations import services as declarations
from concord.declarations.models import Declaration, Signature
from concord.events.models import Outcome
from concord.events.services.checkin import badge_code, check_in
from tests.events.conftest import register
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def adopted_at(event, secretariat, eligibility: str) -> Declaration:
    draft = declarations.create_declaration(
        secretariat,
        slug=f"dakar-call-{eligibility}",
        title="The Dakar Call",
        text="We, the participants, call for action.",
        eligibility=eligibility,
    )
    Outcome.objects.create(event=event, declaration=draft)  # linking is a declarations service
    return declarations.open_declaration(secretariat, draft)


def sign(declaration, user, email=None):
    return declarations.sign(
        declaration,
        declarations.SignatureInput(name=user.name, email=email or user.email, country="SN"),
        declarations.Context(user=user, ip="198.51.100.7"),
    )


def test_registered_participants_may_sign_and_others_are_refused(event, secretariat, outsider):
    declaration = adopted_at(event, secretariat, "registered")
    participant = make_user("participant@example.org", name="Moussa Ba")
    register(event, participant)
    assert sign(declaration, participant).status == Signature.Status.CONFIRMED
    with pytest.raises(Refused) as refusal:
        sign(declaration, outsider)
    assert refusal.value.status == 403 and refusal.value.code == "not_eligible"
    assert "registered for the event" in refusal.value.message


def test_a_participant_signing_without_an_account_is_matched_by_address(event, secretariat):
    declaration = adopted_at(event, secretariat, "registered")
    register(event, make_user("aissatou@example.org"))
    signature = declarations.sign(
        declaration,
        declarations.SignatureInput(name="Aissatou", email="Aissatou@Example.org", country="SN"),
        declarations.Context(ip="198.51.100.7"),
    )
    assert signature.status == Signature.Status.PENDING  # confirms by the emailed link


def test_waiting_list_and_cancelled_registrations_do_not_count(event, secretariat):
    declaration = adopted_at(event, secretariat, "registered")
    register(event), register(event)
    waiting = register(event)
    assert waiting.status == "waiting"
    with pytest.raises(Refused):
        sign(declaration, waiting.user)


def test_checked_in_only_requires_a_check_in(event, secretariat):
    declaration = adopted_at(event, secretariat, "attended")
    registration = register(event)
    with pytest.raises(Refused) as refusal:
        sign(declaration, registration.user)
    assert "checked in" in refusal.value.message
    check_in(secretariat, event, badge_code(registration))
    assert sign(declaration, registration.user).status == Signature.Status.CONFIRMED


def test_the_api_enforces_the_same_rule(client, event, secretariat, outsider):
    declaration = adopted_at(event, secretariat, "registered")
    body = {"name": "Chidi", "email": outsider.email, "country": "NG"}
    response = client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures", body, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "not_eligible"
    participant = make_user("api-participant@example.org", name="Ama")
    register(event, participant)
    _, token = create_api_token(participant, "test")
    response = client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures",
        {"name": "Ama", "email": participant.email, "country": "GH"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202 and response.json()["status"] == "confirmed"


def test_the_event_page_links_its_outcomes(client, event, secretariat):
    declaration = adopted_at(event, secretariat, "registered")
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert f"/declarations/{declaration.slug}/" in page and "The Dakar Call" in page


def test_the_declaration_form_needs_the_event_for_participants_only(client, event, secretariat):
    client.force_login(secretariat)
    data = {
        "slug": "forum-call",
        "title": "Forum call",
        "text": "We call.",
        "language": "en",
        "eligibility": "registered",
    }
    response = client.post("/declarations/new/", data)
    assert response.status_code == 200 and not Declaration.objects.filter(slug="forum-call")
    response = client.post("/declarations/new/", {**data, "event": event.slug})
    assert response.status_code == 302
    declaration = Declaration.objects.get(slug="forum-call")
    assert declaration.event_outcome.event == event
