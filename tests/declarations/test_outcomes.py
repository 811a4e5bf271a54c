"""Declarations adopted at an event, open only to its registered or checked-in participants;
the link between them is a declarations service (events knows nothing of declarations)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.core.errors import Refused
from concord.declarations.models import Declaration, Signature
from concord.declarations.services import lifecycle, outcomes, signing
from concord.events.models import Outcome
from concord.events.services.checkin import badge_code, check_in
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(secretariat):
    """A forum in Dakar with two seats."""
    return EventFactory(
        created_by=secretariat, slug="dakar-forum", title="National NGO Forum", capacity=2
    )


def adopted_at(event, secretariat, eligibility: str) -> Declaration:
    draft = lifecycle.create_declaration(
        secretariat,
        slug=f"dakar-call-{eligibility}",
        title="The Dakar Call",
        text="We, the participants, call for action.",
        eligibility=eligibility,
        event=event.slug,
    )
    return lifecycle.open_declaration(secretariat, draft)


def sign(declaration, user, email=None):
    return signing.sign(
        declaration,
        signing.SignatureInput(name=user.name, email=email or user.email, country="SN"),
        signing.Context(user=user, ip="198.51.100.7"),
    )


def test_registered_participants_may_sign_and_others_are_refused(event, secretariat, outsider):
    declaration = adopted_at(event, secretariat, "registered")
    participant = UserFactory(email="participant@example.org", name="Moussa Ba")
    RegistrationFactory(event=event, user=participant)
    assert sign(declaration, participant).status == Signature.Status.CONFIRMED
    with pytest.raises(Refused) as refusal:
        sign(declaration, outsider)
    assert refusal.value.status == 403 and refusal.value.code == "not_eligible"
    assert "registered for the event" in refusal.value.message


def test_a_participant_signing_without_an_account_is_matched_by_address(event, secretariat):
    declaration = adopted_at(event, secretariat, "registered")
    RegistrationFactory(event=event, user=UserFactory(email="aissatou@example.org"))
    signature = signing.sign(
        declaration,
        signing.SignatureInput(name="Aissatou", email="Aissatou@Example.org", country="SN"),
        signing.Context(ip="198.51.100.7"),
    )
    assert signature.status == Signature.Status.PENDING  # confirms by the emailed link


def test_waiting_list_and_cancelled_registrations_do_not_count(event, secretariat):
    declaration = adopted_at(event, secretariat, "registered")
    RegistrationFactory(event=event), RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    assert waiting.status == "waiting"
    with pytest.raises(Refused):
        sign(declaration, waiting.user)


def test_checked_in_only_requires_a_check_in(event, secretariat):
    declaration = adopted_at(event, secretariat, "attended")
    registration = RegistrationFactory(event=event)
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
    # Without an account the address is judged, and the answer does not tell the result.
    assert response.status_code == 202 and response.json() == {"status": "pending"}
    assert not Signature.objects.filter(email=outsider.email).exists()
    participant = UserFactory(email="api-participant@example.org", name="Ama")
    RegistrationFactory(event=event, user=participant)
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


def test_only_managers_of_both_link_a_declaration(event, secretariat, outsider):
    draft = lifecycle.create_declaration(secretariat, slug="x-call", title="X", text="Y")
    with pytest.raises(PermissionDenied):
        outcomes.link_outcome(outsider, event, draft)
    outcomes.link_outcome(secretariat, event, draft)
    with pytest.raises(Refused) as refusal:
        outcomes.link_outcome(secretariat, event, draft)
    assert refusal.value.status == 409 and refusal.value.code == "already_linked"


LINK = "declarations:link_outcome"
FORM = {
    "slug": "forum-call",
    "title": "Forum call",
    "text": "We call.",
    "language": "en",
    "eligibility": "registered",
}


def test_a_participants_declaration_needs_its_event_on_the_page_and_in_the_api(
    client, event, secretariat
):
    """Without the event nobody could ever sign: the service refuses it, so the page and the
    API answer the same 422 with the message on the event field, and nothing is created."""
    client.force_login(secretariat)
    page = client.post("/declarations/new/", FORM)
    assert page.status_code == 422
    assert page.context["form"].errors["event"] == ["Choose the event whose participants may sign."]
    _, token = create_api_token(secretariat, "test")
    headers = {"Authorization": f"Bearer {token}"}
    api = client.post(
        "/api/v1/declarations", FORM, content_type="application/json", headers=headers
    )
    assert api.status_code == 422
    assert api.json()["detail"] == [
        {
            "loc": ["body", "event"],
            "msg": "Choose the event whose participants may sign.",
            "type": "value_error",
        }
    ]
    assert not Declaration.objects.exists()
    with pytest.raises(Exception, match="Choose the event"):
        lifecycle.create_declaration(secretariat, **{**FORM, "slug": "direct"})
    assert not Declaration.objects.exists()

    # With the event, both create it linked; an unknown event is refused on its field.
    unknown = client.post(
        "/api/v1/declarations",
        {**FORM, "event": "no-such-event"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "event"]
    assert client.post("/declarations/new/", {**FORM, "event": event.slug}).status_code == 302
    api = client.post(
        "/api/v1/declarations",
        {**FORM, "slug": "api-call", "event": event.slug},
        content_type="application/json",
        headers=headers,
    )
    assert api.status_code == 201
    for slug in ("forum-call", "api-call"):
        assert Declaration.objects.get(slug=slug).event_outcome.event == event


def test_a_declaration_for_anyone_needs_no_event(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/declarations/new/", {**FORM, "eligibility": "anyone"})
    assert response.status_code == 302
    assert not Outcome.objects.exists()


def test_the_event_page_posts_the_link_and_returns_to_the_event(client, event, secretariat):
    lifecycle.create_declaration(secretariat, slug="late-call", title="Late call", text="We.")
    client.force_login(secretariat)
    response = client.post(reverse(LINK, args=[event.slug]), {"declaration": "late-call"})
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage", args=[event.slug])
    assert Outcome.objects.get().declaration.slug == "late-call"
    followed = client.get(response["Location"])
    assert "The declaration is linked to the event." in followed.content.decode()

    again = client.post(reverse(LINK, args=[event.slug]), {"declaration": "late-call"})
    assert again.status_code == 409
    assert "already linked to an event" in again.content.decode()


def test_an_unknown_declaration_is_refused_on_its_field(client, event, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse(LINK, args=[event.slug]), {"declaration": "no-such-call"})
    assert response.status_code == 422
    assert response.context["form"].errors["declaration"] == ["No declaration has this short name."]
    assert not Outcome.objects.exists()


def test_only_those_who_manage_both_may_link_on_the_page(client, event, secretariat, outsider):
    lifecycle.create_declaration(secretariat, slug="their-call", title="Theirs", text="We.")
    client.force_login(outsider)
    response = client.post(reverse(LINK, args=[event.slug]), {"declaration": "their-call"})
    assert response.status_code == 403
    assert "Only the organisers of this event" in response.content.decode()
    assert not Outcome.objects.exists()
    assert client.get(reverse(LINK, args=[event.slug])).status_code == 405
    assert client.post(reverse(LINK, args=["no-event"]), {"declaration": "x"}).status_code == 404
