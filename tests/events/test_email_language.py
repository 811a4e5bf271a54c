"""A participant's emails are in their language (their account's preference, else the page
they registered on) and link to the event's page in it, whoever or whatever sent them: the
participant, an organiser working in English, or the worker, which has no request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from concord.events.services.messages import send_reminders
from concord.events.services.registration import cancel_registration
from tests import inbox
from tests.factories.accounts import UserFactory
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db


def in_language(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values


def in_french(msgid: str, **values) -> str:
    return in_language("fr", msgid, **values)


@pytest.fixture
def amina(db):
    return UserFactory(email="amina@example.org", name="Amina Diallo", language="fr")


def test_a_french_member_registering_on_the_english_page_is_waitlisted_in_french(
    client, event, amina, smtp_server, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)  # the two seats are taken
    client.force_login(amina)
    with translation.override("en"):
        register = reverse("events:register", args=[event.slug])
    question = event.questions.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register, {"country": "SN", f"question_{question.pk}": "None"})
    assert response.status_code == 302

    [received] = inbox.to(smtp_server.wait_for(1), "amina@example.org")
    english = in_language("en", "You are on the waiting list: %(title)s", title=event.title)
    french = in_french("You are on the waiting list: %(title)s", title=event.title)
    assert french != english
    assert inbox.subject(received) == french
    body = inbox.parts(received)
    assert '<html lang="fr"' in body["text/html"]
    assert set(inbox.paths(*body.values())) == {f"/fr/events/{event.slug}/"}


def test_a_seat_freed_by_an_organiser_working_in_english_is_announced_in_french(
    event, amina, secretariat, django_capture_on_commit_callbacks, smtp_server
):
    first = RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, user=amina, language="fr")  # waiting

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        cancel_registration(secretariat, first)

    promoted = [
        message
        for message in inbox.to(smtp_server.wait_for(1), "amina@example.org")
        if inbox.subject(message) == in_french("A seat is yours: %(title)s", title=event.title)
    ]
    assert len(promoted) == 1
    assert set(inbox.paths(*inbox.parts(promoted[0]).values())) == {f"/fr/events/{event.slug}/"}


def test_the_workers_reminder_keeps_the_participants_language_and_links(
    event, amina, django_capture_on_commit_callbacks, smtp_server
):
    RegistrationFactory(event=event, user=amina)
    translation.deactivate()  # the worker: no request, no language of its own
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert send_reminders(event.starts_at - timedelta(hours=3)) == 1
    finally:
        translation.activate("en")
    [reminder] = [
        message
        for message in inbox.to(smtp_server.wait_for(2), "amina@example.org")
        if inbox.subject(message) == in_french("Tomorrow: %(title)s", title=event.title)
    ]
    assert set(inbox.paths(*inbox.parts(reminder).values())) == {f"/fr/events/{event.slug}/"}
