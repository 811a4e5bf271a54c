"""Reusable reads for events: lists, the programme, participants, statistics, eligibility."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from concord.core import dates
from concord.core.checks import has_nul
from concord.countries.queries import Coverage, coverage
from concord.events.models import CheckIn, Event, Registration, Session
from concord.events.permissions import events_managed_by


def _with_details(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("country").prefetch_related("organisations")


def upcoming(now: datetime | None = None) -> QuerySet[Event]:
    return _with_details(Event.objects.filter(ends_at__gte=now or timezone.now()))


def past(now: datetime | None = None) -> QuerySet[Event]:
    return _with_details(Event.objects.filter(ends_at__lt=now or timezone.now())).order_by(
        "-starts_at", "-pk"
    )


def all_events() -> QuerySet[Event]:
    return _with_details(Event.objects.all())


def event_for_page(slug: str) -> Event | None:
    if has_nul(slug):
        return None
    return (
        Event.objects.select_related("country", "created_by")
        .prefetch_related(
            "organisations",
            "questions",
            Prefetch(
                "sessions",
                queryset=Session.objects.prefetch_related("speaker_organisations", "topics"),
            ),
            "outcomes__declaration__texts",
        )
        .filter(slug=slug)
        .first()
    )


def registration_of(user, event: Event) -> Registration | None:
    if not (user and user.is_authenticated):
        return None
    return (
        Registration.objects.select_related("organisation", "checkin")
        .filter(event=event, user=user)
        .first()
    )


def public_participants(event: Event) -> QuerySet[Registration]:
    """Confirmed participants who agreed to be listed publicly."""
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED, listed=True)
        .select_related("organisation")
        .order_by("name", "pk")
    )


@dataclass
class EventStats:
    registered: int
    waiting: int
    pending: int
    checked_in: int
    capacity: int | None
    coverage: Coverage
    attended_coverage: Coverage
    by_country: list[tuple[str, int]]  # (ISO code, confirmed participants), most first


def event_stats(event: Event) -> EventStats:
    """Counts by status and what the participants' countries represent (coverage)."""
    counts = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    per_country = sorted(
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .values_list("country_id")
        .annotate(n=Count("pk"))
        .order_by(),
        key=lambda row: (-row[1], row[0]),
    )
    countries = {code for code, _n in per_country}
    present = set(
        CheckIn.objects.filter(event=event).values_list("registration__country_id", flat=True)
    )
    return EventStats(
        registered=counts.get(Registration.Status.CONFIRMED, 0),
        waiting=counts.get(Registration.Status.WAITING, 0),
        pending=counts.get(Registration.Status.PENDING, 0),
        checked_in=CheckIn.objects.filter(event=event).count(),
        capacity=event.capacity,
        coverage=coverage(countries),
        attended_coverage=coverage(present),
        by_country=per_country,
    )


def checked_in_count(event: Event) -> int:
    return CheckIn.objects.filter(event=event).count()


@dataclass
class RegistrationFilter:
    status: str = ""
    country: str = ""
    search: str = ""
    checked_in: str = ""  # "yes", "no" or ""


def registrations_for_organisers(
    event: Event, selection: RegistrationFilter | None = None
) -> QuerySet[Registration]:
    registrations = event.registrations.select_related("organisation", "checkin").order_by(
        "created_at", "pk"
    )
    selection = selection or RegistrationFilter()
    if selection.status:
        registrations = registrations.filter(status=selection.status)
    if selection.country:
        registrations = registrations.filter(country_id=selection.country.upper())
    if selection.search:
        registrations = registrations.filter(
            Q(name__icontains=selection.search) | Q(email__icontains=selection.search)
        )
    if selection.checked_in == "yes":
        registrations = registrations.filter(checkin__isnull=False)
    elif selection.checked_in == "no":
        registrations = registrations.filter(checkin__isnull=True)
    return registrations


def takes_part(declaration, *, email: str, user=None, present: bool = False) -> bool:
    """Whether this address (or signed-in person) is a confirmed participant of the event a
    declaration was adopted at, and, if `present`, was checked in there. Used by the
    declarations app's eligibility rules."""
    who = Q(email=email)
    if user is not None and getattr(user, "is_authenticated", False):
        who |= Q(user=user)
    registrations = Registration.objects.filter(
        who,
        event__outcomes__declaration=declaration,
        status=Registration.Status.CONFIRMED,
    )
    if present:
        registrations = registrations.filter(checkin__isnull=False)
    return registrations.exists()


def event_choices() -> list[tuple[str, str]]:
    return [
        (e.slug, f"{e.title} ({dates.when(e.starts_at.astimezone(ZoneInfo(e.time_zone)))})")
        for e in Event.objects.order_by("-starts_at")[:200]
    ]


def personal_data(user) -> dict:
    """The person's registrations, each answer under its question, for their download."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "organisation", "checkin")
        .prefetch_related("event__questions")
        .order_by("event__starts_at", "pk")
    )
    rows = []
    for registration in registrations:
        labels = {
            str(question.pk): question.label for question in registration.event.questions.all()
        }
        checkin = getattr(registration, "checkin", None)
        rows.append(
            {
                "event": registration.event.title,
                "starts": registration.event.starts_at,
                "name": registration.name,
                "email": registration.email,
                "country": registration.country_id,
                "organisation": registration.organisation.name if registration.organisation else "",
                "status": registration.status,
                "listed_publicly": registration.listed,
                "answers": [
                    {"question": labels.get(key, key), "answer": answer}
                    for key, answer in registration.answers.items()
                ],
                "checked_in": checkin.checked_in_at if checkin else None,
                "registered": registration.created_at,
            }
        )
    return {"event_registrations": rows}


def organised_by(organisation, limit: int) -> list[Event]:
    """The events an organisation organises, the latest first, for its page (one query)."""
    rows = Event.objects.filter(organisations=organisation)
    return list(rows.only("pk", "slug", "title", "starts_at").order_by("-starts_at", "-pk")[:limit])


def registrations_of(user, now: datetime | None = None) -> QuerySet[Registration]:
    """The person's own registrations, whatever their status: events still to come first, the
    soonest first, then those that have ended, the latest first (one query)."""
    if not (user and user.is_authenticated):
        return Registration.objects.none()
    ended = Q(event__ends_at__lt=now or timezone.now())
    return (
        Registration.objects.filter(user=user)
        .select_related("event")
        .annotate(
            ended=Case(When(ended, then=Value(1)), default=Value(0)),
            # Null for ended events, so the start orders only the coming ones ascending.
            coming_start=Case(
                When(ended, then=None), default=F("event__starts_at"), output_field=DateTimeField()
            ),
        )
        .order_by("ended", F("coming_start").asc(nulls_last=True), "-event__starts_at", "-pk")
    )


def awaiting_approval(user, now: datetime | None = None) -> QuerySet[Event]:
    """Coming events the person manages (`can_manage`) where registrations await the
    organisers' approval, each with their number (`awaiting`), the soonest first."""
    pending = Q(registrations__status=Registration.Status.PENDING)
    return (
        events_managed_by(user)
        .filter(ends_at__gte=now or timezone.now())
        .annotate(awaiting=Count("registrations", filter=pending))
        .filter(awaiting__gt=0)
        .order_by("starts_at", "pk")
    )
