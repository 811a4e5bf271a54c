"""Badges and check-in at the door: the signed badge code, reading it back, marking the
holder present once however many doors scan it."""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.events import permissions
from concord.events.models import CheckIn, Event, Registration

BADGE_SALT = "concord.events.badge"
CODE = re.compile(r"^C?(\d{1,12})-([0-9A-F]{16})$")


def _digest(registration: Registration) -> str:
    value = f"{registration.event_id}:{registration.pk}:{registration.badge_nonce}"
    return salted_hmac(BADGE_SALT, value, algorithm="sha256").hexdigest()[:16].upper()


def badge_code(registration: Registration) -> str:
    """The code on the badge (and in its QR code): the registration's number and a keyed
    signature of it, so a code cannot be made up or moved to another event."""
    return f"C{registration.pk}-{_digest(registration)}"


def registration_for_code(event: Event, code: str) -> Registration:
    match = CODE.match("".join((code or "").split()).upper())
    registration = None
    if match is not None:
        registration = (
            Registration.objects.select_related("event", "organisation")
            .filter(pk=int(match.group(1)))
            .first()
        )
    if (
        match is None
        or registration is None
        or not constant_time_compare(_digest(registration), match.group(2))
    ):
        raise Refused(
            _("This code is not valid: it was not issued for a badge of this platform."),
            status=400,
            code="bad_code",
        )
    if registration.event_id != event.pk:
        raise Refused(
            _("This badge is for another event: “%(title)s”.")
            % {"title": registration.event.title},
            status=409,
            code="other_event",
        )
    return registration


def check_in(user: User, event: Event, code: str, door: str = "") -> tuple[CheckIn, bool]:
    """Mark the badge's holder present. Scanning the same badge again, or at two doors at
    once, records one check-in: the second answer says when they were first seen."""
    if not permissions.can_check_in(user, event):
        raise PermissionDenied(_("Only the organisers of this event check people in."))
    registration = registration_for_code(event, code)
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.CONFIRMED:
            raise Refused(
                _("This registration is not confirmed (%(status)s).")
                % {"status": locked.get_status_display()},
                code="not_confirmed",
            )
        existing = CheckIn.objects.filter(registration=locked).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                checkin = CheckIn.objects.create(
                    registration=locked, event=event, checked_in_by=user, door=(door or "")[:50]
                )
        except IntegrityError:
            return CheckIn.objects.get(registration=locked), False
        log_event("event.checked_in", event, actor=user, registration=locked.pk)
    return checkin, True
