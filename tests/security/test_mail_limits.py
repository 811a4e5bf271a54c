"""Every action that sends mail has a budget per network and per recipient: 429 + Retry-After.

Without them the site could be made to mail anyone: invitations from an organisation anyone
can create, "contact the organisation" without end, password resets to a stranger's address.
"""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.core.models import OutgoingEmail
from concord.organisations import services
from concord.organisations.models import Invitation, Organisation
from tests.factories.knowledge import PracticeFactory
from tests.organisations.test_apply import VALID

pytestmark = pytest.mark.django_db


def invite(client, organisation, email):
    return client.post(
        reverse("organisations:invite", args=[organisation.pk]),
        {"email": email, "role": "representative"},
    )


def test_a_pending_organisation_sends_no_invitations(client, owner, pending_org):
    client.force_login(owner)
    response = invite(client, pending_org, "stranger@example.org")
    assert response.status_code == 409
    assert not Invitation.objects.exists()
    assert not OutgoingEmail.objects.filter(to="stranger@example.org").exists()


@override_settings(INVITATIONS_PER_ORGANISATION_PER_DAY=2)
def test_an_organisation_has_a_daily_invitation_cap(client, owner, member_org):
    client.force_login(owner)
    for number in (1, 2):
        assert invite(client, member_org, f"colleague{number}@example.org").status_code == 302
    response = invite(client, member_org, "colleague3@example.org")
    assert response.status_code == 429
    assert 23 * 3600 < int(response["Retry-After"]) <= 24 * 3600
    assert Invitation.objects.count() == 2


@override_settings(RATE_LIMITS={"invite": {"network": "100/hour", "address": "1/day"}})
def test_one_address_is_not_invited_over_and_over(client, owner, member_org):
    client.force_login(owner)
    assert invite(client, member_org, "friend@example.org").status_code == 302
    Invitation.objects.all().delete()  # even once the first invitation is gone
    response = invite(client, member_org, "Friend@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Invitation.objects.exists()


@override_settings(RATE_LIMITS={"apply": {"network": "2/hour", "address": "5/day"}})
def test_membership_applications_are_limited_per_network(client, owner, outsider):
    client.force_login(owner)
    data = {**VALID, "name": "First Network"}
    assert client.post(reverse("organisations:apply"), data).status_code == 302
    client.force_login(outsider)
    assert (
        client.post(reverse("organisations:apply"), {**data, "name": "Second"}).status_code == 302
    )
    response = client.post(reverse("organisations:apply"), {**data, "name": "Third"})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert not Organisation.objects.filter(name="Third").exists()


@override_settings(RATE_LIMITS={"apply": {"network": "1/hour", "address": "5/day"}})
def test_the_api_answers_429_with_retry_after(client, owner):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(owner, 'tests')[1]}"}
    payload = {**VALID, "themes": ["adaptation"], "sdgs": [13], "year_founded": 2009}
    first = client.post("/api/v1/organisations", payload, content_type="application/json", **auth)
    assert first.status_code == 201
    again = {**payload, "name": "Another Name"}
    second = client.post("/api/v1/organisations", again, content_type="application/json", **auth)
    assert second.status_code == 429
    assert int(second["Retry-After"]) > 0
    assert not Organisation.objects.filter(name="Another Name").exists()


@override_settings(RATE_LIMITS={"contact": {"network": "100/hour", "address": "2/day"}})
def test_an_organisation_is_contacted_a_few_times_a_day_whoever_writes(
    client, member_org, outsider, secretariat
):
    practice = PracticeFactory(organisation=member_org)
    path = reverse("knowledge:contact", args=[practice.pk])
    client.force_login(outsider)
    client.post(path, {"message": "Can we visit your nursery?"})
    client.force_login(secretariat)
    client.post(path, {"message": "A second message."})
    sent = OutgoingEmail.objects.count()
    response = client.post(path, {"message": "A third message."})
    assert response.status_code == 429
    assert "Retry-After" in response
    assert OutgoingEmail.objects.count() == sent


@override_settings(RATE_LIMITS={"search": {"network": "2/minute"}})
def test_searches_are_limited_per_network_on_page_and_api(client):
    for _ in range(2):
        assert client.get(reverse("knowledge:search"), {"q": "mangroves"}).status_code == 200
    page = client.get(reverse("knowledge:search"), {"q": "mangroves"})
    assert page.status_code == 429 and "Retry-After" in page
    api = client.get("/api/v1/practices", {"q": "mangroves"})
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert api.json()["code"] == "rate_limited"
    assert client.get(reverse("knowledge:search")).status_code == 200  # browsing costs nothing


@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "20/h/ip,3/h/key"})
def test_password_reset_mails_an_address_at_most_three_times_an_hour(client, outsider):
    path = reverse("account_reset_password")
    for _ in range(3):
        client.post(path, {"email": outsider.email})
    response = client.post(path, {"email": outsider.email})
    assert response.status_code == 429
    assert "Retry-After" in response
    resets = [sent for sent in mail.outbox if sent.to == [outsider.email]]
    stored = OutgoingEmail.objects.filter(to=outsider.email).count()
    assert max(len(resets), stored) == 3


def test_services_refuse_invitations_from_pending_organisations_too(owner, pending_org):
    from concord.core.errors import Refused

    with pytest.raises(Refused):
        services.invite_representative(owner, pending_org, "stranger@example.org")
