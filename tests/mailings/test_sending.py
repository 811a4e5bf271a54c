"""A mailing from composing to delivery: who gets it, in which version, once; pausing,
bounces and unsubscribing keep people out of later mailings."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from concord.core import bounces, preferences
from concord.core.errors import Refused
from concord.core.models import AuditEvent, OutgoingEmail
from concord.mailings.models import Mailing
from concord.mailings.services import composing, sending
from tests import inbox as read
from tests.mailings.conftest import mailing_input

pytestmark = pytest.mark.django_db


def test_preview_counts_each_reader_once_by_version_and_country(secretariat, audiences):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    counts = sending.preview(mailing)
    # Fiji's French reader, Jamaica's (also a signatory, counted once), and the signer, who
    # read the declaration's English text.
    assert counts.total == 3
    assert counts.by_language == {"fr": 1, "en": 2}
    assert counts.by_country == {"FJ": 1, "JM": 1, "SN": 1}


def test_a_mailing_reaches_everyone_once_in_their_language(
    secretariat, audiences, smtp_server, django_capture_on_commit_callbacks
):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send(secretariat, mailing)
    messages = smtp_server.wait_for(3)
    assert Counter(m["To"] for m in messages) == {
        "mere@fiji.example": 1, "kemar@jamaica.example": 1, "informed@example.org": 1
    }  # fmt: skip
    subjects = {m["To"]: read.subject(m) for m in messages}
    assert subjects["mere@fiji.example"] == "Signez avant la COP"
    assert subjects["kemar@jamaica.example"] == "Sign before COP"
    first = read.to(messages, "mere@fiji.example")[0]
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first["List-Unsubscribe"].strip().startswith("<http")
    assert first["Reply-To"] == "secretariat@example.org"
    assert "Coalition secretariat" in first["From"]
    parts = read.parts(first)
    assert "<strong>Signez</strong>" in parts["text/html"]
    assert "**Signez**" in parts["text/plain"]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert sending.progress(mailing) == {"sent": 3, "refused": 0, "waiting": 0, "total": 3}
    assert AuditEvent.objects.filter(action="mailing.sent", actor=secretariat).exists()


def test_the_envelope_sender_is_a_signed_return_path(
    secretariat, audiences, smtp_server, django_capture_on_commit_callbacks
):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send(secretariat, mailing)
    smtp_server.wait_for(3)
    message = OutgoingEmail.objects.get(batch=mailing.batch, to="mere@fiji.example")
    path = bounces.return_path(message.pk)
    assert path.startswith(f"bounces+{message.pk}-") and path.endswith("@bounces.concord.test")
    assert bounces.message_for(path.split("+", 1)[1].split("@")[0]) == message
    assert bounces.message_for(f"{message.pk}-{'0' * 20}") is None


def test_bouncing_and_unsubscribed_addresses_are_left_out(secretariat, audiences):
    bounces.record("mere@fiji.example", "hard", "550 no such user")
    preferences.stop_address("informed@example.org", "news")
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    counts = sending.preview(mailing)
    assert counts.total == 1 and counts.bouncing == 1 and counts.unsubscribed == 1


def test_three_soft_bounces_in_two_weeks_make_an_address_bouncing(db):
    assert not bounces.record("a@example.org", "soft")
    assert not bounces.record("a@example.org", "soft")
    assert bounces.record("a@example.org", "soft")
    assert bounces.is_bouncing("a@example.org")
    assert bounces.reset("a@example.org")
    assert not bounces.is_bouncing("a@example.org")


def test_a_paused_mailing_sends_nothing_more_until_resumed(
    secretariat, audiences, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.MAILING_RATE = 6  # one message per 10-second release
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send(secretariat, mailing)
    assert len(smtp_server.wait_for(1)) == 1
    sending.pause(secretariat, mailing)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.release_all() == 0
    assert sending.progress(mailing)["waiting"] == 2
    sending.resume(secretariat, mailing)
    Mailing.objects.filter(pk=mailing.pk).update(released_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.release_all() == 1
    assert len(smtp_server.wait_for(2)) == 2


def test_queueing_again_adds_nobody_twice(
    secretariat, audiences, django_capture_on_commit_callbacks
):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.QUEUEING)
    assert sending.queue_recipients.call(mailing.pk) == 3
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.QUEUEING, prepared=False)
    assert sending.queue_recipients.call(mailing.pk) == 0
    assert OutgoingEmail.objects.filter(batch=mailing.batch).count() == 3


def test_an_empty_audience_is_refused_and_nothing_is_sent(secretariat, coalition):
    empty = composing.save_audience(
        secretariat,
        composing.AudienceInput(name="Nobody", kind="representatives", countries=["IS"]),
    )
    mailing = composing.save_mailing(secretariat, mailing_input([empty]))
    with pytest.raises(Refused) as refused:
        sending.send(secretariat, mailing)
    assert refused.value.code == "empty"
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DRAFT
    assert not OutgoingEmail.objects.filter(batch=mailing.batch).exists()


def test_a_large_audience_needs_a_confirmation(secretariat, audiences, settings):
    settings.MAILING_CONFIRM_ABOVE = 2
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with pytest.raises(Refused) as refused:
        sending.send(secretariat, mailing)
    assert refused.value.code == "confirm"
    assert sending.send(secretariat, mailing, confirmed=True).total == 3


@pytest.mark.parametrize(
    "body",
    ["Hello <script>alert(1)</script>", "Look ![map](https://tracker.example/pixel.png)"],
)
def test_script_and_remote_images_are_refused(secretariat, audiences, body):
    with pytest.raises(ValidationError) as refused:
        composing.save_mailing(
            secretariat, mailing_input(audiences, texts=[composing.Text("en", "Hi", body)])
        )
    assert "body_en" in refused.value.message_dict
    assert not Mailing.objects.exists()


def test_a_mailing_without_any_version_is_refused(secretariat, audiences):
    with pytest.raises(ValidationError) as refused:
        composing.save_mailing(secretariat, mailing_input(audiences, texts=[]))
    assert "texts" in refused.value.message_dict


def test_a_test_send_goes_to_the_author_only(
    secretariat, audiences, smtp_server, django_capture_on_commit_callbacks
):
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_test(secretariat, mailing) == 2
    messages = smtp_server.wait_for(2)
    assert {m["To"] for m in messages} == {secretariat.email}
    assert sorted(read.subject(m) for m in messages) == [
        "[Test] Sign before COP", "[Test] Signez avant la COP"
    ]  # fmt: skip
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.DRAFT


def test_an_address_that_bounces_while_the_mailing_waits_is_skipped(
    secretariat, audiences, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.MAILING_RATE = 6  # one message per 10-second release
    mailing = composing.save_mailing(secretariat, mailing_input(audiences))
    with django_capture_on_commit_callbacks(execute=True):
        sending.send(secretariat, mailing)  # the first address in order: informed@
    bounces.record("kemar@jamaica.example", "hard", "550")
    for _release in range(3):
        Mailing.objects.filter(pk=mailing.pk).update(released_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            sending.release_all()
    received = [m["To"] for m in smtp_server.wait_for(3, timeout=2)]
    assert sorted(received) == ["informed@example.org", "mere@fiji.example"]
    assert sending.progress(mailing) == {"sent": 2, "refused": 1, "waiting": 0, "total": 3}
    assert Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENT
