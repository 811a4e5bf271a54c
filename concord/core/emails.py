"""Email: a template triplet per message, rendered in the recipient's language.

Each message lives in `<app>/templates/<app>/emails/<name>_subject.txt`, `<name>.txt` and
`<name>.html`. `queue_email()` stores it in the outbox inside the caller's transaction and
asks the worker to deliver it once that transaction commits. The delivery task, `deliver_email`,
lives here beside the delivery code; core/tasks.py keeps only the periodic jobs.

Which language a message is written in is decided here, once, by `recipient_language`: the
preference of the recipient's account, else the language they acted in, else the site's. The
message is rendered in it when it is queued, so the worker, which has no request, sends it as
it is. Its links are `page_url()`s, resolved only while it renders, so each opens the page
in that same language (/fr/..., English unprefixed), whatever language the sender used.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import escape
from django_tasks import task

from concord.core import envelopes
from concord.core.bulk import insert_rows
from concord.core.models import OutgoingEmail

# How long a worker may take to hand one message to the mail server before another may retry.
CLAIM = timedelta(minutes=2)

# What a delivered message keeps in place of a one-time link (seen only in the outbox admin).
LINK_REMOVED = "[link removed after sending]"


class Account(Protocol):
    """A recipient known as a person with an account (accounts.User): their address and the
    language they asked their emails in."""

    email: str
    language: str


Recipient = str | Account


def _no_account(address: str) -> str:
    return ""


def _no_accounts(addresses: Sequence[str]) -> dict[str, str]:
    return {}


# Which language the account that proved an address prefers ("" for none), for one address
# or (one query) many. The accounts app registers them (AccountsConfig.ready), so core asks
# without importing an app.
_account_language: Callable[[str], str] = _no_account
_account_languages: Callable[[Sequence[str]], dict[str, str]] = _no_accounts


def register_account_language(
    lookup: Callable[[str], str], many: Callable[[Sequence[str]], dict[str, str]]
) -> None:
    global _account_language, _account_languages
    _account_language, _account_languages = lookup, many


def interface_language(code: str | None) -> str:
    """`code` as one of the interface's languages ("fr-CA" → "fr", "zh" → "zh-hans"), or ""
    when it names none of them."""
    code = (code or "").strip().replace("_", "-").lower()
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def recipient_language(to: Recipient, acted_in: str | None = "") -> str:
    """The one rule for the language of an email: the preference of the recipient's account
    (a person passed in, or the account that proved the address), else the language they
    acted in (the page they used, stored with what they submitted for mail sent later),
    else the site's language."""
    preference = to.language if not isinstance(to, str) else _account_language(to)
    return _first_language(preference, acted_in)


def recipient_languages(recipients: Sequence[tuple[str, str]]) -> list[str]:
    """`recipient_language` for many (address, language acted in), with one query."""
    preferences = _account_languages([address for address, _acted_in in recipients])
    return [
        _first_language(preferences.get(address.strip().lower()), acted_in)
        for address, acted_in in recipients
    ]


def _first_language(preference: str | None, acted_in: str | None) -> str:
    return interface_language(preference) or interface_language(acted_in) or settings.LANGUAGE_CODE


def _page_url(name: str, args: tuple, query: str) -> str:
    return settings.SITE_URL + reverse(name, args=args) + query


_lazy_page_url = lazy(_page_url, str)


def page_url(name: str, *args: object, query: str = "") -> str:
    """The absolute address of a page (`name` as for `reverse`), for an email: a lazy string,
    worked out only when the message renders, inside the recipient's language, so its
    language prefix is theirs whoever sends the email, and whenever (the worker has none)."""
    return _lazy_page_url(name, args, query)


def _render_plain(name: str, context: dict) -> str:
    """Plain-text parts are not HTML: render them without HTML escaping."""
    template = get_template(name).template  # type: ignore[attr-defined]  # the engine's Template
    return template.render(Context(context, autoescape=False))


# Only ASCII blanks are folded into one line: str.split() would also take the no-break
# spaces that French writes before ":", "?" and "!".
_BLANKS = re.compile(r"[ \t\r\n\f\v]+")


def _one_line(subject: str) -> str:
    return _BLANKS.sub(" ", subject).strip(" ")


def render_email(
    template: str, context: dict, language: str, links: Sequence[str] = ()
) -> tuple[str, str, str, list[str]]:
    """Subject, text, HTML and `links` as written in them, all in `language`."""
    context = {"site_name": settings.SITE_NAME, "site_url": page_url("web:home"), **context}
    with translation.override(language):
        subject = _render_plain(f"{template}_subject.txt", context)
        text = _render_plain(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        written = [str(link) for link in links]
    return _one_line(subject), text, html, written


def queue_email(
    *,
    key: str,
    to: Recipient,
    template: str,
    context: dict,
    acted_in: str | None = "",
    one_time_links: Sequence[str] = (),
) -> OutgoingEmail | None:
    """Queue one message; returns None if an email for `key` was already queued.

    `to` is a person with an account or an address; `acted_in` the language the recipient
    used for what this message answers (see `recipient_language`). Links in `context` are
    `page_url()`s. `one_time_links` are the URLs in it that act once (an invitation, a
    confirmation): the outbox forgets them once the message is delivered."""
    language = recipient_language(to, acted_in)
    subject, text, html, links = render_email(template, context, language, one_time_links)
    message, created = OutgoingEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": _address(to),
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "one_time_links": links,
        },
    )
    if not created:
        return None
    deliver_after_commit(message)
    return message


def prepare_email(
    *,
    key: str,
    to: Recipient,
    template: str,
    context: dict,
    acted_in: str | None = "",
    one_time_links: Sequence[str] = (),
) -> OutgoingEmail:
    """Render a message whose key is new by construction (e.g. it holds a fresh token), so a
    hot path can render it before its transaction and store it with one INSERT."""
    language = recipient_language(to, acted_in)
    subject, text, html, links = render_email(template, context, language, one_time_links)
    return OutgoingEmail(
        key=key[:200],
        to=_address(to),
        subject=subject,
        body_text=text,
        body_html=html,
        one_time_links=links,
    )


@dataclass
class Copy:
    """One message of a batch that differs from the others by its address and a secret
    (`token`, in its links) only: see `prepare_copies`."""

    key: str
    to: str
    acted_in: str
    token: str


def prepare_copies(
    *,
    template: str,
    context: dict,
    copies: Sequence[Copy],
    placeholder: str,
    one_time_links: Sequence[str] = (),
) -> list[OutgoingEmail]:
    """`prepare_email` for many recipients of the same message (a batch of confirmation
    links): rendered once per recipient language with `placeholder` where each copy's
    token goes in `context`'s links, then copied with each one's token. `placeholder`
    must be a fresh random token (`secrets.token_urlsafe`), so it can be nowhere else in
    the message, and tokens URL-safe, written alike in text, HTML and links."""
    preferences = _account_languages([copy.to for copy in copies])
    rendered: dict[str, tuple[str, str, str, list[str]]] = {}
    messages = []
    for copy in copies:
        language = _first_language(preferences.get(copy.to.strip().lower()), copy.acted_in)
        if language not in rendered:
            rendered[language] = render_email(template, context, language, one_time_links)
        subject, text, html, links = rendered[language]
        messages.append(
            OutgoingEmail(
                key=copy.key[:200],
                to=copy.to,
                subject=subject.replace(placeholder, copy.token),
                body_text=text.replace(placeholder, copy.token),
                body_html=html.replace(placeholder, copy.token),
                one_time_links=[link.replace(placeholder, copy.token) for link in links],
            )
        )
    return messages


def account_languages(addresses: Sequence[str]) -> dict[str, str]:
    """The language each address's account prefers, where it has one (one query)."""
    return _account_languages(addresses)


def _address(to: Recipient) -> str:
    return to if isinstance(to, str) else to.email


def without_links(body: str, links: Sequence[str]) -> str:
    """`body` with each link (as written in text or, escaped, in HTML) replaced."""
    for link in sorted(links, key=len, reverse=True):
        body = body.replace(link, LINK_REMOVED).replace(escape(link), LINK_REMOVED)
    return body


def queue_prepared(message: OutgoingEmail) -> OutgoingEmail:
    message.save(force_insert=True)
    deliver_after_commit(message)
    return message


def queue_prepared_batch(messages: Sequence[OutgoingEmail]) -> list[int]:
    """Store many prepared messages (new keys) with one INSERT and ask for one task that
    delivers them all once the caller's transaction commits: a batch of signatures is not a
    task each. Returns their ids."""
    if not messages:
        return []
    ids = insert_rows(OutgoingEmail, messages, returning="id")
    transaction.on_commit(lambda: deliver_emails.enqueue(ids))
    return ids


def deliver_after_commit(message: OutgoingEmail) -> None:
    """Ask the worker to send `message` once the caller's transaction commits."""
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))


def deliver(message_id: int, connection=None) -> bool:
    """Send one queued message unless it was already sent. Returns True if sent now.

    The message is claimed in a short transaction and sent outside it, so a slow mail server
    never holds a database lock (on SQLite that would stall every writer). A failed attempt
    is recorded (attempts, last_error) and the error raised again for the task to retry.
    """
    return deliver_batch([message_id], connection) == 1


def deliver_batch(message_ids: Sequence[int], connection=None) -> int:
    """Send the unsent messages among `message_ids` over one connection; returns how many
    were sent now. One UPDATE claims them all and one query reads them (per message that was
    three statements, and on SQLite each write queues for the lock); each message is still
    marked sent on its own right after its send, so a worker killed mid-batch sends at most
    the message it was sending twice."""
    now = timezone.now()
    until = now + CLAIM
    claimable = OutgoingEmail.objects.filter(
        pk__in=message_ids, sent_at__isnull=True, refused_at__isnull=True
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    if not claimable.update(claimed_until=until, attempts=F("attempts") + 1):
        return 0
    messages = OutgoingEmail.objects.filter(
        pk__in=message_ids, claimed_until=until, sent_at__isnull=True
    ).order_by("pk")
    sent = 0
    for message in messages:
        _send(message, connection)
        sent += 1
    return sent


def _send(message: OutgoingEmail, connection) -> None:
    email = envelopes.email_for(message, connection)
    try:
        email.send()
    except OSError as error:
        if envelopes.refused(message, error):
            return  # the address itself was refused: counted, and the batch goes on
        # This one and the rest of the batch are given back at once for the retry job.
        OutgoingEmail.objects.filter(
            pk__gte=message.pk, claimed_until=message.claimed_until
        ).update(claimed_until=None)
        OutgoingEmail.objects.filter(pk=message.pk).update(
            last_error=str(error)[:2000] or type(error).__name__
        )
        raise
    # Delivered: a one-time link in the stored copy would only help whoever reads the outbox.
    # An undelivered message keeps its links, so a retry still sends them.
    OutgoingEmail.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
        body_text=without_links(message.body_text, message.one_time_links),
        body_html=without_links(message.body_html, message.one_time_links),
        one_time_links=[],
    )


@task()
def deliver_email(message_id: int) -> bool:
    return deliver(message_id)


@task()
def deliver_emails(message_ids: list[int]) -> int:
    """Deliver the messages of one batch over one connection to the mail server; returns
    how many were sent now. At the first failure the rest wait for `retry_unsent_emails`
    (core/tasks.py) rather than each trying a server that is away."""
    with get_connection() as connection:
        return deliver_batch(message_ids, connection)


def release_lost_claim(result) -> None:
    """A dead worker's claim on a message it was sending would keep the message back for
    `CLAIM`; release it so the task `result`, run again, sends at once.

    Only the claim that attempt made is released: deliver() claims as the task starts, so its
    claim ends within a few seconds of started_at + CLAIM. Anyone else's claim is either
    older (then this attempt could not have claimed) or made after that claim expired, so it
    ends later than started_at + 2 * CLAIM.
    """
    args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
    if result.task_path == deliver_emails.module_path and result.started_at is not None:
        _release_lost_batch_claim(args[0] if args else kwargs.get("message_ids") or [], result)
        return
    if result.task_path != deliver_email.module_path:
        return
    message_id = args[0] if args else kwargs.get("message_id")
    if message_id is None or result.started_at is None:
        return
    claim_ends = result.started_at + CLAIM
    OutgoingEmail.objects.filter(
        pk=message_id,
        sent_at__isnull=True,
        claimed_until__gte=claim_ends,
        claimed_until__lte=claim_ends + timedelta(seconds=15),
    ).update(claimed_until=None)


def _release_lost_batch_claim(message_ids: list[int], result) -> None:
    """A batch claims its messages one after another, so the lost attempt's claim on the
    message it was sending ends some time after started_at + CLAIM: every unsent message
    of the batch claimed since is released (only that attempt sends this batch's messages
    within their first minutes; `retry_unsent_emails` waits until they are older)."""
    OutgoingEmail.objects.filter(
        pk__in=message_ids,
        sent_at__isnull=True,
        claimed_until__gte=result.started_at + CLAIM,
    ).update(claimed_until=None)


def clear_delivered_bodies(days: int, now=None) -> int:
    """Empty the bodies of messages delivered more than `days` ago (EMAIL_RETENTION_DAYS).
    The row stays, with its key, so the event it reported still never mails twice."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (
        OutgoingEmail.objects.filter(sent_at__lt=cutoff)
        .exclude(body_text="", body_html="")
        .update(body_text="", body_html="", one_time_links=[])
    )


def forget_recipient(addresses: Sequence[str]) -> int:
    """Delete every message to these addresses, sent or waiting (a deleted account)."""
    if not addresses:
        return 0
    to = Q()
    for address in addresses:
        to |= Q(to__iexact=address)
    deleted, _ = OutgoingEmail.objects.filter(to).delete()
    return deleted
