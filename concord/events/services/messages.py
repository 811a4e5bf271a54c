"""Emails to participants: the one way a registration is written to (in its language, after
the transaction commits), the organisers' message to everyone confirmed, the reminders."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import Errors, no_nul
from concord.core.emails import page_url, queue_email
from concord.events import permissions
from concord.events.models import Event, Registration


def email_participant(registration: Registration, template: str, key: str, **extra) -> None:
    """In the participant's language (their account's, else the page they registered on),
    whoever or whatever causes the email: an organiser, another participant, the worker."""
    event = registration.event
    queue_email(
        key=key,
        to=registration.email,
        template=f"events/emails/{template}",
        context={
            "registration": registration,
            "event": event,
            "url": page_url("events:detail", event.slug),
            **extra,
        },
        acted_in=registration.language,
    )


def email_status(registration: Registration) -> None:
    email_participant(
        registration,
        "registration",
        f"event.registration:{registration.pk}:{registration.status}:{secrets.token_hex(4)}",
    )


def message_participants(user: User, event: Event, subject: str, body: str) -> int:
    """Email every confirmed participant, each with the frame of the message in their language."""
    permissions.require_manager(user, event)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    errors = Errors()
    if not subject or len(subject) > 200:
        errors.add("subject", _("Write a subject of at most 200 characters."))
    if not body or len(body) > 20_000:
        errors.add("body", _("Write a message of at most 20,000 characters."))
    no_nul(errors, "subject", subject)
    no_nul(errors, "body", body)
    errors.raise_if_any()
    batch = secrets.token_hex(6)
    with transaction.atomic():
        registrations = list(
            event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("event")
        )
        for registration in registrations:
            email_participant(
                registration,
                "message",
                f"event.message:{batch}:{registration.pk}",
                subject=subject,
                body=body,
            )
        log_event("event.messaged", event, actor=user, recipients=len(registrations), title=subject)
    return len(registrations)


def send_reminders(now: datetime | None = None) -> int:
    """Remind confirmed participants a day ahead; the email's key makes it once per start time."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=24))
    for event in events:
        with transaction.atomic():
            for registration in event.registrations.filter(status=Registration.Status.CONFIRMED):
                key = f"event.reminder:{registration.pk}:{event.starts_at.isoformat()}"
                email_participant(registration, "reminder", key)
                sent += 1
    return sent
