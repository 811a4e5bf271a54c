"""`concord mailin`, started as its own process on the test database: a delivery status
notification sent to a message's return path over SMTP marks the address as bouncing; a
forged id changes nothing; unknown recipients and oversized messages are refused; it
listens only on the address it is given."""

import smtplib
import time

import pytest

from concord.core import bounces, mailin
from concord.core.models import BouncingAddress, MailBounce, OutgoingEmail
from tests.dsn import dsn
from tests.mailin_server import answers, free_port, wait_for
from tests.mailin_server import mailin as mailin_process

pytestmark = pytest.mark.django_db(transaction=True)

DOMAIN = "bounces.concord.test"


@pytest.fixture
def mailin_server(settings):
    """The command itself, on the test database, with a small size limit."""
    settings.BOUNCE_DOMAIN = DOMAIN
    with mailin_process(DOMAIN, max_bytes=20000) as port:
        yield port


def _message(to: str) -> OutgoingEmail:
    return OutgoingEmail.objects.create(key=f"test:{to}", to=to, subject="Hi", body_text="Hi")


def test_a_dsn_marks_the_address_it_was_sent_to_as_bouncing(mailin_server):
    message = _message("gone@example.net")
    return_path = bounces.return_path(message.pk)
    with smtplib.SMTP("127.0.0.1", mailin_server) as client:
        client.sendmail("", [return_path], dsn(return_path, "gone@example.net"))
    assert wait_for(lambda: BouncingAddress.objects.filter(address="gone@example.net").exists())


def test_a_forged_id_changes_nothing(mailin_server):
    message = _message("kept@example.net")
    forged = f"bounces+{message.pk}-{'a' * 20}@{DOMAIN}"
    with smtplib.SMTP("127.0.0.1", mailin_server) as client:
        client.sendmail("", [forged], dsn(forged, "kept@example.net"))
        # A second, genuine one afterwards shows the server did read the first by then.
        other = _message("other@example.net")
        genuine = bounces.return_path(other.pk)
        client.sendmail("", [genuine], dsn(genuine, "other@example.net"))
    assert wait_for(lambda: BouncingAddress.objects.filter(address="other@example.net").exists())
    assert not MailBounce.objects.filter(address="kept@example.net").exists()


def test_unknown_recipients_and_oversized_messages_are_refused(mailin_server):
    message = _message("big@example.net")
    with smtplib.SMTP("127.0.0.1", mailin_server) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("", [f"someone@{DOMAIN}"], b"Subject: hi\r\n\r\nhi")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("", ["bounces+1-2@elsewhere.example"], b"Subject: hi\r\n\r\nhi")
    with smtplib.SMTP("127.0.0.1", mailin_server) as client:
        big = dsn(bounces.return_path(message.pk), "big@example.net") + b"x" * 30000
        with pytest.raises(smtplib.SMTPException) as refused:
            client.sendmail("", [bounces.return_path(message.pk)], big)
        assert "552" in str(refused.value) or getattr(refused.value, "smtp_code", 0) == 552
    time.sleep(0.5)
    assert not MailBounce.objects.filter(address="big@example.net").exists()


def test_it_listens_only_on_the_address_given(mailin_server):
    assert answers("127.0.0.1", mailin_server)
    assert not answers("127.0.0.2", mailin_server)


def test_a_delay_warning_counts_nothing(settings):
    settings.BOUNCE_DOMAIN = DOMAIN
    message = _message("slow@example.net")
    suffix = bounces.return_path(message.pk).split("+", 1)[1].split("@")[0]
    assert not bounces.handle_bounce(suffix, dsn("x", "slow@example.net", status="2.0.0"))
    assert bounces.handle_bounce(suffix, dsn("x", "slow@example.net", status="4.2.2"))
    assert MailBounce.objects.get(address="slow@example.net").kind == "soft"
    assert not bounces.is_bouncing("slow@example.net")


def test_the_lmtp_server_takes_a_dsn_too(settings):
    settings.BOUNCE_DOMAIN = DOMAIN
    message = _message("lmtp@example.net")
    port = free_port()
    server = mailin.controller("127.0.0.1", port, lmtp=True)
    server.start()
    try:
        return_path = bounces.return_path(message.pk)
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.sendmail("", [return_path], dsn(return_path, "lmtp@example.net"))
    finally:
        server.stop()
    assert bounces.is_bouncing("lmtp@example.net")
