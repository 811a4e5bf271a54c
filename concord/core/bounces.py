"""Addresses mail no longer reaches, and the return path that tells us.

Each outbox message leaves with its own envelope sender, `bounces+<id>-<signature>@BOUNCE_DOMAIN`
(VERP), when `BOUNCE_DOMAIN` is set. A delivery status notification comes back to that
address, where `concord mailin` (core/mailin.py) hands it to `handle_bounce`: the signature
proves the id is ours, so a forged or unknown one changes nothing, and the id names the
message, so the address is the one we wrote to, whatever the report says. A permanent failure
marks the address as bouncing at once; a temporary one after `SOFT_LIMIT` in `SOFT_WINDOW`.
The mail server refusing a recipient while we send counts the same way (`record_refusal`).

Mailings skip bouncing addresses (`bouncing_among`); the person sees it on their account page
and resets it (`reset`), once they have fixed their mailbox.
"""

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from flufl.bounce import all_failures

from concord.core.models import BouncingAddress, MailBounce, OutgoingEmail

PREFIX = "bounces"
SOFT_LIMIT = 3
SOFT_WINDOW = timedelta(days=14)

_LOCAL = re.compile(r"^(\d+)-([0-9a-f]{20})$")


def _signature(message_id: int) -> str:
    key = f"{settings.SECRET_KEY}:core.bounces".encode()
    return hmac.new(key, str(message_id).encode(), hashlib.sha256).hexdigest()[:20]


def return_path(message_id: int) -> str:
    """The envelope sender of outbox message `message_id`, or "" without a BOUNCE_DOMAIN."""
    if not settings.BOUNCE_DOMAIN:
        return ""
    return f"{PREFIX}+{message_id}-{_signature(message_id)}@{settings.BOUNCE_DOMAIN}"


def message_for(suffix: str) -> OutgoingEmail | None:
    """The message a return path's part after `bounces+` names, if its signature holds."""
    found = _LOCAL.match(suffix.strip().lower())
    if not found or not hmac.compare_digest(found[2], _signature(int(found[1]))):
        return None
    return OutgoingEmail.objects.filter(pk=int(found[1])).first()


def classify(raw: bytes) -> tuple[str, str]:
    """("hard" | "soft" | "", detail) for a bounce message: RFC 3464's per-recipient
    Action and Status first, else flufl.bounce's detectors for the common non-standard
    formats. A delay warning, an auto-reply or anything unread is "" (nothing to count)."""
    message = message_from_bytes(raw, policy=policy.compat32)
    kind, detail = _from_dsn(message)
    if kind:
        return kind, detail
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a detector that trips over a malformed message reads nothing
        return "", ""
    if permanent:
        return "hard", "permanent failure reported"
    if temporary:
        return "soft", "temporary failure reported"
    return "", ""


def _from_dsn(message: Message) -> tuple[str, str]:
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # Its body is blocks of fields: the message's, then one per recipient.
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            action = (block.get("Action") or "").strip().lower()
            status = (block.get("Status") or "").strip()
            diagnostic = (block.get("Diagnostic-Code") or "").strip()[:200]
            if action == "failed":
                hard = status.startswith("5") or not status
                return ("hard" if hard else "soft"), f"{status} {diagnostic}".strip()
    return "", ""


def record(address: str, kind: str, detail: str = "") -> bool:
    """Count one failure for `address`; returns True if the address is now bouncing."""
    address = address.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        MailBounce.objects.create(address=address, kind=kind, detail=detail[:300])
        bouncing = kind == MailBounce.Kind.HARD or (
            MailBounce.objects.filter(
                address=address, kind=MailBounce.Kind.SOFT, created_at__gte=now - SOFT_WINDOW
            ).count()
            >= SOFT_LIMIT
        )
        if bouncing:
            BouncingAddress.objects.get_or_create(
                address=address, defaults={"since": now, "reason": detail[:300]}
            )
    return bouncing


def handle_bounce(suffix: str, raw: bytes) -> bool:
    """`concord mailin`'s handler for `bounces+…`: True if a failure was counted."""
    message = message_for(suffix)
    if message is None:
        return False
    kind, detail = classify(raw)
    if not kind:
        return False
    record(message.to, kind, detail)
    return True


def record_refusal(address: str, code: int, detail: str) -> None:
    """The mail server refused `address` while we sent: 5xx is permanent, 4xx temporary."""
    record(address, "hard" if code >= 500 else "soft", f"{code} {detail}")


def bouncing_among(addresses: Iterable[str]) -> set[str]:
    """Which of these (lower-cased) addresses are bouncing, with one query."""
    return set(
        BouncingAddress.objects.filter(address__in=list(addresses)).values_list(
            "address", flat=True
        )
    )


def is_bouncing(address: str) -> bool:
    return BouncingAddress.objects.filter(address=address.strip().lower()).exists()


def bouncing(addresses: Iterable[str]) -> list[BouncingAddress]:
    """The rows an account page shows for its owner's own addresses."""
    return list(BouncingAddress.objects.filter(address__in=[a.lower() for a in addresses]))


def reset(address: str) -> bool:
    """The owner says the address works again: forget its failures."""
    address = address.strip().lower()
    with transaction.atomic():
        MailBounce.objects.filter(address=address).delete()
        deleted, _ = BouncingAddress.objects.filter(address=address).delete()
    return bool(deleted)
