"""Which of the coalition's mail an address wants, kept by address, for every app's mail.

A message of a topic carries a link to the preferences page and `List-Unsubscribe` headers
(RFC 2369, one-click by RFC 8058) built here from a signed token, so the reader needs no
account and no sign-in; the page changes state only by POST. The token holds the SHA-256 of
the address, never the address, so a link in a log names nobody. An app that mails a topic
leaves out the addresses `stopped_among` returns (mailings, the weekly digest).
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concord.core.models import MailPreference

TOPICS = {
    "news": _("Coalition news"),
    "declarations": _("Declarations"),
    "events": _("Events"),
    "funding": _("Funding"),
    "digest": _("Weekly digest"),
    "groups": _("Working groups"),
}

_SALT = "core.preferences"


def digest(address: str) -> str:
    """How an address is kept: the first 128 bits of its SHA-256, in hex."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def token_for(address: str) -> str:
    return signing.Signer(salt=_SALT).sign(digest(address))


def holder_of(token: str) -> str | None:
    """Whom a token was made for (their address's `digest`), None if forged."""
    try:
        return signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _rows(holder: str):
    return MailPreference.objects.filter(address_sha256=holder)


def stopped_topics(holder: str) -> list[str]:
    found = _rows(holder).first()
    return list(found.stopped) if found else []


def stopped_among(addresses: Iterable[str], topic: str) -> set[str]:
    """Which of these addresses stopped `topic`, with one query."""
    by_digest = {digest(address): address for address in addresses}
    rows = MailPreference.objects.filter(address_sha256__in=list(by_digest)).values_list(
        "address_sha256", "stopped"
    )
    return {by_digest[found] for found, stopped in rows if topic in stopped}


def set_topics(holder: str, wanted: Iterable[str]) -> list[str]:
    """Keep the topics in `wanted` (unknown ones are ignored); stop every other one.
    `holder` is a token's (`holder_of`) or an address's `digest`."""
    wanted = set(wanted)
    stopped = [topic for topic in TOPICS if topic not in wanted]
    with transaction.atomic():
        MailPreference.objects.update_or_create(
            address_sha256=holder, defaults={"stopped": stopped}
        )
    return stopped


def stop(holder: str, topic: str) -> None:
    """One-click: stop one topic (an unknown one stops them all)."""
    stopped = set(stopped_topics(holder))
    stopped |= {topic} if topic in TOPICS else set(TOPICS)
    set_topics(holder, [t for t in TOPICS if t not in stopped])


def stop_address(address: str, topic: str) -> None:
    stop(digest(address), topic)


def unsubscribe_headers(token: str, topic: str) -> dict[str, str]:
    """List-Unsubscribe with its one-click POST address (RFC 8058), for a message's headers;
    `token` is `token_for` the recipient's address."""
    link = settings.SITE_URL + reverse("mail_unsubscribe", args=[token, topic])
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
