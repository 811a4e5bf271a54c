"""The time-zone pickers: current zones only, named in the page's language, the ones that
matter on top, and an event stored with an old alias keeping it."""

import re
from datetime import datetime

import pytest
from django.utils import translation

from concord.events.forms import zone_choices
from concord.events.models import Event
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

ALIASES = ("Asia/Calcutta", "US/Eastern", "Etc/GMT+3", "Asia/Saigon", "Europe/Kiev")


def options(page: str, form_action: str = "") -> list[tuple[str, bool, str]]:
    """The (value, selected, label) of each option of the `time_zone` select, in page
    order; of the form posting to `form_action` if given."""
    if form_action:
        form = re.search(rf'<form[^>]*action="{re.escape(form_action)}".*?</form>', page, re.S)
        assert form, f"no form posting to {form_action}"
        page = form.group(0)
    select = re.search(r'<select name="time_zone"[^>]*>(.*?)</select>', page, re.S)
    assert select, "no time_zone select"
    return [
        (value, bool(selected), label.strip())
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>(.*?)</option>', select.group(1), re.S
        )
    ]


def test_the_picker_offers_current_zones_and_no_alias():
    values = [value for value, _label in zone_choices()]
    assert "Asia/Kolkata" in values and "Asia/Ho_Chi_Minh" in values and "Europe/Kyiv" in values
    assert not set(ALIASES) & set(values)
    assert len(values) == len(set(values)) < 450


def test_labels_name_the_zone_and_city_in_the_pages_language(client, secretariat):
    EventFactory(created_by=secretariat, slug="cop-baku", time_zone="Asia/Baku", city="Baku")
    with translation.override("fr"):
        french = dict(zone_choices())["Asia/Baku"]
    with translation.override("ru"):
        russian = dict(zone_choices())["Asia/Baku"]
    assert "Azerbaïdjan" in french and "(Bakou)" in french
    assert russian == "Азербайджан (Баку)"
    page = client.get("/fr/events/cop-baku/").content.decode()
    assert ("Asia/Baku", french) in {
        (v, label) for v, _s, label in options(page, "/fr/events/timezone/")
    }


def test_the_list_is_sorted_by_its_localised_labels():
    with translation.override("fr"):
        french = [value for value, _label in zone_choices()]
    # By IANA name Africa/Lagos would come first; by its French label Kabul does.
    assert french.index("Asia/Kabul") < french.index("Africa/Lagos")


def test_the_visitors_choice_the_venues_zone_and_utc_come_first(client, secretariat):
    EventFactory(created_by=secretariat, slug="dakar-day", time_zone="Africa/Dakar")
    page = client.get("/events/dakar-day/").content.decode()
    assert [v for v, _s, _l in options(page, "/events/timezone/")[:3]] == [
        "",
        "Africa/Dakar",
        "UTC",
    ]
    client.post("/events/timezone/", {"time_zone": "Asia/Tokyo", "next": "/events/dakar-day/"})
    page = client.get("/events/dakar-day/").content.decode()
    top = options(page, "/events/timezone/")[:4]
    assert [v for v, _s, _l in top] == ["", "Asia/Tokyo", "Africa/Dakar", "UTC"]
    assert top[1][1], "the visitor's zone is selected"


def test_an_event_stored_with_an_alias_keeps_it_selected(client, secretariat):
    event = EventFactory(
        created_by=secretariat,
        slug="delhi-forum",
        time_zone="Asia/Calcutta",
        city="New Delhi",
        country="IN",
        starts_at=datetime(2030, 3, 4, 10, 0),
        ends_at=datetime(2030, 3, 4, 17, 0),
    )
    client.force_login(secretariat)
    page = client.get("/events/delhi-forum/edit/").content.decode()
    first = options(page)[0]
    assert first[:2] == ("Asia/Calcutta", True) and "Kolkata" in first[2]
    page = client.get("/events/delhi-forum/").content.decode()
    assert options(page, "/events/timezone/")[1][0] == "Asia/Calcutta"
    response = client.post(
        "/events/delhi-forum/edit/",
        {
            "title": "Delhi forum",
            "kind": "forum",
            "format": "in_person",
            "time_zone": "Asia/Calcutta",
            "starts_at": "2030-03-04T10:00",
            "ends_at": "2030-03-04T17:00",
            "city": "New Delhi",
            "country": "IN",
            "approval": "automatic",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(pk=event.pk)
    assert event.time_zone == "Asia/Calcutta" and event.title == "Delhi forum"


@pytest.mark.django_db
def test_the_funding_call_deadline_uses_the_same_current_zones():
    from concord.partnerships.forms import FundingCallForm

    with translation.override("fr"):
        choices = dict(FundingCallForm().fields["deadline_timezone"].choices)
    assert "Asia/Kolkata" in choices and "Asia/Calcutta" not in choices
    assert "Bakou" in choices["Asia/Baku"]
