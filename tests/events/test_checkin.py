"""Check-in at the door: signed badge codes, forged or foreign codes, scanning twice, two doors."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from concord.core.errors import Refused
from concord.events.models import CheckIn
from concord.events.services.checkin import badge_code, check_in
from concord.events.services.registration import cancel_registration
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_badge_code_checks_its_holder_in_once(event, secretariat):
    registration = RegistrationFactory(event=event)
    code = badge_code(registration)
    record, created = check_in(secretariat, event, code, door="North")
    assert created and record.registration == registration and record.door == "North"
    again, created_again = check_in(secretariat, event, code.lower(), door="South")
    assert not created_again and again.pk == record.pk and again.door == "North"
    assert CheckIn.objects.count() == 1


def test_a_forged_code_is_refused(event, secretariat):
    registration = RegistrationFactory(event=event)
    code = badge_code(registration)
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    for bad in (forged, f"C{registration.pk}-0000000000000000", "hello", ""):
        with pytest.raises(Refused) as refusal:
            check_in(secretariat, event, bad)
        assert refusal.value.code == "bad_code" and refusal.value.status == 400
    assert not CheckIn.objects.exists()


def test_a_badge_from_another_event_is_refused(event, secretariat):
    other = EventFactory(created_by=secretariat, slug="other-forum", title="Another Forum")
    registration = RegistrationFactory(event=other)
    with pytest.raises(Refused) as refusal:
        check_in(secretariat, event, badge_code(registration))
    assert refusal.value.code == "other_event"
    assert "Another Forum" in refusal.value.message
    assert not CheckIn.objects.exists()


def test_a_cancelled_registrations_badge_is_refused(event, secretariat):
    registration = RegistrationFactory(event=event)
    code = badge_code(registration)
    cancel_registration(registration.user, registration)
    with pytest.raises(Refused) as refusal:
        check_in(secretariat, event, code)
    assert refusal.value.code in ("bad_code", "not_confirmed")


def test_registering_again_makes_older_badges_invalid(event, secretariat):
    registration = RegistrationFactory(event=event)
    old = badge_code(registration)
    cancel_registration(registration.user, registration)
    again = RegistrationFactory(event=event, user=registration.user)
    with pytest.raises(Refused):
        check_in(secretariat, event, old)
    assert check_in(secretariat, event, badge_code(again))[1]


def test_only_organisers_check_people_in(event, outsider):
    registration = RegistrationFactory(event=event)
    with pytest.raises(PermissionDenied):
        check_in(outsider, event, badge_code(registration))


def test_a_checked_in_person_cannot_cancel(event, secretariat):
    registration = RegistrationFactory(event=event)
    check_in(secretariat, event, badge_code(registration))
    with pytest.raises(Refused):
        cancel_registration(registration.user, registration)


@pytest.mark.django_db(transaction=True)
def test_two_doors_scanning_the_same_badge_at_once_record_one_check_in(secretariat):
    event = EventFactory(created_by=secretariat, slug="two-doors", capacity=5)
    code = badge_code(RegistrationFactory(event=event))
    outcomes: list[bool] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(6)

    def scan(door: str):
        try:
            barrier.wait()
            outcomes.append(check_in(secretariat, event, code, door=door)[1])
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(f"door {n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(outcomes) == [False] * 5 + [True]
    assert CheckIn.objects.filter(event=event).count() == 1
