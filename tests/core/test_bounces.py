"""Bounces counted while sending: a mail server that refuses a recipient for good marks the
address as bouncing and the message refused (never retried), and the rest of the batch goes
on; a temporary refusal is counted and retried. Each message leaves with its own return path."""

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from concord.core import bounces, emails
from concord.core.models import MailBounce, OutgoingEmail
from tests.mailin_server import free_port

pytestmark = pytest.mark.django_db


class Refusing(Message):
    """Accepts every recipient but the ones named, which it refuses with their code."""

    def __init__(self, refuse: dict[str, str]):
        super().__init__()
        self.refuse, self.messages = refuse, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def refusing_server(settings):
    handler = Refusing(
        {
            "gone@example.net": "550 5.1.1 No such user",
            "full@example.net": "452 4.2.2 Mailbox full",
        }
    )
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.BOUNCE_DOMAIN = "bounces.concord.test"
    try:
        yield handler
    finally:
        controller.stop()


def _queued(*addresses: str) -> list[int]:
    return [
        OutgoingEmail.objects.create(key=f"t:{a}", to=a, subject="Hi", body_text="Hi").pk
        for a in addresses
    ]


def test_a_permanent_refusal_marks_the_address_and_the_batch_goes_on(refusing_server):
    ids = _queued("gone@example.net", "here@example.net")
    emails.deliver_batch(ids)
    assert bounces.is_bouncing("gone@example.net")
    gone, here = OutgoingEmail.objects.get(pk=ids[0]), OutgoingEmail.objects.get(pk=ids[1])
    assert gone.refused_at is not None and gone.sent_at is None
    assert here.sent_at is not None
    assert [m["To"] for m in refusing_server.messages] == ["here@example.net"]
    assert refusing_server.messages[0]["X-MailFrom"] == bounces.return_path(here.pk)
    assert emails.deliver_batch([ids[0]]) == 0  # never tried again


def test_a_temporary_refusal_is_counted_and_retried(refusing_server):
    [message] = _queued("full@example.net")
    with pytest.raises(OSError):
        emails.deliver_batch([message])
    assert MailBounce.objects.get(address="full@example.net").kind == "soft"
    assert not bounces.is_bouncing("full@example.net")
    assert OutgoingEmail.objects.get(pk=message).refused_at is None
