"""The demo holds believable events: registrations, a waiting list, check-ins, an outcome."""

import pytest

from concord.events.models import CheckIn, Event, Registration
from concord.web.demo import build_demo

pytestmark = pytest.mark.django_db


def test_the_demo_builds_events_with_participants():
    counts = build_demo(size=120)
    assert counts["events"] == 5
    assert set(Event.objects.values_list("slug", flat=True)) == {
        "cop29-side-event-baku",
        "south-south-ngo-conference",
        "forum-national-ong-senegal",
        "online-workshop-loss-and-damage",
        "khankendi-ngo-forum",
    }
    baku = Event.objects.get(slug="cop29-side-event-baku")
    assert CheckIn.objects.filter(event=baku).exists()
    assert baku.outcomes.get().declaration.slug == "baku-call"
    conference = Event.objects.get(slug="south-south-ngo-conference")
    assert conference.sessions.count() == 6
    assert Registration.objects.filter(event=conference, status="waiting").exists()


def test_the_demo_forum_checks_in_offline_with_scans_from_two_doors():
    build_demo(size=120)
    forum = Event.objects.get(slug="khankendi-ngo-forum")
    assert forum.checkin_kits.filter(revoked_at__isnull=True).exists()
    checkins = CheckIn.objects.filter(event=forum)
    assert checkins.exists()
    both_doors = [c for c in checkins if c.scans.count() == 2]
    assert both_doors and all(
        set(c.scans.values_list("door", flat=True)) == {"North", "South"} for c in both_doors
    )
