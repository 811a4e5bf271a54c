"""Rate limits on every action that sends mail or costs the server much.

Anyone can type any address into a form, so without limits the site can be made to mail
strangers (a confirmation link, an invitation, a contact message) as often as it is asked.
Each action in `settings.RATE_LIMITS` has a budget per client network (the /24 or /48 a
request comes from, so one attacker cannot rotate addresses inside a network) and per
recipient address (so no address receives more than a few messages a day, whoever asks).
A spent budget answers 429 with `Retry-After`, on the page and in the API.

Counters live in `settings.RATE_LIMIT_STORAGE` (Redis in deployments, so every process
shares them; memory for one process). The `limits` library does the counting with a moving
window; recipient addresses are counted under their SHA-256, never in clear.
"""

import hashlib
import math
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from concord.core.errors import Refused
from concord.core.network import client_ip, network_of

SCOPES = ("network", "address")


class TooMany(Refused):
    """A budget is spent: answered 429, with the seconds until the next attempt may pass."""

    def __init__(self, retry_after: int, message: str = ""):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            message
            or ngettext(
                "Too many attempts. Please wait %(minutes)d minute and try again.",
                "Too many attempts. Please wait %(minutes)d minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            status=429,
            code="rate_limited",
        )
        self.retry_after = retry_after


# The first requests of a fresh app server process arrive together. Built by two threads at
# once, the storage failed: the `limits` library imports the Redis client lazily, and the
# second thread read the half-imported module, found no version and refused it (500s at the
# start of a surge, tests/faults/test_multi_server.py). So it is built once, under a lock.
_storage_lock = threading.Lock()


def storage() -> Storage:
    with _storage_lock:
        return _storage()


@lru_cache(maxsize=1)
def _storage() -> Storage:
    found = storage_from_string(settings.RATE_LIMIT_STORAGE)
    assert isinstance(found, Storage), "RATE_LIMIT_STORAGE must name a synchronous storage"
    return found


def rules(action: str, scope: str) -> tuple[RateLimitItem, ...]:
    """The parsed limits ("5/hour; 20/day") for one action and scope; unknown actions fail
    loudly, so a new mail-sending action cannot forget its row in the settings."""
    return tuple(parse_many(settings.RATE_LIMITS[action].get(scope, "")))


def check(
    action: str, request: HttpRequest | None = None, *, ip: str = "", address: str = ""
) -> None:
    """Count one attempt at `action` from the request's client (or `ip`) towards `address`;
    raise `TooMany` when a budget is spent. Call it before the work, where the request is
    known (views, API); the wait is kept on the request for the 429's `Retry-After`."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    if request is not None:
        ip = client_ip(request)
    subjects = {
        "network": network_of(ip),
        "address": hashlib.sha256(address.strip().lower().encode()).hexdigest() if address else "",
    }
    limiter = MovingWindowRateLimiter(storage())
    waits = []
    for scope in SCOPES:
        if not subjects[scope]:
            continue
        for item in rules(action, scope):
            if not limiter.hit(item, action, scope, subjects[scope]):
                reset = limiter.get_window_stats(item, action, scope, subjects[scope]).reset_time
                waits.append(max(1, math.ceil(reset - time.time())))
    if waits:
        refusal = TooMany(max(waits))
        if request is not None:
            request.retry_after = refusal.retry_after  # type: ignore[attr-defined]
        raise refusal


def with_retry_after(response: HttpResponse, refusal: Refused) -> HttpResponse:
    """A page that shows a refusal in place keeps the limit's `Retry-After`."""
    if isinstance(refusal, TooMany):
        response["Retry-After"] = str(refusal.retry_after)
    return response


def reset() -> None:
    """Forget every counter (tests; an operator lifting a block after an incident)."""
    storage().reset()
