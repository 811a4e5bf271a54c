"""Counting, testing, sending, pausing and resuming a mailing.

Sending queues every recipient into core's outbox (`queue_recipients`, a task): the union of
the audiences is read in address order in batches (bounded memory), bouncing addresses and
those that stopped the mailing's topic are left out, each reader's version is chosen
(`version_for`), and each batch is one INSERT that skips keys already there. The key is the
mailing and the address, so a task run again after a crash adds nobody twice. The messages
wait `held`; `release` hands them to delivery at `MAILING_RATE` a minute, and pausing simply
stops releasing.
"""

import hashlib
import math
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from concord.core import audit, bounces, emails, preferences
from concord.core.bulk import insert_rows
from concord.core.errors import Refused, wrong_state
from concord.core.models import OutgoingEmail
from concord.mailings import bodies, permissions
from concord.mailings.audiences import batches, recipients
from concord.mailings.models import Mailing, MailingText

BATCH = 1000
TEMPLATE = "mailings/emails/mailing"
# How often the periodic job releases messages (mailings/tasks.py).
TICK_SECONDS = 10


def version_for(mailing_languages: set[str], original: str, preference: str, acted_in: str) -> str:
    """The reader's own language (their account's, else the one they acted in) if the
    mailing has it, else the mailing's original. (Organisations keep no working languages
    in Concord, so there is no step between the two.)"""
    for language in (emails.interface_language(preference), emails.interface_language(acted_in)):
        if language and language in mailing_languages:
            return language
    return original


@dataclass
class Preview:
    total: int = 0
    by_language: Counter = field(default_factory=Counter)
    by_country: Counter = field(default_factory=Counter)
    bouncing: int = 0
    unsubscribed: int = 0


def _readers(mailing: Mailing):
    """(address, version, country) of each reader who will get the mailing, per batch, and
    the counts of those left out."""
    languages = {text.language for text in mailing.texts.all()}
    for batch in batches(recipients(mailing.audiences.all()), BATCH):
        addresses = [address for address, _lang, _country in batch]
        bouncing = bounces.bouncing_among(addresses)
        stopped = preferences.stopped_among(addresses, mailing.topic) - bouncing
        chosen = emails.account_languages(addresses)
        readers = [
            (
                address,
                version_for(languages, mailing.original_language, chosen.get(address, ""), acted),
                country,
            )
            for address, acted, country in batch
            if address not in bouncing and address not in stopped
        ]
        yield readers, len(bouncing), len(stopped)


def preview(mailing: Mailing) -> Preview:
    """How many readers get which version, from which countries (no address is shown)."""
    found = Preview()
    for readers, bouncing, stopped in _readers(mailing):
        found.total += len(readers)
        found.bouncing += bouncing
        found.unsubscribed += stopped
        found.by_language.update(version for _a, version, _c in readers)
        found.by_country.update(country for _a, _v, country in readers if country)
    return found


def _rendered(mailing: Mailing, text: MailingText, placeholder: str, test: bool = False):
    subject = f"[{_('Test')}] {text.subject}" if test else text.subject
    context = {
        "subject": subject,
        "body_text": bodies.text(text.body),
        "body_html": bodies.html(text.body),
        "sender_name": mailing.sender_name,
        "preferences_link": emails.page_url("core:mail_preferences", placeholder),
    }
    return emails.render_email(TEMPLATE, context, text.language)


def _message(mailing: Mailing, rendered, placeholder: str, address: str, key: str, held: bool):
    subject, text, html, _links = rendered
    token = preferences.token_for(address)
    headers = {
        "From-Name": mailing.sender_name,
        **preferences.unsubscribe_headers(token, mailing.topic),
    }
    if mailing.reply_to:
        headers["Reply-To"] = mailing.reply_to
    return OutgoingEmail(
        key=key,
        to=address,
        subject=subject,
        body_text=text.replace(placeholder, token),
        body_html=html.replace(placeholder, token),
        headers=headers,
        batch=mailing.batch,
        held=held,
    )


def key_for(mailing: Mailing, address: str) -> str:
    return f"{mailing.batch}:{hashlib.sha256(address.encode()).hexdigest()[:40]}"


def send_test(user, mailing: Mailing) -> int:
    """Each language version to its author's own address; returns how many were queued."""
    if not permissions.can_manage(user, mailing):
        raise PermissionDenied
    placeholder = secrets.token_hex(16)
    messages = []
    for text in mailing.texts.all():
        rendered = _rendered(mailing, text, placeholder, test=True)
        key = f"{mailing.batch}:test:{text.language}:{secrets.token_hex(8)}"
        message = _message(mailing, rendered, placeholder, user.email, key, held=False)
        message.batch = ""  # a test is not one of the mailing's messages
        messages.append(message)
    with transaction.atomic():
        emails.queue_prepared_batch(messages)
        audit.log_event("mailing.tested", mailing, user, versions=len(messages))
    return len(messages)


def send(user, mailing: Mailing, at: datetime | None = None, confirmed: bool = False) -> Preview:
    """Send now, or at `at`. Refused: no version, an empty audience, or one over
    MAILING_CONFIRM_ABOVE readers without `confirmed`."""
    if not permissions.can_manage(user, mailing):
        raise PermissionDenied
    if mailing.status != Mailing.Status.DRAFT:
        raise wrong_state(_("This mailing was already sent or scheduled."))
    if not mailing.texts.exists():
        raise Refused(_("Write the subject and message in at least one language."), 422, "no_text")
    if any(not permissions.can_use_audience(user, a) for a in mailing.audiences.all()):
        raise PermissionDenied
    counts = preview(mailing)
    if not counts.total:
        raise Refused(_("The audience is empty: nobody would receive this mailing."), 422, "empty")
    if counts.total > settings.MAILING_CONFIRM_ABOVE and not confirmed:
        raise Refused(
            _("This mailing goes to %(count)s people: confirm that you mean to send it.")
            % {"count": counts.total},
            409,
            "confirm",
        )
    now = timezone.now()
    when = at if at is not None and at > now else now
    later = when > now
    with transaction.atomic():
        updated = Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.DRAFT).update(
            status=Mailing.Status.SCHEDULED if later else Mailing.Status.QUEUEING,
            send_at=when,
        )
        if not updated:
            raise wrong_state(_("This mailing was already sent or scheduled."))
        audit.log_event(
            "mailing.scheduled" if later else "mailing.sent",
            mailing,
            user,
            readers=counts.total,
            send_at=when.isoformat(),
            versions=dict(counts.by_language),
        )
        if not later:
            transaction.on_commit(lambda: queue_recipients.enqueue(mailing.pk))
    mailing.refresh_from_db()
    return counts


def pause(user, mailing: Mailing) -> Mailing:
    if not permissions.can_manage(user, mailing):
        raise PermissionDenied
    with transaction.atomic():
        if not Mailing.objects.filter(
            pk=mailing.pk,
            status__in=[Mailing.Status.SCHEDULED, Mailing.Status.QUEUEING, Mailing.Status.SENDING],
        ).update(status=Mailing.Status.PAUSED):
            raise wrong_state(_("Only a mailing that is scheduled or being sent can be paused."))
        audit.log_event("mailing.paused", mailing, user)
    mailing.refresh_from_db()
    return mailing


def resume(user, mailing: Mailing) -> Mailing:
    if not permissions.can_manage(user, mailing):
        raise PermissionDenied
    if mailing.prepared:
        status = Mailing.Status.SENDING
    elif mailing.send_at and mailing.send_at > timezone.now():
        status = Mailing.Status.SCHEDULED
    else:
        status = Mailing.Status.QUEUEING
    with transaction.atomic():
        if not Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.PAUSED).update(
            status=status
        ):
            raise wrong_state(_("Only a paused mailing can be resumed."))
        audit.log_event("mailing.resumed", mailing, user)
        if status == Mailing.Status.QUEUEING:
            transaction.on_commit(lambda: queue_recipients.enqueue(mailing.pk))
    mailing.refresh_from_db()
    return mailing


@task()
def queue_recipients(mailing_id: int) -> int:
    """Put every reader's message into the outbox, held; then release the first ones.
    Safe to run again: keys already queued are skipped."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.prepared or mailing.status != Mailing.Status.QUEUEING:
        return 0
    placeholder = secrets.token_hex(16)
    rendered = {
        text.language: _rendered(mailing, text, placeholder) for text in mailing.texts.all()
    }
    added = 0
    for readers, _bouncing, _stopped in _readers(mailing):
        rows = [
            _message(
                mailing, rendered[version], placeholder, address, key_for(mailing, address), True
            )
            for address, version, _country in readers
        ]
        with transaction.atomic():
            inserted = insert_rows(OutgoingEmail, rows, skip_conflicts=True, returning="id")
            Mailing.objects.filter(pk=mailing.pk).update(queued=F("queued") + len(inserted))
        added += len(inserted)
    with transaction.atomic():
        Mailing.objects.filter(pk=mailing.pk).update(prepared=True)
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.QUEUEING).update(
            status=Mailing.Status.SENDING
        )
    release(mailing.pk)
    return added


def start_due(now: datetime | None = None) -> int:
    """Scheduled mailings whose time has come start queueing."""
    now = now or timezone.now()
    due = list(
        Mailing.objects.filter(status=Mailing.Status.SCHEDULED, send_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for mailing_id in due:
        with transaction.atomic():
            if Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SCHEDULED).update(
                status=Mailing.Status.QUEUEING
            ):
                transaction.on_commit(partial(queue_recipients.enqueue, mailing_id))
    return len(due)


def release(mailing_id: int, now: datetime | None = None) -> int:
    """Hand to delivery as many held messages as the rate allows since the last release;
    a mailing with none left held is sent."""
    now = now or timezone.now()
    mailing = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.SENDING).first()
    if mailing is None:
        return 0
    elapsed = (now - mailing.released_at).total_seconds() if mailing.released_at else TICK_SECONDS
    quota = max(1, math.floor(settings.MAILING_RATE * min(max(elapsed, 0), 60) / 60))
    held = OutgoingEmail.objects.filter(batch=mailing.batch, held=True)
    rows = list(held.order_by("pk").values_list("pk", "to")[:quota])
    # An address that bounced or stopped the topic since it was queued is skipped now.
    addresses = [to for _pk, to in rows]
    gone = bounces.bouncing_among(addresses) | preferences.stopped_among(addresses, mailing.topic)
    ids = [pk for pk, to in rows if to not in gone]
    skipped = [pk for pk, to in rows if to in gone]
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk__in=ids, held=True).update(held=False)
        OutgoingEmail.objects.filter(pk__in=skipped, held=True).update(
            held=False, refused_at=now, last_error="skipped: bouncing or unsubscribed"
        )
        Mailing.objects.filter(pk=mailing.pk).update(released_at=now)
        if mailing.prepared and len(rows) < quota:
            Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
                status=Mailing.Status.SENT, sent_at=now
            )
        if ids:
            transaction.on_commit(lambda: emails.deliver_emails.enqueue(ids))
    return len(ids)


def release_all(now: datetime | None = None) -> int:
    start_due(now)
    sending = Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("pk", flat=True)
    return sum(release(mailing_id, now) for mailing_id in list(sending))


def progress(mailing: Mailing) -> dict[str, int]:
    """Sent, waiting and refused messages of the mailing (its tests excluded)."""
    counts = OutgoingEmail.objects.filter(batch=mailing.batch).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        refused=Count("pk", filter=Q(refused_at__isnull=False)),
        total=Count("pk"),
    )
    counts["waiting"] = counts["total"] - counts["sent"] - counts["refused"]
    return counts
