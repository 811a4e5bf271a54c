"""iCalendar files (RFC 5545): parsed back with a real parser, times round-trip across DST."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris_weekend(secretariat):
    """Saturday 10:00 (UTC+1) to Sunday 16:00 (UTC+2) in Paris: the clocks change between."""
    return EventFactory(
        created_by=secretariat,
        slug="paris-weekend",
        title="Forum des ONG, Paris",
        time_zone="Europe/Paris",
        city="Paris",
        country="FR",
        starts_at=datetime(2030, 3, 30, 10, 0),
        ends_at=datetime(2030, 3, 31, 16, 0),
    )


def parse(content: bytes) -> Calendar:
    calendar = Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return calendar


def test_one_event_file_round_trips_its_times_across_the_dst_change(client, paris_weekend):
    response = client.get("/api/v1/events/paris-weekend.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    content = response.content
    assert b"\r\n" in content  # RFC 5545 lines end in CRLF, folded at 75 octets
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    calendar = parse(content)
    (vevent,) = calendar.walk("VEVENT")
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Paris"
    assert {c.name for c in vtimezone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    assert vevent["UID"] and vevent["DTSTAMP"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert start.astimezone(UTC) == paris_weekend.starts_at == datetime(2030, 3, 30, 9, tzinfo=UTC)
    assert end.astimezone(UTC) == paris_weekend.ends_at == datetime(2030, 3, 31, 14, tzinfo=UTC)
    assert (start.hour, end.hour) == (10, 16)
    assert str(vevent["SUMMARY"]) == "Forum des ONG, Paris"


def test_the_feed_lists_upcoming_events_only(client, secretariat, paris_weekend):
    EventFactory(
        created_by=secretariat,
        slug="old-forum",
        starts_at=datetime.now() - timedelta(days=40),
        ends_at=datetime.now() - timedelta(days=39),
    )
    online = EventFactory(
        created_by=secretariat,
        slug="utc-webinar",
        kind="webinar",
        format="online",
        online_link="https://meet.example.org/x",
        city="",
        time_zone="UTC",
    )
    for path in ("/api/v1/events.ics", "/events/feed.ics"):
        calendar = parse(client.get(path).content)
        uids = sorted(str(v["UID"]) for v in calendar.walk("VEVENT"))
        assert len(uids) == 2 and len(set(uids)) == 2
        summaries = {str(v["SUMMARY"]) for v in calendar.walk("VEVENT")}
        assert "Forum des ONG, Paris" in summaries and online.title in summaries
        webinar = next(v for v in calendar.walk("VEVENT") if "utc-webinar" in str(v["URL"]))
        assert webinar.decoded("DTSTART") == online.starts_at  # written in UTC


def test_the_slug_ics_path_is_not_taken_for_a_slug(client, paris_weekend):
    assert client.get("/api/v1/events/paris-weekend").json()["slug"] == "paris-weekend"
    assert client.get("/api/v1/events/paris-weekend.ics").content.startswith(b"BEGIN:VCALENDAR")
    assert client.get("/api/v1/events/nothing.ics").status_code == 404
