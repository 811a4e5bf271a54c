"""Events API: list and create events, register, check in, statistics, iCalendar files.

Thin: it parses, calls the same services and queries as the pages. Service refusals map to
their HTTP status in api/api.py (409 full or closed or already registered, 400 forged badge
code, 403 not allowed). Times are UTC in answers; on input a time without an offset is the
wall-clock time at the venue (in `time_zone`), one with an offset is that instant.
"""

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from concord.accounts.api import current_user, signed_in
from concord.core.api import Body, CountNextPrevious, IsoDateTime, QueryParams, errors
from concord.events import documents, permissions, queries
from concord.events.models import Event, Question, Registration
from concord.events.services import checkin, programme
from concord.events.services import registration as registering

router = Router(tags=["events"])


class SessionOut(Schema):
    title: str
    starts_at: datetime
    ends_at: datetime
    room: str
    speakers: str


class QuestionOut(Schema):
    id: int
    label: str
    kind: Question.Kind
    choices: list[str]
    required: bool


class EventOut(Schema):
    slug: str
    title: str
    description: str
    kind: Event.Kind
    format: Event.Format
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    city: str
    country: str | None = Field(None, alias="country_id")
    languages: list[str]
    capacity: int | None
    approval: Event.Approval
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    organisations: list[str]
    sessions: list[SessionOut]
    questions: list[QuestionOut]
    outcomes: list[str]
    online_link: str | None = Field(
        None, description="Only for confirmed participants and the organisers"
    )

    @staticmethod
    def resolve_online_link(obj: Event, context) -> str | None:
        request = (context or {}).get("request")
        user = current_user(request) if request is not None else None
        if obj.online_link and permissions.can_see_online_link(user, obj):
            return obj.online_link
        return None

    @staticmethod
    def resolve_organisations(obj: Event) -> list[str]:
        return [o.name for o in obj.organisations.all()]

    @staticmethod
    def resolve_sessions(obj: Event) -> list:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_questions(obj: Event) -> list:
        return list(obj.questions.all())

    @staticmethod
    def resolve_outcomes(obj: Event) -> list[str]:
        return [o.declaration.slug for o in obj.outcomes.all()]


class EventListItem(Schema):
    slug: str
    title: str
    kind: Event.Kind
    format: Event.Format
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    city: str
    country: str | None = Field(None, alias="country_id")
    capacity: int | None


class EventIn(Body):
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    title: str = Field(..., min_length=1, max_length=200)
    kind: Event.Kind
    format: Event.Format
    starts_at: IsoDateTime = Field(..., description="Venue wall-clock time, or with an offset")
    ends_at: IsoDateTime
    time_zone: str = Field("UTC", max_length=64, examples=["Asia/Baku"])
    description: str = Field("", max_length=20_000)
    venue: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    online_link: str = Field("", max_length=500)
    languages: list[str] = Field(default_factory=list, max_length=10)
    capacity: StrictInt | None = Field(None, ge=1)
    registration_opens_at: IsoDateTime | None = None
    registration_closes_at: IsoDateTime | None = None
    approval: Event.Approval = Event.Approval.AUTOMATIC
    organisations: list[StrictInt] = Field(default_factory=list, max_length=20)


class ListQuery(QueryParams):
    when: Literal["upcoming", "past", "all"] = "upcoming"


class RegistrationIn(Body):
    country: str = Field(..., max_length=2, examples=["SN"])
    organisation: StrictInt | None = None
    answers: dict[str, str | StrictBool] = Field(
        default_factory=dict, description="Answers keyed by question id"
    )
    listed: StrictBool = False


class RegistrationOut(Schema):
    event: str
    status: Registration.Status
    badge_code: str | None


class CheckInIn(Body):
    code: str = Field(..., max_length=60)
    door: str = Field("", max_length=50)


class CheckInOut(Schema):
    status: Literal["checked_in", "already_checked_in"]
    name: str
    organisation: str
    country: str
    checked_in_at: datetime
    door: str
    checked_in_count: int


class RegionCount(Schema):
    code: str
    name: str
    count: int


class GroupCount(Schema):
    slug: str
    name: str
    count: int
    size: int


class CountryCount(Schema):
    code: str
    count: int


class StatsOut(Schema):
    registered: int
    waiting: int
    pending: int
    checked_in: int
    capacity: int | None
    countries: int
    un_member_states: int
    checked_in_countries: int
    by_country: list[CountryCount]
    regions: list[RegionCount]
    groups: list[GroupCount]


def _event(slug: str) -> Event:
    event = queries.event_for_page(slug)
    if event is None:
        raise Http404
    return event


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _calendar_body(description: str) -> dict:
    content = {"text/calendar": {"schema": {"type": "string"}}}
    return {"responses": {200: {"description": description, "content": content}}}


# The .ics paths come first: "/events/{slug}" would otherwise take "x.ics" as a slug.
@router.get(
    "/events.ics",
    response=errors(422),
    summary="Calendar feed of upcoming events (iCalendar)",
    openapi_extra=_calendar_body("RFC 5545 calendar of upcoming events"),
)
def feed(request: HttpRequest):
    return _ics(documents.calendar(queries.upcoming(), name="Concord"), "events.ics")


@router.get(
    "/events/{slug}.ics",
    response=errors(404),
    summary="One event as iCalendar",
    openapi_extra=_calendar_body("RFC 5545 calendar with the event"),
)
def event_ics(request: HttpRequest, slug: str):
    event = _event(slug)
    return _ics(documents.calendar([event]), f"{event.slug}.ics")


@router.get("/events", response={200: list[EventListItem], **errors(422)}, summary="List events")
@paginate(CountNextPrevious)
def list_events(request: HttpRequest, filters: Query[ListQuery]):
    if filters.when == "past":
        return queries.past()
    if filters.when == "all":
        return queries.all_events()
    return queries.upcoming()


@router.post(
    "/events",
    response={201: EventOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Create an event",
)
def create_event(request: HttpRequest, payload: EventIn):
    """The secretariat, or a representative naming the member organisations they act for."""
    event = programme.create_event(
        request.user,
        programme.EventInput(
            slug=payload.slug,
            title=payload.title,
            kind=payload.kind,
            format=payload.format,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            time_zone=payload.time_zone,
            description=payload.description,
            venue=payload.venue,
            city=payload.city,
            country=payload.country,
            online_link=payload.online_link,
            languages=payload.languages,
            capacity=payload.capacity,
            registration_opens_at=payload.registration_opens_at,
            registration_closes_at=payload.registration_closes_at,
            approval=payload.approval,
            organisation_ids=payload.organisations,
        ),
    )
    return Status(201, _event(event.slug))


@router.get("/events/{slug}", response={200: EventOut, **errors(404)}, summary="One event")
def get_event(request: HttpRequest, slug: str):
    return _event(slug)


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Register (the caller)",
)
def register(request: HttpRequest, slug: str, payload: RegistrationIn):
    """Registers the token's holder. The answer says whether they have a seat (`confirmed`),
    are on the waiting list (`waiting`) or await approval (`pending`). 409 if already
    registered or registration is closed."""
    registration = registering.register(
        request.user,
        _event(slug),
        registering.RegistrationInput(
            country=payload.country,
            organisation_id=payload.organisation,
            answers=dict(payload.answers),
            listed=payload.listed,
            language=getattr(request.user, "language", ""),
        ),
    )
    code = (
        checkin.badge_code(registration)
        if registration.status == Registration.Status.CONFIRMED
        else None
    )
    return Status(201, {"event": slug, "status": registration.status, "badge_code": code})


@router.post(
    "/events/{slug}/checkins",
    response={200: CheckInOut, 201: CheckInOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Check a badge in",
)
def check_in(request: HttpRequest, slug: str, payload: CheckInIn):
    """Organisers. 201 when the person is checked in now, 200 when they already were (the
    same badge scanned twice, or at two doors); 400 for a forged code, 409 for a badge of
    another event or a registration that is not confirmed."""
    event = _event(slug)
    if not permissions.can_check_in(current_user(request), event):
        return Status(403, {"detail": "Only the organisers of this event check people in."})
    record, created = checkin.check_in(request.user, event, payload.code, payload.door)
    registration = record.registration
    return Status(
        201 if created else 200,
        {
            "status": "checked_in" if created else "already_checked_in",
            "name": registration.display_name,
            "organisation": registration.organisation.name if registration.organisation else "",
            "country": registration.country_id,
            "checked_in_at": record.checked_in_at,
            "door": record.door,
            "checked_in_count": queries.checked_in_count(event),
        },
    )


@router.get("/events/{slug}/stats", response={200: StatsOut, **errors(404)}, summary="Attendance")
def stats(request: HttpRequest, slug: str):
    """Counts by status and the coverage of the confirmed participants' countries."""
    result = queries.event_stats(_event(slug))
    return {
        "registered": result.registered,
        "waiting": result.waiting,
        "pending": result.pending,
        "checked_in": result.checked_in,
        "capacity": result.capacity,
        "countries": result.coverage.countries,
        "un_member_states": result.coverage.un_member_states,
        "checked_in_countries": result.attended_coverage.countries,
        "by_country": [{"code": code, "count": n} for code, n in result.by_country],
        "regions": [
            {"code": r.code, "name": r.name, "count": r.count} for r in result.coverage.regions
        ],
        "groups": [
            {"slug": g.slug, "name": g.name, "count": g.count, "size": g.size}
            for g in result.coverage.groups
        ],
    }
