"""Reading messages as they arrive at the test SMTP server (tests/conftest.py: smtp_server)
or as the outbox stores them: the decoded subject, each part, and every link to the site."""

import re
from email.header import decode_header, make_header
from email.message import Message

from django.conf import settings


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def parts(message: Message) -> dict[str, str]:
    """{content type: decoded text} of each part of the message."""
    return {
        part.get_content_type(): part.get_payload(decode=True).decode(
            part.get_content_charset() or "utf-8"
        )
        for part in message.walk()
        if not part.is_multipart()
    }


def to(messages: list[Message], address: str) -> list[Message]:
    return [message for message in messages if message["To"] == address]


def links(*bodies: str) -> list[str]:
    """Every link to the site in the bodies (ending before a space, a quote or a tag), with
    the entities of a link written in HTML undone."""
    link = re.compile(re.escape(settings.SITE_URL) + r"[^\s\"'<>]*")
    return [found.replace("&amp;", "&") for body in bodies for found in link.findall(body)]


def paths(*bodies: str) -> list[str]:
    return [link.removeprefix(settings.SITE_URL) for link in links(*bodies)]
