"""The weekly digest: per person who represents a member organisation, in their language,
with new matching funding calls, approaching deadlines and new matching requests; and each
person's digest setting (turned off on the settings page or by the one-click link).

Idempotent by construction: the outbox key names the person and the ISO week, so a second
run in the same week queues nothing. People who turned the digest off get nothing.
"""

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import dates, preferences
from concord.core.audit import log_event
from concord.core.emails import page_url, queue_email, recipient_language
from concord.core.models import OutgoingEmail
from concord.organisations.models import Organisation, Representative
from concord.partnerships import queries
from concord.partnerships.matching import matches_for
from concord.partnerships.models import DigestSubscription, PartnershipRequest

WEEK = timedelta(days=7)
APPROACHING = timedelta(days=14)


def digest_subscription(user: User) -> DigestSubscription:
    subscription, _created = DigestSubscription.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return subscription


def set_weekly_digest(user: User, enabled: bool) -> DigestSubscription:
    with transaction.atomic():
        subscription = digest_subscription(user)
        subscription.weekly_digest = enabled
        subscription.save(update_fields=["weekly_digest", "changed_at"])
        log_event("partnerships.digest_" + ("on" if enabled else "off"), user, actor=user)
    return subscription


def unsubscribe(token: str) -> DigestSubscription:
    """The one-click link in every digest (a POST: opening the link changes nothing)."""
    subscription = DigestSubscription.objects.filter(token=token).select_related("user").first()
    if subscription is None or not token:
        raise ValidationError(_("This unsubscribe link is not valid."), code="token")
    with transaction.atomic():
        subscription.weekly_digest = False
        subscription.save(update_fields=["weekly_digest", "changed_at"])
        log_event("partnerships.digest_off", subscription.user, actor=None, by="link")
    return subscription


def digest_key(user: User, now: datetime) -> str:
    year, week, _day = now.isocalendar()
    return f"partnerships.digest:{user.pk}:{year}-W{week:02d}"


def recipients():
    """Active people representing a member organisation who have not turned the digest off."""
    opted_out = DigestSubscription.objects.filter(user=OuterRef("pk"), weekly_digest=False)
    return (
        User.objects.filter(
            is_active=True, representations__organisation__status=Organisation.Status.MEMBER
        )
        .exclude(Exists(opted_out))
        .prefetch_related(
            Prefetch(
                "representations",
                queryset=Representative.objects.filter(
                    organisation__status=Organisation.Status.MEMBER
                )
                .select_related("organisation", "organisation__country")
                .prefetch_related("organisation__themes"),
            )
        )
        .distinct()
        .order_by("pk")
    )


def _call_item(match: queries.FundingMatch) -> dict:
    call = match.call
    return {
        "title": call.title,
        "funder": call.funder,
        "deadline": local_deadline(call),
        "reasons": match.explanation,
        "url": page_url("partnerships:call", call.pk),
    }


def local_deadline(call) -> str:
    """The deadline at the funder's clock, in the reader's language, naming the zone."""
    local = call.deadline.astimezone(ZoneInfo(call.deadline_timezone))
    return f"{dates.when(local, 'datetime')} ({call.deadline_timezone})"


def _section(organisation: Organisation, now: datetime, matched: dict[int, set[int]], new_requests):
    new_calls = queries.funding_matches(organisation, since=now - WEEK)
    new_ids = {m.call.pk for m in new_calls}
    approaching = [
        m
        for m in queries.funding_matches(organisation, deadline_before=now + APPROACHING)
        if m.call.pk not in new_ids
    ]
    requests = [
        {
            "title": posted.title,
            "organisation": posted.organisation.name,
            "url": page_url("partnerships:request", posted.pk),
        }
        for posted in new_requests
        if organisation.pk in matched.get(posted.pk, set())
    ]
    if not (new_calls or approaching or requests):
        return None
    return {
        "name": organisation.name,
        "new_calls": [_call_item(m) for m in new_calls],
        "approaching": [_call_item(m) for m in approaching],
        "requests": requests,
        "funding_url": page_url("partnerships:funding_matches", organisation.pk),
    }


def send_weekly_digests(now: datetime | None = None) -> int:
    """Queue this week's digest for each person who has something to read. Returns how many."""
    now = now or timezone.now()
    new_requests = list(
        PartnershipRequest.objects.filter(
            kind=PartnershipRequest.Kind.REQUEST,
            status=PartnershipRequest.Status.OPEN,
            created_at__gte=now - WEEK,
            organisation__status=Organisation.Status.MEMBER,
        ).select_related("organisation")
    )
    matched = {
        posted.pk: {s.organisation.pk for s in matches_for(posted).suggestions}
        for posted in new_requests
    }
    sent = 0
    people = list(recipients())
    # Whoever stopped the weekly digest in their mail preferences (core/preferences.py).
    stopped = preferences.stopped_among([person.email for person in people], "digest")
    for person in people:
        key = digest_key(person, now)
        if person.email in stopped or OutgoingEmail.objects.filter(key=key).exists():
            continue
        # The reasons a call matches are worded here, so in the reader's language too.
        with translation.override(recipient_language(person)):
            sections = [
                section
                for rep in person.representations.all()
                if (section := _section(rep.organisation, now, matched, new_requests))
            ]
            if not sections:
                continue
            subscription = digest_subscription(person)
            context = {
                "person": person.name or person.email,
                "sections": sections,
                "unsubscribe_url": page_url("partnerships:unsubscribe", subscription.token),
                "settings_url": page_url("partnerships:digest"),
            }
        if queue_email(key=key, to=person, template="partnerships/emails/digest", context=context):
            sent += 1
    return sent
