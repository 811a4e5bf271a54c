"""Offline check-in: the kit a phone downloads (names, HMACs of the valid badge codes, no
address), its expiry and revocation, and the scans sent back merged into one check-in."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.events.models import CheckIn, CheckInScan, Registration
from concord.events.services import offline_checkin
from concord.events.services.checkin import badge_code
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def scan(code: str, client_id: str, door: str = "North", at=None) -> dict:
    return {"id": client_id, "code": code, "door": door, "at": (at or timezone.now()).isoformat()}


def test_the_kit_lists_each_valid_badge_by_its_hmac_with_a_name_and_no_address(event, secretariat):
    ana = RegistrationFactory(event=event, user=UserFactory(name="Ana Silva"))
    other = EventFactory(created_by=secretariat, slug="other-forum")
    foreign = RegistrationFactory(event=other)
    kit = offline_checkin.issue_kit(secretariat, event)
    contents = offline_checkin.kit_contents(kit)
    assert contents["kit"] == kit.pk and contents["event"] == event.slug
    assert set(contents["badges"]) == {offline_checkin.code_hmac(kit.key, badge_code(ana))}
    assert next(iter(contents["badges"].values()))["name"] == "Ana Silva"
    text = json.dumps(contents)
    assert ana.email not in text and foreign.email not in text and "@" not in text
    assert badge_code(ana) not in text  # the kit prints no badge
    assert offline_checkin.code_hmac(kit.key, badge_code(foreign)) not in contents["badges"]


def test_only_organisers_get_a_kit_or_sync(event, outsider, secretariat):
    with pytest.raises(PermissionDenied):
        offline_checkin.issue_kit(outsider, event)
    kit = offline_checkin.issue_kit(secretariat, event)
    with pytest.raises(PermissionDenied):
        offline_checkin.sync_scans(outsider, event, kit.pk, "phone", [])


def test_one_badge_at_two_doors_is_one_check_in_with_both_scans(event, secretariat):
    registration = RegistrationFactory(event=event)
    code = badge_code(registration)
    north = offline_checkin.issue_kit(secretariat, event)
    south = offline_checkin.issue_kit(secretariat, event)
    first = offline_checkin.sync_scans(secretariat, event, north.pk, "phone-a", [scan(code, "a1")])
    second = offline_checkin.sync_scans(
        secretariat, event, south.pk, "phone-b", [scan(code, "b1", door="South")]
    )
    assert [r["outcome"] for r in first + second] == ["checked_in", "already"]
    checkin = CheckIn.objects.get()
    assert sorted(checkin.scans.values_list("device", "door")) == [
        ("phone-a", "North"),
        ("phone-b", "South"),
    ]
    # The same batch sent again changes nothing.
    again = offline_checkin.sync_scans(secretariat, event, north.pk, "phone-a", [scan(code, "a1")])
    assert again == [{"id": "a1", "outcome": "kept"}]
    assert CheckInScan.objects.count() == 2 and CheckIn.objects.count() == 1


def test_forged_and_other_events_codes_are_refused_on_sync(event, secretariat):
    registration = RegistrationFactory(event=event)
    forged = badge_code(registration)[:-1] + ("0" if badge_code(registration)[-1] != "0" else "1")
    other = RegistrationFactory(event=EventFactory(created_by=secretariat, slug="elsewhere"))
    kit = offline_checkin.issue_kit(secretariat, event)
    results = offline_checkin.sync_scans(
        secretariat, event, kit.pk, "phone", [scan(forged, "f1"), scan(badge_code(other), "o1")]
    )
    assert [r["outcome"] for r in results] == ["refused", "refused"]
    assert not CheckIn.objects.exists() and not CheckInScan.objects.exists()


def test_a_revoked_kit_syncs_nothing_and_a_scan_after_expiry_is_refused(event, secretariat):
    registration = RegistrationFactory(event=event)
    kit = offline_checkin.issue_kit(secretariat, event)
    late = kit.expires_at + timedelta(minutes=1)
    results = offline_checkin.sync_scans(
        secretariat, event, kit.pk, "phone", [scan(badge_code(registration), "x", at=late)]
    )
    assert results[0]["outcome"] == "refused" and not CheckIn.objects.exists()
    assert kit.is_usable(timezone.now()) and not kit.is_usable(late)
    assert offline_checkin.revoke_kits(secretariat, event) == 1
    with pytest.raises(Refused):
        offline_checkin.sync_scans(
            secretariat, event, kit.pk, "phone", [scan(badge_code(registration), "y")]
        )
    assert not CheckIn.objects.exists()


def test_a_malformed_batch_is_refused_whole(event, secretariat):
    registration = RegistrationFactory(event=event)
    kit = offline_checkin.issue_kit(secretariat, event)
    good = scan(badge_code(registration), "g")
    for bad in ([], "scans", [good, {"id": "n", "code": "C1-00", "at": "yesterday"}]):
        with pytest.raises(ValidationError):
            offline_checkin.sync_scans(secretariat, event, kit.pk, "phone", bad)
    with pytest.raises(ValidationError):
        offline_checkin.sync_scans(secretariat, event, "1", "phone", [good])
    assert not CheckIn.objects.exists()


def test_the_page_sync_answers_per_scan_and_a_resend_with_its_key_is_replayed(
    client, event, secretariat
):
    registration = RegistrationFactory(event=event)
    kit = offline_checkin.issue_kit(secretariat, event)
    client.force_login(secretariat)
    url = f"/events/{event.slug}/checkin/sync/"
    body = json.dumps(
        {"kit": kit.pk, "device": "p", "scans": [scan(badge_code(registration), "s")]}
    )
    headers = {"HTTP_IDEMPOTENCY_KEY": "batch-1"}
    first = client.post(url, body, "application/json", **headers)
    assert first.json()["results"][0]["outcome"] == "checked_in"
    second = client.post(url, body, "application/json", **headers)
    assert second.content == first.content and second["Idempotent-Replayed"] == "true"
    assert client.post(url, "[]", "application/json").status_code == 422
    assert CheckInScan.objects.count() == 1


def test_a_registration_kept_offline_and_sent_twice_registers_once(client, event):
    client.force_login(UserFactory(name="Nigar Guliyeva"))
    question = event.questions.get()
    body = {"country": "AZ", f"question_{question.pk}": "Vegetarian"}
    key = {"HTTP_IDEMPOTENCY_KEY": "registration-1"}
    first = client.post(f"/events/{event.slug}/register/", body, **key)
    second = client.post(f"/events/{event.slug}/register/", body, **key)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] and second["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(event=event).count() == 1
    assert OutgoingEmail.objects.filter(to=Registration.objects.get().email).count() == 1


def test_the_kit_is_posted_to_organisers_only_and_revoking_on_the_page_says_how_many(
    client, event, secretariat, outsider
):
    registration = RegistrationFactory(event=event)
    client.force_login(outsider)
    assert client.post(f"/events/{event.slug}/checkin/kit/").status_code == 403
    assert client.get(f"/events/{event.slug}/checkin/kit/").status_code == 405
    client.force_login(secretariat)
    answer = client.post(f"/events/{event.slug}/checkin/kit/")
    assert answer["Cache-Control"] == "no-store"
    assert registration.email not in answer.content.decode()
    assert len(answer.json()["badges"]) == 1
    revoked = client.post(f"/events/{event.slug}/checkin/kit/revoke/", follow=True)
    assert "1 check-in kit revoked" in revoked.content.decode()
    assert not event.checkin_kits.filter(revoked_at__isnull=True).exists()
