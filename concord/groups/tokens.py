"""The per-recipient reply address `reply+<token>@REPLY_DOMAIN`: the token names the
membership and the thread, when it was made, and an HMAC of both, all in lower-case letters
and digits (mail systems may change the case of a local part), so a forged or changed token
is refused and an old one expires after `GROUP_REPLY_DAYS`."""

import time

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "concord.groups.reply"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _mac(payload: str) -> str:
    return salted_hmac(_SALT, payload, algorithm="sha256").hexdigest()[:24]


def make(membership_id: int, thread_id: int, now: float | None = None) -> str:
    payload = f"{membership_id}-{thread_id}-{_base36(int(now or time.time()))}"
    return f"{payload}-{_mac(payload)}"


def read(token: str, now: float | None = None) -> tuple[int, int] | None:
    """(membership id, thread id) of a genuine, unexpired token, else None."""
    parts = token.lower().split("-")
    if len(parts) != 4 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    payload = "-".join(parts[:3])
    if not constant_time_compare(parts[3], _mac(payload)):
        return None
    try:
        made = int(parts[2], 36)
    except ValueError:
        return None
    if (now or time.time()) - made > settings.GROUP_REPLY_DAYS * 86400:
        return None
    return int(parts[0]), int(parts[1])


def reply_address(membership_id: int, thread_id: int) -> str:
    return f"reply+{make(membership_id, thread_id)}@{settings.REPLY_DOMAIN}"


def group_address(slug: str) -> str:
    return f"group+{slug}@{settings.REPLY_DOMAIN}"
