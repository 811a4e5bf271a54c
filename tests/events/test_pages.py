"""The pages: registering, the organisers' tools, permissions, CSV export, messages."""

import csv
import io

import pytest

from concord.core.models import OutgoingEmail
from concord.events.models import CheckIn, Event, Registration
from concord.events.services.checkin import badge_code, check_in
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def test_registering_on_the_page_and_the_missing_answer(client, event):
    person = UserFactory(name="Amadou Diop")
    client.force_login(person)
    question = event.questions.get()
    response = client.post(f"/events/{event.slug}/register/", {"country": "SN"})
    assert response.status_code == 422
    assert "Dietary needs" in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(
        f"/events/{event.slug}/register/",
        {"country": "SN", f"question_{question.pk}": "Halal", "listed": "on"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.answers == {str(question.pk): "Halal"} and registration.listed


def test_registering_on_the_arabic_pages_mails_in_arabic(client, event):
    # The account's preference decides an email's language (core/emails.py); hers is Arabic.
    person = UserFactory(email="nadia@example.org", name="Nadia", language="ar")
    client.force_login(person)
    question = event.questions.get()
    client.post(
        f"/ar/events/{event.slug}/register/", {"country": "EG", f"question_{question.pk}": "-"}
    )
    assert OutgoingEmail.objects.get(to="nadia@example.org").subject.startswith("أنت مسجل")


def test_cancelling_on_the_page_promotes_the_waiting_list(client, event):
    first, _second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event)
    client.force_login(first.user)
    client.post(f"/events/{event.slug}/registration/", {"action": "cancel"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert OutgoingEmail.objects.filter(to=waiting.email, key__startswith="event.promoted").exists()


def test_the_organisers_tools_refuse_an_outsider(client, event, outsider):
    client.force_login(outsider)
    for path in ("manage", "registrations", "checkin", "badges", "checkin/count"):
        assert client.get(f"/events/{event.slug}/{path}/").status_code == 403, path
    assert client.get("/events/new/").status_code == 403


def test_a_representative_of_a_member_organisation_creates_an_event(client, owner, member_org):
    client.force_login(owner)
    response = client.post(
        "/events/new/",
        {
            "slug": "mangrove-workshop",
            "title": "Mangrove restoration workshop",
            "kind": "workshop",
            "format": "online",
            "time_zone": "Africa/Dakar",
            "starts_at": "2030-02-03T10:00",
            "ends_at": "2030-02-03T12:00",
            "online_link": "https://meet.example.org/mangroves",
            "approval": "automatic",
            "organisations": [str(member_org.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="mangrove-workshop")
    assert list(event.organisations.all()) == [member_org]


def test_the_csv_export_neutralises_formulas(client, event, secretariat):
    person = UserFactory(name='=HYPERLINK("http://evil.example")')
    RegistrationFactory(event=event, user=person)
    client.force_login(secretariat)
    response = client.get(f"/events/{event.slug}/registrations/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["name", "email", "country"] and rows[0][-1] == "Dietary needs"
    assert rows[1][0].startswith("'=")


def test_filters_narrow_the_list(client, event, secretariat):
    RegistrationFactory(event=event, country="SN")
    registration = RegistrationFactory(event=event, country="BR")
    check_in(secretariat, event, badge_code(registration))
    client.force_login(secretariat)
    response = client.get(f"/events/{event.slug}/registrations/?checked_in=yes&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[2] for row in rows[1:]] == ["BR"]


def test_messaging_all_participants_in_their_languages(client, event, secretariat):
    RegistrationFactory(event=event, user=UserFactory(email="fr@example.org", language="fr"))
    RegistrationFactory(event=event, user=UserFactory(email="ar@example.org", language="ar"))
    client.force_login(secretariat)
    response = client.post(
        f"/events/{event.slug}/registrations/", {"subject": "Venue change", "body": "Room 4."}
    )
    assert response.status_code == 302
    french = OutgoingEmail.objects.get(to="fr@example.org", key__startswith="event.message")
    arabic = OutgoingEmail.objects.get(to="ar@example.org", key__startswith="event.message")
    assert "Un message des organisateurs" in french.body_text and "Room 4." in french.body_text
    assert "رسالة من منظمي" in arabic.body_text


def test_the_public_list_shows_only_those_who_consented(client, event):
    RegistrationFactory(event=event, user=UserFactory(name="Listed Person"), listed=True)
    RegistrationFactory(event=event, user=UserFactory(name="Private Person"), listed=False)
    page = client.get(f"/events/{event.slug}/participants/").content.decode()
    assert "Listed Person" in page and "Private Person" not in page
    assert "2 participants from 1 country" in page


def test_checking_in_by_typing_the_code(client, event, secretariat):
    registration = RegistrationFactory(event=event, user=UserFactory(name="Kwame Mensah"))
    client.force_login(secretariat)
    path = f"/events/{event.slug}/checkin/"
    response = client.post(path, {"code": badge_code(registration), "door": "Main"})
    page = response.content.decode()
    assert "Kwame Mensah" in page and "Checked in. Welcome!" in page
    again = client.post(path, {"code": badge_code(registration)}).content.decode()
    assert "Already checked in" in again
    forged = client.post(path, {"code": "C999-0000000000000000"})
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    assert CheckIn.objects.count() == 1
    assert client.get(f"{path}count/").json() == {
        "checked_in": 1,
        "checked_in_shown": "1",
        "registered": 1,
    }


def test_the_online_link_is_shown_to_participants_only(client, secretariat):
    event = EventFactory(
        created_by=secretariat,
        slug="webinar",
        format="online",
        city="",
        online_link="https://meet.example.org/s3cret",
    )
    assert "s3cret" not in client.get("/events/webinar/").content.decode()
    person = UserFactory()
    RegistrationFactory(event=event, user=person)
    client.force_login(person)
    assert "s3cret" in client.get("/events/webinar/").content.decode()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("path", "queries"),
    [("/events/", 5), ("/events/{slug}/registrations/", 9), ("/events/{slug}/participants/", 12)],
)
def test_list_pages_cost_the_same_queries_for_one_row_or_many(
    client, secretariat, path, queries, rows, query_count
):
    event = EventFactory(created_by=secretariat, slug="counted", capacity=100)
    organisation = OrganisationFactory()
    person = UserFactory()
    RepresentativeFactory(organisation=organisation, user=person)
    RegistrationFactory(event=event, user=person, organisation_id=organisation.pk)
    for n in range(rows - 1):
        EventFactory(created_by=secretariat, slug=f"counted-{n}")
        other = OrganisationFactory()
        person = UserFactory()
        RepresentativeFactory(organisation=other, user=person)
        RegistrationFactory(event=event, user=person, organisation_id=other.pk, listed=True)
    client.force_login(secretariat)
    with query_count(queries):
        assert client.get(path.format(slug=event.slug)).status_code == 200


def test_editing_the_time_on_the_page_tells_the_participants(client, event, secretariat):
    registration = RegistrationFactory(event=event)
    client.force_login(secretariat)
    form = client.get(f"/events/{event.slug}/edit/").context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, []) and name != "organisations"
    }
    data["starts_at"] = data["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = "2099-01-01T10:00"
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.ends_at.year == 2099
    assert OutgoingEmail.objects.filter(
        to=registration.email, key__startswith="event.changed:"
    ).exists()


def test_a_closed_event_says_so_instead_of_offering_registration(client, secretariat):
    from datetime import datetime, timedelta

    EventFactory(
        created_by=secretariat,
        slug="over",
        starts_at=datetime.now() - timedelta(days=3),
        ends_at=datetime.now() - timedelta(days=2),
    )
    client.force_login(UserFactory())
    page = client.get("/events/over/").content.decode()
    assert "Registration for this event has closed." in page
    assert "/events/over/register/" not in page


def test_an_organiser_keeps_the_co_organisers_the_secretariat_added(client, owner, member_org):
    event = EventFactory(created_by=owner, slug="shared-forum", organisation_ids=[member_org.pk])
    partner = OrganisationFactory(name="Andes Water Forum")
    event.organisations.add(partner)  # as the secretariat would, on the event's page
    client.force_login(owner)
    form = client.get(f"/events/{event.slug}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    for name in ("starts_at", "ends_at"):
        data[name] = data[name].strftime("%Y-%m-%dT%H:%M")
    data["title"] = "Shared forum"
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.title == "Shared forum"
    assert set(event.organisations.all()) == {member_org, partner}
