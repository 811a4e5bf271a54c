"""The signals a signature is flagged with for the secretariat's review (`Signature.flags`):
a filled honeypot, a form sent faster than a person types, a network busier than a hall."""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache


def soft_checks(honeypot: str | bool, started_at: float | None, network: str) -> list[str]:
    """Signals for the secretariat's review (the honeypot's value, when the form was
    opened, the client's network). None of them refuses a signature: a whole conference
    hall may sign from one address within minutes."""
    flags = []
    if honeypot:
        flags.append("honeypot")
    if started_at is not None and time.time() - started_at < settings.SIGN_MIN_SECONDS:
        flags.append("fast")
    if network and _count_in_minute(network) > settings.SIGN_SOFT_LIMIT_PER_NETWORK:
        flags.append("busy-network")
    return flags


def device_clock_flags(signed_on_device_at: datetime | None, received_at: datetime) -> list[str]:
    """ "device-clock" when the device's time of signing is further from the receipt than
    DEVICE_CLOCK_TOLERANCE_HOURS either way: a phone kept offline sends hours later, but a
    clock days off (or a signature in the future) is for a person to look at, not refused."""
    if signed_on_device_at is None:
        return []
    tolerance = timedelta(hours=settings.DEVICE_CLOCK_TOLERANCE_HOURS)
    return ["device-clock"] if abs(received_at - signed_on_device_at) > tolerance else []


def _count_in_minute(network: str) -> int:
    """Count one signature from `network` in this minute; returns the minute's count. The
    counter is there for every signature of a minute but its first, so it is counted first
    and made only when missing: one cache call per signature, not two."""
    key = f"sign-rate:{network}:{int(time.time() // 60)}"
    try:
        return cache.incr(key)
    except ValueError:  # the minute's first (or its counter expired)
        if cache.add(key, 1, timeout=120):
            return 1
    try:
        return cache.incr(key)  # another request made it meanwhile
    except ValueError:  # and it expired at once: count this one alone
        return 1
