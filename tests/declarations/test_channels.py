"""Signing channels: a form kept offline and sent later (device time kept beside receipt, a
clock far off flagged, not refused), the kiosk link, and the managers' counts by channel."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.declarations import queries
from concord.declarations.models import Signature
from concord.declarations.services import kiosk
from concord.declarations.services import signing as signatures
from tests.declarations.test_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_signing_checks(settings):
    settings.SIGN_MIN_SECONDS = 0
    cache.clear()


def send_later(client, declaration, device_at, key="k1", data=None):
    """The form as the phone kept it: the same body each time it is sent."""
    return client.post(
        f"/declarations/{declaration.slug}/sign/",
        data or form_data(),
        HTTP_IDEMPOTENCY_KEY=key,
        HTTP_SIGNED_ON_DEVICE_AT=device_at.isoformat(),
    )


def test_a_form_sent_later_keeps_its_device_time_and_counts_once_whatever_the_sends(
    client, declaration
):
    signed_at = timezone.now() - timedelta(hours=3)
    kept = form_data()
    first = send_later(client, declaration, signed_at, data=kept)
    assert first.status_code == 302
    again = send_later(client, declaration, signed_at, data=kept)
    assert (again.status_code, again["Location"]) == (302, first["Location"])
    signature = Signature.objects.get(declaration=declaration)
    assert signature.source == Signature.Source.SYNCED
    assert abs(signature.signed_on_device_at - signed_at) < timedelta(seconds=1)
    assert signature.created_at > signature.signed_on_device_at
    assert signature.flags == ""
    assert OutgoingEmail.objects.filter(to="fatou@example.org").count() == 1
    assert [
        (c.channel, c.confirmed, c.pending) for c in queries.signatures_by_channel(declaration)
    ][2] == ("synced", 0, 1)
    link = OutgoingEmail.objects.get(to="fatou@example.org").body_text
    token = re.search(r"/confirm/([^/\s]+)/", link).group(1)
    signatures.confirm_signature(declaration, token)
    counts = {
        c.channel: (c.confirmed, c.pending) for c in queries.signatures_by_channel(declaration)
    }
    assert counts == {"online": (0, 0), "kiosk": (0, 0), "synced": (1, 0), "paper": (0, 0)}


@pytest.mark.parametrize("off", [timedelta(days=2), -timedelta(days=2)])
def test_a_device_clock_far_off_is_flagged_for_review_not_refused(client, declaration, off):
    assert send_later(client, declaration, timezone.now() - off).status_code == 302
    signature = Signature.objects.get(declaration=declaration)
    assert "device-clock" in signature.flags.split(",")
    assert signature.status == Signature.Status.PENDING


def test_the_tolerance_is_a_setting(client, declaration, settings):
    settings.DEVICE_CLOCK_TOLERANCE_HOURS = 1
    send_later(client, declaration, timezone.now() - timedelta(hours=2))
    assert Signature.objects.get().flags == "device-clock"


def test_a_form_sent_at_once_is_online_with_no_device_time(client, declaration):
    client.post(f"/declarations/{declaration.slug}/sign/", form_data())
    signature = Signature.objects.get()
    assert (signature.source, signature.signed_on_device_at) == (Signature.Source.WEB, None)


def test_a_kiosk_link_is_for_one_declaration_and_expires(declaration, secretariat, outsider):
    with pytest.raises(Exception) as refused:
        kiosk.open_kiosk(outsider, declaration)
    assert refused.type.__name__ == "PermissionDenied"
    token = kiosk.open_kiosk(secretariat, declaration)
    kiosk.check_kiosk(declaration, token)
    for bad in (token[:-2] + "xx", "nonsense"):
        with pytest.raises(Refused):
            kiosk.check_kiosk(declaration, bad)


def test_an_expired_kiosk_link_is_refused(client, declaration, secretariat, monkeypatch):
    opened = time.time() - 13 * 3600  # KIOSK_HOURS is 12
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: opened)
        token = kiosk.open_kiosk(secretariat, declaration)
    response = client.get(f"/declarations/{declaration.slug}/kiosk/{token}/")
    assert response.status_code == 410
    assert b'name="email"' not in response.content


def test_a_kiosk_signature_is_the_signers_not_the_organisers(client, declaration, secretariat):
    token = kiosk.open_kiosk(secretariat, declaration)
    client.force_login(secretariat)  # the organiser opened it on this tablet
    url = f"/declarations/{declaration.slug}/kiosk/{token}/"
    response = client.post(url, form_data("juma@example.org"))
    assert response.status_code == 302 and response["Location"] == f"{url}?signed=1"
    page = client.get(response["Location"]).content.decode()
    assert "juma@example.org" not in page and "Fatou Sow" not in page
    signature = Signature.objects.get()
    assert (signature.source, signature.user_id, signature.status) == ("kiosk", None, "pending")


def test_managers_see_signatures_by_channel(client, declaration, secretariat):
    token = kiosk.open_kiosk(secretariat, declaration)
    client.post(f"/declarations/{declaration.slug}/kiosk/{token}/", form_data("a@example.org"))
    client.force_login(secretariat)
    html = client.get(f"/declarations/{declaration.slug}/manage/").content.decode()
    kiosk_row = re.search(r'<tr id="channel-kiosk">(.*?)</tr>', html).group(1)
    assert re.findall(r"<td>(\d+)</td>", kiosk_row) == ["0", "1"]


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_four_times_at_once_is_one_signature_and_one_email(declaration):
    """The claim is taken before the view runs: the others wait for its answer. (Without
    the key, each later send would mail the address "you have signed already".)"""
    kept = form_data()
    answers: list = []
    errors: list[Exception] = []
    barrier = threading.Barrier(4)

    def send():
        try:
            barrier.wait()
            answers.append(send_later(Client(), declaration, timezone.now(), data=kept))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, answers[0]["Location"])] * 4
    assert Signature.objects.filter(declaration=declaration).count() == 1
    assert OutgoingEmail.objects.filter(to="fatou@example.org").count() == 1


def test_reviewers_find_the_signatures_with_a_clock_far_off(client, declaration, secretariat):
    send_later(client, declaration, timezone.now() - timedelta(days=3))
    on_time = form_data("ok@example.org", name="Olga Petrova")
    send_later(client, declaration, timezone.now(), key="k2", data=on_time)
    client.force_login(secretariat)
    page = client.get(f"/declarations/{declaration.slug}/review/", {"flag": "device-clock"})
    html = page.content.decode()
    assert page.status_code == 200 and "Fatou Sow" in html and "Olga Petrova" not in html
    assert html.count("device-clock") >= 2  # the filter's choice and the flagged row
    assert Signature.objects.filter(flags="").get().email == "ok@example.org"
