"""The events API: create, list, read, register, check in, statistics."""

import pytest

from concord.accounts.services import create_api_token
from concord.events.models import CheckIn, Event, Registration
from concord.events.services.checkin import badge_code, check_in
from concord.events.services.programme import add_session
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, token = create_api_token(user, "test")
    return {"Authorization": f"Bearer {token}"}


EVENT = {
    "slug": "south-south-2030",
    "title": "South-South Cooperation Conference for NGOs",
    "kind": "conference",
    "format": "hybrid",
    "starts_at": "2030-10-27T09:00:00",
    "ends_at": "2030-10-28T17:00:00",
    "time_zone": "Europe/Paris",
    "city": "Paris",
    "country": "FR",
    "online_link": "https://meet.example.org/ssc",
    "capacity": 300,
    "languages": ["en", "fr", "ar"],
}


def test_the_secretariat_creates_an_event_in_venue_time(client, secretariat):
    response = client.post(
        "/api/v1/events", EVENT, content_type="application/json", headers=bearer(secretariat)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["starts_at"].startswith("2030-10-27T08:00:00")  # UTC+1, after the change
    assert body["time_zone"] == "Europe/Paris"
    assert body["online_link"] == "https://meet.example.org/ssc"  # the organiser sees it
    assert client.get("/api/v1/events/south-south-2030").json()["online_link"] is None
    assert Event.objects.get().languages == ["ar", "en", "fr"]


def test_an_outsider_cannot_create_and_a_skipped_time_is_a_422(client, secretariat, outsider):
    response = client.post(
        "/api/v1/events", EVENT, content_type="application/json", headers=bearer(outsider)
    )
    assert response.status_code == 403
    skipped = {**EVENT, "starts_at": "2030-03-31T02:30:00"}
    response = client.post(
        "/api/v1/events", skipped, content_type="application/json", headers=bearer(secretariat)
    )
    assert response.status_code == 422
    assert "does not exist" in response.json()["detail"][0]["msg"]
    assert not Event.objects.exists()


def test_registering_through_the_api_fills_the_seats_then_the_waiting_list(client, secretariat):
    event = EventFactory(created_by=secretariat, slug="tiny", capacity=1)
    first, second = UserFactory(), UserFactory()
    path = f"/api/v1/events/{event.slug}/registrations"
    answer = client.post(
        path, {"country": "KE"}, content_type="application/json", headers=bearer(first)
    )
    assert answer.status_code == 201 and answer.json()["status"] == "confirmed"
    assert answer.json()["badge_code"].startswith("C")
    answer = client.post(
        path, {"country": "KE"}, content_type="application/json", headers=bearer(second)
    )
    assert answer.json() == {"event": "tiny", "status": "waiting", "badge_code": None}
    again = client.post(
        path, {"country": "KE"}, content_type="application/json", headers=bearer(first)
    )
    assert again.status_code == 409
    anonymous = client.post(path, {"country": "KE"}, content_type="application/json")
    assert anonymous.status_code == 401


def test_missing_required_answers_are_a_422_and_nothing_is_stored(client, event):
    person = UserFactory()
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations",
        {"country": "SN"},
        content_type="application/json",
        headers=bearer(person),
    )
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_check_in_through_the_api(client, event, secretariat, outsider):
    code = badge_code(RegistrationFactory(event=event))
    path = f"/api/v1/events/{event.slug}/checkins"
    refused = client.post(
        path, {"code": code}, content_type="application/json", headers=bearer(outsider)
    )
    assert refused.status_code == 403
    first = client.post(
        path,
        {"code": code, "door": "A"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert first.status_code == 201 and first.json()["status"] == "checked_in"
    assert first.json()["checked_in_count"] == 1
    second = client.post(
        path,
        {"code": code, "door": "B"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert second.status_code == 200 and second.json()["status"] == "already_checked_in"
    assert second.json()["door"] == "A"
    forged = client.post(
        path,
        {"code": "C1-ABCDEF0123456789"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert forged.status_code == 400 and forged.json()["code"] == "bad_code"
    assert CheckIn.objects.count() == 1


def test_stats_count_participants_countries_and_check_ins(client, event, secretariat):
    RegistrationFactory(event=event, country="SN")
    registration = RegistrationFactory(event=event, country="BR")
    check_in(secretariat, event, badge_code(registration))
    stats = client.get(f"/api/v1/events/{event.slug}/stats").json()
    assert stats["registered"] == 2 and stats["countries"] == 2
    assert stats["checked_in"] == 1 and stats["checked_in_countries"] == 1
    assert sorted(c["code"] for c in stats["by_country"]) == ["BR", "SN"]
    assert {r["name"] for r in stats["regions"]} == {"Africa", "Americas"}


@pytest.mark.parametrize("rows", [1, 3])
def test_the_list_costs_the_same_queries_for_one_event_or_many(
    client, secretariat, rows, query_count
):
    EventFactory(created_by=secretariat, slug="first")
    for n in range(rows - 1):
        EventFactory(created_by=secretariat, slug=f"more-{n}")
    with query_count(3):
        assert client.get("/api/v1/events").json()["count"] == rows


def test_one_event_with_its_programme(client, secretariat):
    from datetime import datetime

    event = EventFactory(
        created_by=secretariat,
        slug="prog",
        starts_at=datetime(2030, 5, 1, 9),
        ends_at=datetime(2030, 5, 1, 18),
    )
    add_session(
        secretariat,
        event,
        title="Opening",
        starts_at=datetime(2030, 5, 1, 9),
        ends_at=datetime(2030, 5, 1, 10),
    )
    body = client.get("/api/v1/events/prog").json()
    assert [s["title"] for s in body["sessions"]] == ["Opening"]
    assert client.get("/api/v1/events/missing").status_code == 404
