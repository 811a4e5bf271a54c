"""Registration: seats, the waiting list and its promotion, approval, answers, the window."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.events.models import Event, Registration
from concord.events.services.messages import send_reminders
from concord.events.services.programme import EventInput, add_question, update_event
from concord.events.services.registration import (
    RegistrationInput,
    cancel_registration,
    change_answers,
    decide_registration,
)
from concord.events.services.registration import register as register_person
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_registering_confirms_a_seat_and_mails_in_the_participants_language(event):
    person = UserFactory(email="amina@example.org", name="Amina Diallo", language="fr")
    registration = RegistrationFactory(event=event, user=person, language="fr")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.email == "amina@example.org"
    mail = OutgoingEmail.objects.get(to="amina@example.org")
    assert "Vous êtes inscrit" in mail.subject or "inscri" in mail.subject.lower()


def test_when_full_people_join_the_waiting_list_and_a_cancellation_promotes_the_first(event):
    first, second = RegistrationFactory(event=event), RegistrationFactory(event=event)
    waiting_ar = RegistrationFactory(
        event=event, user=UserFactory(email="layla@example.org", name="ليلى", language="ar")
    )
    waiting_later = RegistrationFactory(event=event)
    assert [r.status for r in (first, second)] == ["confirmed", "confirmed"]
    assert waiting_ar.status == waiting_later.status == "waiting"

    promoted = cancel_registration(first.user, first)

    assert [r.pk for r in promoted] == [waiting_ar.pk]
    waiting_ar.refresh_from_db()
    waiting_later.refresh_from_db()
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert waiting_ar.status == "confirmed"
    assert waiting_later.status == "waiting"
    mail = OutgoingEmail.objects.filter(to="layla@example.org").latest("created_at")
    assert "layla" not in mail.subject and any("\u0600" <= c <= "\u06ff" for c in mail.subject)
    assert "National NGO Forum" in mail.body_text


def test_missing_required_answers_are_refused_and_nothing_is_stored(event):
    person = UserFactory()
    with pytest.raises(ValidationError) as error:
        register_person(person, event, RegistrationInput(country="SN", answers={}))
    question = event.questions.get()
    assert f"question_{question.pk}" in error.value.message_dict
    assert not Registration.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_choice_outside_the_offered_ones_is_refused(event, secretariat):
    question = add_question(
        secretariat, event, label="Session", kind="choice", choices=["A", "B"], required=False
    )
    with pytest.raises(ValidationError) as error:
        RegistrationFactory(
            event=event, answers={str(event.questions.first().pk): "x", str(question.pk): "C"}
        )
    assert f"question_{question.pk}" in error.value.message_dict


def test_registration_outside_the_window_is_refused(secretariat):
    event = EventFactory(
        created_by=secretariat,
        registration_closes_at=timezone.now() - timedelta(hours=1),
        slug="late",
    )
    with pytest.raises(Refused) as refusal:
        RegistrationFactory(event=event)
    assert refusal.value.code == "closed"
    assert not Registration.objects.exists()


def test_registering_twice_is_refused(event):
    person = UserFactory()
    RegistrationFactory(event=event, user=person)
    with pytest.raises(Refused) as refusal:
        RegistrationFactory(event=event, user=person)
    assert refusal.value.code == "duplicate"
    assert Registration.objects.count() == 1


def test_an_anonymous_visitor_cannot_register(event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        register_person(AnonymousUser(), event, RegistrationInput(country="SN"))


def test_moderated_registration_waits_for_approval(secretariat, outsider):
    event = EventFactory(
        created_by=secretariat, approval=Event.Approval.MODERATED, slug="moderated"
    )
    registration = RegistrationFactory(event=event)
    assert registration.status == "pending"
    with pytest.raises(PermissionDenied):
        decide_registration(outsider, registration, approve=True)
    assert decide_registration(secretariat, registration, True).status == "confirmed"


def test_the_participant_changes_their_answers(event):
    registration = RegistrationFactory(event=event)
    question = event.questions.get()
    change_answers(
        registration.user,
        registration,
        RegistrationInput(country="BF", answers={str(question.pk): "Vegetarian"}),
    )
    registration.refresh_from_db()
    assert registration.country_id == "BF"
    assert registration.answers == {str(question.pk): "Vegetarian"}


def test_cancelling_and_registering_again_reuses_the_row(event):
    registration = RegistrationFactory(event=event)
    cancel_registration(registration.user, registration)
    again = RegistrationFactory(event=event, user=registration.user)
    assert again.pk == registration.pk and again.status == "confirmed"


def test_reminders_go_once_a_day_ahead(event):
    RegistrationFactory(event=event)
    now = event.starts_at - timedelta(hours=3)
    send_reminders(now)
    send_reminders(now)
    assert OutgoingEmail.objects.filter(key__startswith="event.reminder:").count() == 1


def test_changing_the_time_tells_the_participants(event, secretariat):
    registration = RegistrationFactory(event=event)
    data = EventInput(
        slug=event.slug,
        title=event.title,
        kind=event.kind,
        format=event.format,
        starts_at=event.starts_at + timedelta(hours=1),
        ends_at=event.ends_at + timedelta(hours=1),
        time_zone=event.time_zone,
        city=event.city,
        country="SN",
        capacity=event.capacity,
    )
    update_event(secretariat, event, data)
    assert OutgoingEmail.objects.filter(
        to=registration.email, key__startswith="event.changed:"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_asking_for_the_last_seat_get_one_seat(secretariat):
    event = EventFactory(created_by=secretariat, slug="last-seat", capacity=1)
    people = [UserFactory() for _ in range(6)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(people))

    def attempt(person):
        try:
            barrier.wait()
            outcomes.append(RegistrationFactory(event=event, user=person).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed"] + ["waiting"] * 5
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_the_reminder_task_sends_through_the_service(event):
    from concord.events.tasks import PERIODIC_JOBS

    RegistrationFactory(event=event)
    [(name, interval, job)] = PERIODIC_JOBS
    assert name == "send-event-reminders" and interval == timedelta(minutes=15)
    assert job.call() == 0  # the event is a month away: nothing to remind yet
