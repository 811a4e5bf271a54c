"""Check-in at a door without network: the kit a phone downloads, and the scans it sends back.

A kit holds, for each confirmed registration, HMAC-SHA256(kit key, badge code) with the
holder's name, organisation and country: the phone checks a code by computing its HMAC
(Web Crypto) and looking it up, so a made-up code or another event's badge is refused
offline, and the kit gives no one a badge code to print, nor any email address. A kit
expires after CHECKIN_KIT_HOURS and can be revoked; a revoked kit's scans are refused.

Scans come back in batches, each with the device's id for it: each is checked in by the
same rule as the door's form (`checkin.check_in`, one CheckIn per registration), and kept as
a CheckInScan, once per client id; so the same badge at two offline doors is one check-in
with two scans, and a batch sent again changes nothing.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.countries.names import localised_name
from concord.events import permissions
from concord.events.models import CheckInKit, CheckInScan, Event, Registration
from concord.events.services import checkin

MOST_SCANS = 500


def code_hmac(key: str, code: str) -> str:
    """What the kit lists for a badge code (the phone computes the same)."""
    return hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()


def _check_right(user: User, event: Event) -> None:
    if not permissions.can_check_in(user, event):
        raise PermissionDenied(_("Only the organisers of this event check people in."))


def issue_kit(user: User, event: Event) -> CheckInKit:
    _check_right(user, event)
    kit = CheckInKit.objects.create(
        event=event,
        key=secrets.token_hex(32),
        created_by=user,
        expires_at=timezone.now() + timedelta(hours=settings.CHECKIN_KIT_HOURS),
    )
    log_event("event.checkin_kit_issued", event, actor=user, kit=kit.pk)
    return kit


def kit_contents(kit: CheckInKit) -> dict:
    """The kit as the phone keeps it: names, organisations and countries, no address."""
    registrations = (
        Registration.objects.filter(event=kit.event, status=Registration.Status.CONFIRMED)
        .select_related("organisation", "event")
        .order_by("pk")
    )
    badges = {
        code_hmac(kit.key, checkin.badge_code(registration)): {
            "name": registration.display_name,
            "organisation": registration.organisation.name if registration.organisation else "",
            "country": localised_name(registration.country_id),
        }
        for registration in registrations
    }
    return {
        "kit": kit.pk,
        "event": kit.event.slug,
        "key": kit.key,
        "expires_at": kit.expires_at.isoformat(),
        "badges": badges,
    }


def revoke_kits(user: User, event: Event) -> int:
    """Revoke every usable kit of the event (a phone lost): their scans are refused."""
    _check_right(user, event)
    with transaction.atomic():
        revoked = CheckInKit.objects.filter(event=event, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        log_event("event.checkin_kits_revoked", event, actor=user, count=revoked)
    return revoked


@dataclass
class Scan:
    client_id: str
    code: str
    door: str
    scanned_at: datetime


def read_scans(items: object) -> list[Scan]:
    """The batch's scans, validated; a bad one refuses the batch with a clear message."""
    if not isinstance(items, list) or not 0 < len(items) <= MOST_SCANS:
        raise ValidationError(_("Send between 1 and %(most)s scans.") % {"most": MOST_SCANS})
    scans = []
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError(_("Each scan must be an object."))
        client_id, code = str(item.get("id", "")), str(item.get("code", ""))
        at = parse_datetime(str(item.get("at", "")))
        if not 0 < len(client_id) <= 64 or not code or len(code) > 60:
            raise ValidationError(_("Each scan needs its id and its badge code."))
        if at is None or at.tzinfo is None:
            raise ValidationError(_("Each scan needs its time, with its time zone."))
        scans.append(Scan(client_id, code, str(item.get("door", ""))[:50], at))
    return scans


def sync_scans(user: User, event: Event, kit_id: object, device: str, items: object) -> list[dict]:
    """Check in what a phone scanned offline; one result per scan, in order: `checked_in`,
    `already` (someone checked them in first), `kept` (this scan was sent before) or
    `refused` with the reason."""
    _check_right(user, event)
    kit = (
        CheckInKit.objects.filter(pk=kit_id, event=event).first()
        if isinstance(kit_id, int) and not isinstance(kit_id, bool)
        else None
    )
    if kit is None:
        raise ValidationError(_("This check-in kit is not one of this event's."))
    if kit.revoked_at is not None:
        raise Refused(_("This check-in kit was revoked: its scans are not accepted."))
    return [_sync_one(user, event, kit, device[:64], scan) for scan in read_scans(items)]


def _sync_one(user: User, event: Event, kit: CheckInKit, device: str, scan: Scan) -> dict:
    result = {"id": scan.client_id}
    if CheckInScan.objects.filter(event=event, client_id=scan.client_id).exists():
        return {**result, "outcome": "kept"}
    if scan.scanned_at > kit.expires_at:
        message = _("This scan was made after the check-in kit expired.")
        return {**result, "outcome": "refused", "detail": message}
    try:
        record, created = checkin.check_in(user, event, scan.code, scan.door)
    except Refused as refusal:
        return {**result, "outcome": "refused", "detail": refusal.message}
    try:
        with transaction.atomic():
            CheckInScan.objects.create(
                event=event,
                checkin=record,
                kit=kit,
                client_id=scan.client_id,
                device=device,
                door=scan.door,
                scanned_at=scan.scanned_at,
                scanned_by=user,
            )
    except IntegrityError:  # the same scan, sent twice at once
        return {**result, "outcome": "kept"}
    return {**result, "outcome": "checked_in" if created else "already"}
