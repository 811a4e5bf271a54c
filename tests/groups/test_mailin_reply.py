"""Replies by email through `concord mailin`, started as its own process on the test
database: a member's reply becomes a post without the quote and the signature; a mail to the
group's address starts a thread; a stranger, a forged or expired token, an over-size message
are refused (550 / 552) and an auto-reply is dropped, none of them posted."""

import smtplib
import time
from email.message import EmailMessage

import pytest

from concord.groups import tokens
from concord.groups.models import Membership, Post, Thread
from concord.groups.services import posting
from tests.groups.conftest import DOMAIN
from tests.mailin_server import mailin as mailin_process
from tests.mailin_server import wait_for
from tests.security.calls import png

pytestmark = pytest.mark.django_db(transaction=True)

QUOTED = """Merci Bakary, je suis d'accord : écrivons la note ensemble.

Fatou
--
Fatou Diallo
Sahel Water Network

Le jeu. 3 déc. 2026 à 10:00, Bakary Colleague <{address}> a écrit :
> Shall we write a joint note on adaptation finance?
> Second line of the earlier message.
"""


@pytest.fixture
def mailin_server():
    with mailin_process(DOMAIN, max_bytes=20000) as port:
        yield port


@pytest.fixture
def thread(members, people) -> Thread:
    return posting.start_thread(
        people["colleague"],
        members,
        "Joint note",
        "Shall we write a joint note on adaptation finance?",
    ).thread


def _reply_address(group, user, thread) -> str:
    membership = Membership.objects.get(group=group, user=user)
    return tokens.reply_address(membership.pk, thread.pk)


def _mail(sender: str, to: str, body: str, subject: str = "Re: Joint note", **headers) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def _send(port: int, sender: str, to: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail(sender, [to], raw)


def test_a_members_reply_becomes_a_post_without_quote_or_signature(
    mailin_server, members, people, thread
):
    address = _reply_address(members, people["fatou"], thread)
    _send(
        mailin_server,
        "fatou@sahel.example",
        address,
        _mail("Fatou <fatou@sahel.example>", address, QUOTED.format(address=address)),
    )
    assert wait_for(lambda: thread.posts.count() == 2)
    reply = thread.posts.order_by("created_at").last()
    assert reply.author == people["fatou"] and reply.source == Post.Source.EMAIL
    assert reply.body.startswith("Merci Bakary")
    assert "Shall we write" not in reply.body and "Sahel Water Network" not in reply.body
    assert reply.language == "fr"


def test_a_stranger_and_a_forged_token_are_refused_and_nothing_is_posted(
    mailin_server, members, people, thread
):
    address = _reply_address(members, people["fatou"], thread)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(
            mailin_server,
            "outsider@example.org",
            address,
            _mail("outsider@example.org", address, "Spam here"),
        )
    assert refused.value.smtp_code == 550
    forged = address.replace("reply+", "reply+9").split("@")[0] + f"@{DOMAIN}"
    with pytest.raises(smtplib.SMTPDataError):
        _send(
            mailin_server,
            "fatou@sahel.example",
            forged,
            _mail("fatou@sahel.example", forged, "Forged token"),
        )
    assert thread.posts.count() == 1


def test_an_expired_token_is_refused(mailin_server, members, people, thread, settings):
    membership = Membership.objects.get(group=members, user=people["fatou"])
    old = tokens.make(
        membership.pk, thread.pk, now=time.time() - (settings.GROUP_REPLY_DAYS + 1) * 86400
    )
    address = f"reply+{old}@{DOMAIN}"
    with pytest.raises(smtplib.SMTPDataError):
        _send(
            mailin_server,
            "fatou@sahel.example",
            address,
            _mail("fatou@sahel.example", address, "Too late now"),
        )
    assert thread.posts.count() == 1


def test_auto_replies_are_dropped_and_oversize_refused(mailin_server, members, people, thread):
    address = _reply_address(members, people["fatou"], thread)
    _send(mailin_server, "fatou@sahel.example", address,
          _mail("fatou@sahel.example", address, "I am away this week.", Auto_Submitted="auto-replied"))  # fmt: skip
    _send(mailin_server, "fatou@sahel.example", address,
          _mail("fatou@sahel.example", address, "Bulk newsletter text.", Precedence="bulk"))  # fmt: skip
    with pytest.raises(smtplib.SMTPException):
        _send(
            mailin_server,
            "fatou@sahel.example",
            address,
            _mail("fatou@sahel.example", address, "x" * 30000),
        )
    # A genuine reply afterwards shows the server had read the others by then.
    _send(
        mailin_server,
        "fatou@sahel.example",
        address,
        _mail("fatou@sahel.example", address, "A real answer here."),
    )
    assert wait_for(lambda: thread.posts.count() == 2)
    assert list(thread.posts.values_list("body", flat=True))[1] == "A real answer here."


def test_a_members_mail_to_the_group_starts_a_thread(mailin_server, members, people):
    address = tokens.group_address(members.slug)
    _send(mailin_server, "fatou@sahel.example", address,
          _mail("fatou@sahel.example", address, "Une idée pour la réunion de Bamako en mars prochain.", subject="Réunion de Bamako"))  # fmt: skip
    assert wait_for(
        lambda: Thread.objects.filter(group=members, title="Réunion de Bamako").exists()
    )
    with pytest.raises(smtplib.SMTPDataError):
        _send(
            mailin_server,
            "outsider@example.org",
            address,
            _mail("outsider@example.org", address, "Hello", subject="Spam"),
        )
    assert not Thread.objects.filter(title="Spam").exists()


def test_a_replys_image_is_attached_and_a_file_of_another_kind_refused_with_why(
    mailin_server, members, people, thread
):
    address = _reply_address(members, people["fatou"], thread)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "fatou@sahel.example", address, "Re"
    message.set_content("Voici la photo du puits.")
    message.add_attachment(png().read(), maintype="image", subtype="png", filename="puits.png")
    _send(mailin_server, "fatou@sahel.example", address, message.as_bytes())
    assert wait_for(lambda: thread.posts.count() == 2)
    reply = thread.posts.order_by("created_at").last()
    assert [(a.name, a.content_type) for a in reply.attachments.all()] == [
        ("puits.webp", "image/webp")
    ]
    # A program is no image and no PDF: the message is refused and the answer says why.
    message.replace_header("Subject", "Re again")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream",
                           filename="tool.exe")  # fmt: skip
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(mailin_server, "fatou@sahel.example", address, message.as_bytes())
    assert refused.value.smtp_code == 550
    assert b"tool.exe is not a PDF or an image" in refused.value.smtp_error
    assert thread.posts.count() == 2
