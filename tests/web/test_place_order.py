"""Countries and regions a page lists (an event's regions, where a case study or a request
works) are in the order of the page's language, not by UN code or English name."""

import re

import pytest
from django.utils import translation

from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """A page request leaves its language active in the thread: give the next test English."""
    yield
    translation.deactivate()


def test_an_events_regions_are_listed_by_name_not_by_un_code(client, secretariat):
    event = EventFactory(created_by=secretariat, capacity=None)
    for country in ["FJ", "BR", "SN"]:  # Oceania 009, Americas 019, Africa 002
        RegistrationFactory(event=event, user=UserFactory(), country=country)
    page = client.get(f"/events/{event.slug}/participants/").content.decode()
    table = page[page.index("By region") : page.index("By group")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert rows == ["Africa", "Americas", "Oceania"]


def test_where_a_case_study_works_is_listed_in_the_pages_order(client):
    practice = PracticeFactory(countries=["TR", "AX", "AL"])
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert "Åland Islands, Albania, Türkiye" in page


def test_where_a_request_works_is_listed_in_the_pages_order(client, member_org, owner):
    # In English, and by code, Egypt comes before South Africa and Oceania (009) before the
    # Americas (019); not in French.
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, countries=["EG", "ZA"], regions=["009", "019"]
    )
    client.force_login(owner)
    page = client.get(f"/fr/partnerships/requests/{posted.pk}/").content.decode()
    assert "Afrique du Sud, Égypte" in page
    assert "Amériques, Océanie" in page
