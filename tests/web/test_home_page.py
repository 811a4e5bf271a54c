"""The home page leads with what a visitor can act on now, and only with public items."""

import html
from datetime import timedelta

import pytest
from django.utils import timezone

from concord.events.models import Event
from concord.partnerships.models import FundingCall
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.partnerships import FundingCallFactory

pytestmark = pytest.mark.django_db


def make_public_items(count: int) -> None:
    for index in range(count):
        declaration = DeclarationFactory(opened=True, title=f"Open declaration {index}")
        SignatureFactory(
            declaration=declaration, email=f"signer-{index}@example.org", confirmed=True
        )
        EventFactory(title=f"Coming forum {index}")
        PracticeFactory(title=f"Published study {index}")
        FundingCallFactory(title=f"Open call {index}", open_to_all=True)


def test_home_page_lists_open_items_and_hides_drafts_and_past_ones(client):
    make_public_items(1)
    DeclarationFactory(title="Draft declaration kept private")
    past = EventFactory(title="Forum that is over")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=8)
    )
    PracticeFactory(title="Draft study kept private", status="draft")
    closed = FundingCallFactory(title="Call that has closed", open_to_all=True)
    FundingCall.objects.filter(pk=closed.pk).update(deadline=timezone.now() - timedelta(days=1))

    html = client.get("/").content.decode()

    for shown in ["Open declaration 0", "Coming forum 0", "Published study 0", "Open call 0"]:
        assert shown in html
    for hidden in [
        "Draft declaration kept private",
        "Forum that is over",
        "Draft study kept private",
        "Call that has closed",
    ]:
        assert hidden not in html
    # The signature count comes from the tallies: one confirmed signature.
    assert "<strong>1</strong> signature" in html
    for full_list, text in [
        ("/declarations/", "All declarations"),
        ("/events/", "All events"),
        ("/practices/", "All case studies"),
        ("/partnerships/funding/", "All funding calls"),
    ]:
        assert f'<a href="{full_list}">{text}</a>' in html


@pytest.mark.parametrize("count", [1, 3])
def test_home_page_runs_a_fixed_number_of_queries(client, query_count, count):
    make_public_items(count)
    with query_count(9):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count("Open declaration ") == count


def test_the_coalition_is_named_in_the_page_language(client, db):
    french = html.unescape(client.get("/fr/").content.decode())
    assert "Plateforme des ONG du Sud global pour l'action climatique" in french
    assert "Global South NGO Platform for Climate Action" not in french
    assert "Global South NGO Platform for Climate Action" in client.get("/").content.decode()


def test_a_deployment_keeps_its_own_name(client, db, settings):
    settings.SITE_NAME = "Red de ONG Andinas"
    assert "Red de ONG Andinas" in client.get("/fr/").content.decode()
