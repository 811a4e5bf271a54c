"""`concord mailin`: the SMTP (or LMTP) server a deployment puts behind its mail exchanger
for the mail that comes back to Concord: bounces to the per-message return paths
(core/bounces.py), and whatever an app registers (a working group's `reply+…`).

Each handler owns a prefix of the recipient's local part ("bounces" for `bounces+…@`) and is
registered in its app's `AppConfig.ready` (`register`), like core/files.py's resolvers, so
core calls apps without importing them. A recipient no handler owns, or at another domain than
`BOUNCE_DOMAIN` (or `REPLY_DOMAIN`), is refused at RCPT; a message a handler refuses
(`Rejected`: a forged reply token, a sender who may not post) is answered 550, so the
sending server tells its sender; a message over `MAILIN_MAX_BYTES` is refused with 552
while it streams in (aiosmtpd's `data_size_limit`). The server listens only on the address it
is given. Handlers run in a thread of their own: the ORM may not run inside the event loop.
"""

import asyncio
import logging
from collections.abc import Callable

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)

# handler(suffix after "prefix+", the raw message) -> whether it acted on it.
Handler = Callable[[str, bytes], bool]
_handlers: dict[str, Handler] = {}


class Rejected(Exception):
    """Raised by a handler that refuses a message: the SMTP answer is 550. With
    `tell_sender`, the reason is the answer's text, so the bounce the sender gets says what
    to fix (a file that is not an image or a PDF, an empty message); refusals about who may
    post stay unexplained."""

    def __init__(self, reason: str, tell_sender: bool = False):
        super().__init__(reason)
        self.tell_sender = tell_sender


def smtp_text(reason: str) -> str:
    """A reason as one line of an SMTP answer: ASCII, no line breaks, not too long."""
    line = " ".join(reason.split()).encode("ascii", errors="replace").decode("ascii")
    return line[:300]


def register(prefix: str, handler: Handler) -> None:
    _handlers[prefix.lower()] = handler


def route(address: str) -> tuple[Handler, str] | None:
    """The handler and suffix for a recipient, or None when no handler owns it."""
    local, _at, domain = address.rpartition("@")
    domains = {d.lower() for d in (settings.BOUNCE_DOMAIN, settings.REPLY_DOMAIN) if d}
    if settings.BOUNCE_DOMAIN and domain.lower() not in domains:
        return None
    prefix, plus, suffix = local.partition("+")
    handler = _handlers.get(prefix.lower())
    if handler is None or not plus:
        return None
    return handler, suffix


def dispatch(address: str, raw: bytes) -> bool:
    found = route(address)
    if found is None:
        return False
    handler, suffix = found
    close_old_connections()
    try:
        return handler(suffix, raw)
    except Rejected:
        raise
    except Exception:  # one bad message must not stop the server; it is logged
        log.exception("mailin handler failed for %s", address)
        return False
    finally:
        close_old_connections()


class Receiver:
    """aiosmtpd's handler: refuses unknown recipients, hands each message to its handlers."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if route(address) is None:
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        rejected, told = False, ""
        for address in envelope.rcpt_tos:
            try:
                await asyncio.to_thread(dispatch, address, raw)
            except Rejected as refusal:
                log.info("mailin refused a message for %s: %s", address, refusal)
                rejected = True
                told = told or (smtp_text(str(refusal)) if refusal.tell_sender else "")
        if rejected:
            return f"550 5.7.1 {told or 'Message refused'}"
        # Accepted whatever else the handlers made of it: the sender learns nothing of our ids.
        return "250 Message accepted"


class LMTPController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def controller(host: str, port: int, lmtp: bool = False) -> Controller:
    kind = LMTPController if lmtp else Controller
    return kind(
        Receiver(),
        hostname=host,
        port=port,
        data_size_limit=settings.MAILIN_MAX_BYTES,
        server_hostname=settings.BOUNCE_DOMAIN or host,
    )
