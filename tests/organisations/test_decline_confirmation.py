"""Declining an application cannot be undone, so the first POST asks; and the secretariat's
queue names who applied by their display name, never an address, never "None"."""

import random

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from concord.core.models import AuditEvent, OutgoingEmail
from concord.organisations.demo import build
from concord.organisations.models import Organisation
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_declining_asks_first_then_declines_on_the_confirmed_post(
    client, secretariat, pending_org, owner
):
    client.force_login(secretariat)
    url = reverse("organisations:review_action", args=[pending_org.pk])
    posted = {"action": "reject", "note": "Not a registered non-profit."}

    # Without a reason the decline is refused at once, without asking.
    refused = client.post(url, {"action": "reject", "note": " "}, follow=True)
    assert "Give the applicant a reason." in text_of(refused)
    assert "This cannot be undone." not in text_of(refused)

    asked = client.post(url, posted)
    assert asked.status_code == 200
    page = text_of(asked)
    assert "will be declined" in page and "This cannot be undone." in page
    assert "Not a registered non-profit." in page
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"
    assert not AuditEvent.objects.filter(action="membership.rejected").exists()
    assert not OutgoingEmail.objects.exists()

    again = dict(asked.context["fields"]) | {"confirm": "yes"}
    assert again == posted | {"confirm": "yes"}
    assert client.post(url, again).status_code == 302
    pending_org.refresh_from_db()
    assert pending_org.status == "rejected"
    assert pending_org.review_note == "Not a registered non-profit."


def test_the_queue_shows_who_applied_by_name_only(client, secretariat):
    named = UserFactory(email="aminata@ngo.example", name="Aminata Touré")
    unnamed = UserFactory(email="quiet@ngo.example", name="")
    OrganisationFactory(name="Sahel Water Trust", status="pending", applied_by=named)
    OrganisationFactory(name="Quiet Coast Group", status="pending", applied_by=unnamed)
    OrganisationFactory(name="Imported Group", status="more_info", applied_by=None)

    client.force_login(secretariat)
    response = client.get(reverse("organisations:review"))
    page = text_of(response)
    assert "by Aminata Touré" in page
    assert "by Name not given" in page
    assert "None" not in page
    for address in ("aminata@ngo.example", "quiet@ngo.example"):
        assert address not in response.content.decode()


def test_the_demo_applications_name_who_applied(secretariat):
    build(random.Random(7), size=14, secretariat=secretariat)
    waiting = Organisation.objects.filter(status__in=Organisation.AWAITING_REVIEW)
    assert waiting.exists()
    assert not waiting.filter(applied_by=None).exists()
