"""The outbox: messages rendered in the recipient's language, queued once, delivered once."""

import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django_tasks import TaskResultStatus

from concord.core import emails
from concord.core.emails import deliver_email, queue_email
from concord.core.models import OutgoingEmail
from concord.core.tasks import retry_unsent_emails

pytestmark = pytest.mark.django_db

TEMPLATE = "organisations/emails/membership_approved"


def approved_context(name: str = "Mangrove Keepers") -> dict:
    return {
        "organisation": SimpleNamespace(name=name),
        "note": "Welcome aboard.",
        "url": "http://testserver/members/7/",
    }


def queue(key: str = "membership.approved:7", to: str = "awa@example.org", **kwargs):
    kwargs.setdefault("template", TEMPLATE)
    kwargs.setdefault("context", approved_context())
    return queue_email(key=key, to=to, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def language_templates(settings, tmp_path):
    """A triplet made of strings Django itself translates, so the test does not depend on
    the state of Concord's own catalogues."""
    folder = tmp_path / "probe" / "emails"
    folder.mkdir(parents=True)
    probe = '{% load i18n %}{% translate "January" %} {{ who }}'
    (folder / "month_subject.txt").write_text(probe)
    (folder / "month.txt").write_text(probe)
    (folder / "month.html").write_text(f"<p>{probe}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "probe/emails/month"


@pytest.mark.parametrize(
    ("language", "january"), [("en", "January"), ("fr", "janvier"), ("ar", "يناير")]
)
def test_all_three_parts_are_rendered_in_the_recipients_language(
    language_templates, language, january
):
    message = queue(template=language_templates, context={"who": "Awa"}, acted_in=language)
    assert message.subject == f"{january} Awa"
    assert message.body_text == f"{january} Awa"
    assert message.body_html == f"<p>{january} Awa</p>"


def test_rendering_in_a_language_does_not_change_the_callers_language(language_templates):
    from django.utils import translation

    with translation.override("en"):
        queue(template=language_templates, context={"who": "Awa"}, acted_in="fr")
        assert translation.get_language() == "en"


def test_html_part_carries_the_language_and_direction_of_the_recipient():
    french = queue(key="k:fr", acted_in="fr")
    arabic = queue(key="k:ar", acted_in="ar")
    assert '<html lang="fr" dir="ltr">' in french.body_html
    assert '<html lang="ar" dir="rtl">' in arabic.body_html


def test_approval_message_names_the_organisation_and_links_to_it():
    message = queue()
    assert message.to == "awa@example.org"
    assert message.subject == "Welcome: Mangrove Keepers is now a member"
    assert "approved the membership of Mangrove Keepers" in message.body_text
    assert "http://testserver/members/7/" in message.body_text
    assert '<a href="http://testserver/members/7/">' in message.body_html
    assert message.sent_at is None
    assert message.attempts == 0


def test_plain_text_parts_are_not_html_escaped_but_the_html_part_is():
    message = queue(context=approved_context("Rivers & <b>Deltas</b>"))
    assert message.subject == "Welcome: Rivers & <b>Deltas</b> is now a member"
    assert "membership of Rivers & <b>Deltas</b>." in message.body_text
    assert "&amp;" not in message.body_text
    assert "&lt;" not in message.body_text
    assert "membership of Rivers &amp; &lt;b&gt;Deltas&lt;/b&gt;." in message.body_html
    assert "<b>Deltas</b>" not in message.body_html


def test_subject_is_one_line():
    message = queue(context=approved_context("Mangrove\nKeepers"))
    assert "\n" not in message.subject
    assert message.subject == "Welcome: Mangrove Keepers is now a member"


def test_the_same_key_is_queued_and_sent_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(key="membership.approved:7")
        second = queue(key="membership.approved:7", to="someone.else@example.org")
    assert first is not None
    assert second is None
    assert len(callbacks) == 1
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["awa@example.org"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["awa@example.org"]


def test_nothing_is_delivered_before_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue()
    assert len(callbacks) == 1
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.sent_at is None


def parts_of(received) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode(
            part.get_content_charset() or "utf-8"
        )
        for part in received.walk()
        if not part.is_multipart()
    }


def test_delivery_through_smtp_arrives_once_with_text_and_html(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(context=approved_context("Rivers & Deltas"))
    received = smtp_server.wait_for(1)
    assert len(received) == 1
    assert received[0]["To"] == "awa@example.org"
    assert received[0]["Subject"] == "Welcome: Rivers & Deltas is now a member"
    assert received[0].get_content_type() == "multipart/alternative"
    parts = parts_of(received[0])
    assert set(parts) == {"text/plain", "text/html"}
    assert "membership of Rivers & Deltas." in parts["text/plain"]
    assert "membership of Rivers &amp; Deltas." in parts["text/html"]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error == ""
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1


def test_a_sent_message_is_not_sent_again_when_its_task_runs_again(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    assert len(smtp_server.wait_for(1)) == 1
    message.refresh_from_db()
    sent_at = message.sent_at

    rerun = deliver_email.enqueue(message.pk)

    assert rerun.status == TaskResultStatus.SUCCESSFUL
    assert rerun.return_value is False
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1
    message.refresh_from_db()
    assert message.sent_at == sent_at
    assert message.attempts == 1


def test_an_unknown_message_is_not_delivered(smtp_server):
    assert emails.deliver(987654) is False
    assert smtp_server.messages == []


def test_when_smtp_is_down_the_failure_is_recorded_and_retried_later(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    server_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()

    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error != ""

    # Run by hand, delivery raises, and the attempt is still counted.
    with pytest.raises(OSError):
        emails.deliver(message.pk)
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 2
    assert message.last_error != ""

    settings.EMAIL_PORT = server_port
    # A message only just queued is left to its own task.
    assert retry_unsent_emails.enqueue().return_value == 0
    assert smtp_server.messages == []

    OutgoingEmail.objects.filter(pk=message.pk).update(
        created_at=message.created_at - timedelta(minutes=10)
    )
    retried = retry_unsent_emails.enqueue()

    assert retried.status == TaskResultStatus.SUCCESSFUL
    assert retried.return_value == 1
    received = smtp_server.wait_for(1)
    assert len(received) == 1
    assert received[0]["Subject"] == "Welcome: Mangrove Keepers is now a member"
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 3
    # The next sweep finds nothing left to send.
    assert retry_unsent_emails.enqueue().return_value == 0
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1


def test_retries_give_up_after_ten_attempts(smtp_server):
    message = queue()
    OutgoingEmail.objects.filter(pk=message.pk).update(
        attempts=10, created_at=message.created_at - timedelta(minutes=10)
    )
    assert retry_unsent_emails.enqueue().return_value == 0
    assert smtp_server.messages == []


def test_a_batch_is_claimed_and_read_at_once_and_each_message_marked_when_sent(
    smtp_server, django_assert_num_queries
):
    messages = [queue(key=f"batch:{n}", to=f"signer{n}@example.org") for n in range(5)]
    ids = [message.pk for message in messages]
    # One UPDATE claims, one SELECT reads, then one UPDATE per message right after its send.
    with django_assert_num_queries(2 + 5):
        assert emails.deliver_emails.call(ids) == 5
    assert sorted(m["To"] for m in smtp_server.wait_for(5)) == sorted(m.to for m in messages)
    assert OutgoingEmail.objects.filter(pk__in=ids, sent_at__isnull=False).count() == 5
    assert emails.deliver_emails.call(ids) == 0  # run again: nothing goes twice


def test_when_a_send_fails_the_rest_of_the_batch_is_given_back():
    messages = [queue(key=f"batch:{n}", to=f"signer{n}@example.org") for n in range(3)]

    class FailsSecond:
        sent: list = []

        def send_messages(self, batch):
            if len(self.sent) == 1:
                raise ConnectionResetError("mail server went away")
            self.sent.extend(batch)
            return len(batch)

    with pytest.raises(OSError):
        emails.deliver_batch([message.pk for message in messages], FailsSecond())
    first, second, third = (OutgoingEmail.objects.get(pk=m.pk) for m in messages)
    assert first.sent_at is not None
    assert second.sent_at is None and "went away" in second.last_error
    assert third.sent_at is None and third.last_error == ""
    # Given back at once: the retry job need not wait for the claim to run out.
    assert second.claimed_until is None and third.claimed_until is None
