"""Times: stored in UTC, entered and shown in the venue's zone, around daylight-saving changes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from concord.events.models import Event
from concord.events.services.programme import add_session
from concord.events.times import local_to_utc
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def test_an_event_across_the_paris_spring_change_keeps_its_wall_clock_times(secretariat):
    event = EventFactory(
        created_by=secretariat,
        slug="paris-weekend",
        time_zone="Europe/Paris",
        city="Paris",
        country="FR",
        starts_at=datetime(2026, 3, 28, 10, 0),
        ends_at=datetime(2026, 3, 29, 16, 0),
    )
    assert event.starts_at == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2026, 3, 29, 14, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message(secretariat):
    with pytest.raises(ValidationError) as error:
        EventFactory(
            created_by=secretariat,
            slug="skipped",
            time_zone="Europe/Paris",
            starts_at=datetime(2026, 3, 29, 2, 30),
            ends_at=datetime(2026, 3, 29, 6, 0),
        )
    message = error.value.message_dict["starts_at"][0]
    assert "March 29, 2026, 02:30" in message and "does not exist" in message
    assert not Event.objects.exists()


def test_a_time_that_happens_twice_is_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        EventFactory(
            created_by=secretariat,
            slug="twice",
            time_zone="America/New_York",
            starts_at=datetime(2026, 11, 1, 1, 30),
            ends_at=datetime(2026, 11, 1, 5, 0),
        )
    assert "happens twice" in error.value.message_dict["starts_at"][0]


def test_an_unknown_zone_is_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        EventFactory(created_by=secretariat, slug="nowhere", time_zone="Mars/Olympus")
    assert "IANA" in error.value.message_dict["time_zone"][0]


def test_a_programme_session_is_entered_in_venue_time(secretariat):
    event = EventFactory(
        created_by=secretariat,
        slug="sao-paulo",
        time_zone="America/Sao_Paulo",
        city="São Paulo",
        country="BR",
        starts_at=datetime(2026, 11, 2, 9, 0),
        ends_at=datetime(2026, 11, 3, 18, 0),
    )
    session = add_session(
        secretariat,
        event,
        title="Opening",
        starts_at=datetime(2026, 11, 2, 9, 30),
        ends_at=datetime(2026, 11, 2, 10, 30),
    )
    assert session.starts_at == datetime(2026, 11, 2, 12, 30, tzinfo=UTC)


def test_the_page_shows_venue_time_utc_and_the_visitors_zone(client, secretariat):
    EventFactory(
        created_by=secretariat,
        slug="baku-side-event",
        title="Side event in Baku",
        time_zone="Asia/Baku",
        city="Baku",
        country="AZ",
        starts_at=datetime(2030, 11, 12, 15, 0),
        ends_at=datetime(2030, 11, 12, 16, 30),
    )
    page = client.get("/events/baku-side-event/").content.decode()
    assert "15:00" in page and "Asia/Baku" in page
    assert "11:00" in page and "(UTC)" in page  # Baku is UTC+4
    client.post(
        "/events/timezone/", {"time_zone": "America/Sao_Paulo", "next": "/events/baku-side-event/"}
    )
    page = client.get("/events/baku-side-event/").content.decode()
    assert "08:00" in page and "America/Sao_Paulo" in page  # UTC-3


def test_the_browsers_zone_cookie_is_used_when_no_zone_was_chosen(client, secretariat):
    EventFactory(
        created_by=secretariat,
        slug="dakar",
        time_zone="Africa/Dakar",
        starts_at=datetime(2030, 6, 1, 9, 0),
        ends_at=datetime(2030, 6, 1, 17, 0),
    )
    client.cookies["concord_tz"] = "Asia/Tokyo"
    page = client.get("/events/dakar/").content.decode()
    assert "18:00" in page and "Asia/Tokyo" in page
    client.cookies["concord_tz"] = "Not/A_Zone"
    assert "Not/A_Zone" not in client.get("/events/dakar/").content.decode()


ZONES = [
    "Europe/Paris",
    "America/Sao_Paulo",
    "America/New_York",
    "Asia/Baku",
    "Australia/Lord_Howe",
]


@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)),
    zone=st.sampled_from(ZONES),
)
@settings(max_examples=300, deadline=None)
def test_venue_times_either_round_trip_or_are_refused(moment, zone):
    moment = moment.replace(second=0, microsecond=0)
    try:
        utc = local_to_utc(moment, zone)
    except ValidationError as error:
        assert "does not exist" in str(error) or "happens twice" in str(error)
        return
    assert utc.tzinfo is UTC
    assert utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == moment
