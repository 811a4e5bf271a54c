"""Every write path for events: creating them and their programme, registering, the waiting
list, approval, check-in at the door and messages to participants.

Errors: ValidationError for bad input (per field, HTTP 422), PermissionDenied (403), and
`Refused` (core.errors, mapped to its status by the API's error handler) for a request that
is well-formed but cannot be done now: full or closed registration, a badge from another
event, a forged code. Nothing is written when any of them is raised.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from concord.accounts.models import User, normalise_email
from concord.core.audit import log_event
from concord.core.emails import queue_email
from concord.core.errors import Refused
from concord.countries.queries import is_country
from concord.events import permissions
from concord.events.models import CheckIn, Event, Question, Registration, Session
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_act_for

RESERVED_SLUGS = {"new", "timezone", "feed"}
BADGE_SALT = "concord.events.badge"
CODE = re.compile(r"^C?(\d{1,12})-([0-9A-F]{16})$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")

# --- Times -------------------------------------------------------------------------------


def check_zone(name: str) -> str:
    name = (name or "").strip()
    if name not in available_timezones():
        raise ValidationError(
            {
                "time_zone": [
                    _("“%(zone)s” is not an IANA time zone, e.g. Europe/Paris.")
                    % {"zone": name[:64]}
                ]
            }
        )
    return name


def local_to_utc(value: datetime, zone_name: str, field_name: str = "starts_at") -> datetime:
    """A wall-clock time at the venue, in UTC. Refuses a time the clocks skip (it never
    happens there) or pass twice (it would be ambiguous) when daylight saving changes.
    An aware value is taken as it is."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    zone = ZoneInfo(zone_name)
    first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        raise ValidationError(
            {
                field_name: [
                    _(
                        "%(time)s does not exist in %(zone)s: the clocks skip it when "
                        "daylight saving time changes. Choose another time."
                    )
                    % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone_name}
                ]
            }
        )
    if first.utcoffset() != second.utcoffset():
        raise ValidationError(
            {
                field_name: [
                    _(
                        "%(time)s happens twice in %(zone)s: the clocks go back that night. "
                        "Choose a time outside that hour."
                    )
                    % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone_name}
                ]
            }
        )
    return first.astimezone(UTC)


# --- Events and their programme ------------------------------------------------------------


@dataclass
class EventInput:
    slug: str
    title: str
    kind: str
    format: str
    starts_at: datetime  # wall-clock time at the venue (naive), or aware
    ends_at: datetime
    time_zone: str = "UTC"
    description: str = ""
    venue: str = ""
    city: str = ""
    country: str = ""
    online_link: str = ""
    languages: list[str] = field(default_factory=list)
    capacity: int | None = None
    registration_opens_at: datetime | None = None  # UTC (aware) or wall-clock at the venue
    registration_closes_at: datetime | None = None
    approval: str = Event.Approval.AUTOMATIC
    organisation_ids: list[int] = field(default_factory=list)


def _require_manager(user, event: Event) -> None:
    if not permissions.can_manage(user, event):
        raise PermissionDenied(
            _("Only the organisers of this event or the secretariat may do this.")
        )


def _event_fields(data: EventInput) -> dict:
    errors: dict[str, list[str]] = {}
    for name in ("slug", "title", "description", "venue", "city", "online_link", "time_zone"):
        if "\x00" in (getattr(data, name) or ""):
            errors[name] = [_("contains a null character")]
    if errors:
        raise ValidationError(errors)
    zone = check_zone(data.time_zone)
    fields: dict[str, Any] = {
        "title": " ".join((data.title or "").split()),
        "description": (data.description or "").strip(),
        "kind": data.kind,
        "format": data.format,
        "time_zone": zone,
        "venue": (data.venue or "").strip(),
        "city": (data.city or "").strip(),
        "online_link": (data.online_link or "").strip(),
        "languages": sorted({code.strip().lower() for code in data.languages if code.strip()}),
        "capacity": data.capacity,
        "approval": data.approval,
    }
    if not fields["title"]:
        errors["title"] = [_("A title is required.")]
    if any(not LANGUAGE_CODE.match(code) for code in fields["languages"]):
        errors["languages"] = [_("Give languages as codes such as “en”, “fr” or “pt-br”.")]
    country = (data.country or "").strip().upper()
    if country and not is_country(country):
        errors["country"] = [
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": country[:10]}
        ]
    fields["country_id"] = country or None
    if data.format in (Event.Format.IN_PERSON, Event.Format.HYBRID) and not fields["city"]:
        errors["city"] = [_("Say where the event takes place.")]
    if data.format in (Event.Format.ONLINE, Event.Format.HYBRID) and not fields["online_link"]:
        errors["online_link"] = [_("An online event needs its link (shown to participants only).")]
    if data.capacity is not None and data.capacity < 1:
        errors["capacity"] = [_("The capacity is at least 1; leave it empty for no limit.")]
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        value = getattr(data, name)
        if value is None:
            fields[name] = None
            continue
        try:
            fields[name] = local_to_utc(value, zone, name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError({"ends_at": [_("The end must come after the start.")]})
    opens, closes = fields["registration_opens_at"], fields["registration_closes_at"]
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes_at": [_("Registration must close after it opens.")]}
        )
    return fields


def _organisations(user, ids: list[int]) -> list[Organisation]:
    chosen = list(Organisation.objects.filter(pk__in=ids, status=Organisation.Status.MEMBER))
    if len(chosen) != len(set(ids)):
        raise ValidationError({"organisations": [_("Choose member organisations.")]})
    if not permissions.is_secretariat(user):
        if not chosen:
            raise ValidationError(
                {"organisations": [_("Name the member organisation that organises the event.")]}
            )
        for organisation in chosen:
            if not can_act_for(user, organisation):
                raise ValidationError(
                    {"organisations": [_("You may only name organisations you represent.")]}
                )
    return chosen


def create_event(user: User, data: EventInput) -> Event:
    if not permissions.can_create_events(user):
        raise PermissionDenied(
            _("Only the secretariat and representatives of member organisations create events.")
        )
    fields = _event_fields(data)
    organisations = _organisations(user, data.organisation_ids)
    event = Event(slug=(data.slug or "").strip().lower(), created_by=user, **fields)
    if event.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": [_("This short name is reserved; choose another.")]})
    event.full_clean(exclude=["created_by", "country"])
    try:
        with transaction.atomic():
            event.save()
            event.organisations.set(organisations)
            log_event("event.created", event, actor=user)
    except IntegrityError:  # the same short name, created a moment ago
        raise ValidationError({"slug": [_("This short name is taken; choose another.")]}) from None
    return event


CHANGES_TOLD = ("starts_at", "ends_at", "venue", "city", "online_link", "time_zone")


def update_event(user: User, event: Event, data: EventInput) -> Event:
    """Change an event; confirmed participants are told when its time or place changes."""
    _require_manager(user, event)
    fields = _event_fields(data)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        changed = [name for name in CHANGES_TOLD if getattr(locked, name) != fields[name]]
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["created_by", "country", "slug"])
        locked.save()
        if data.organisation_ids:
            locked.organisations.set(_organisations(user, data.organisation_ids))
        log_event("event.updated", locked, actor=user, changed=changed)
        if changed:
            batch = secrets.token_hex(6)
            for registration in locked.registrations.filter(status=Registration.Status.CONFIRMED):
                _mail(registration, "changed", f"event.changed:{batch}:{registration.pk}")
        if locked.capacity is None or (
            event.capacity is not None and locked.capacity > event.capacity
        ):
            _promote(locked)
    return locked


def add_session(
    user: User,
    event: Event,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    room: str = "",
    link: str = "",
    speakers: str = "",
    organisation_ids: list[int] | None = None,
    topic_ids: list[int] | None = None,
) -> Session:
    """A programme item; its times are wall-clock times at the venue (or aware)."""
    _require_manager(user, event)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("A title is required.")]
    times = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        try:
            times[name] = local_to_utc(value, event.time_zone, name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if times["ends_at"] <= times["starts_at"]:
        raise ValidationError({"ends_at": [_("The end must come after the start.")]})
    session = Session(
        event=event,
        title=title,
        room=(room or "").strip(),
        link=(link or "").strip(),
        speakers=" ".join((speakers or "").split()),
        **times,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        if organisation_ids:
            session.speaker_organisations.set(Organisation.objects.filter(pk__in=organisation_ids))
        if topic_ids:
            session.topics.set(topic_ids)
        log_event("event.session_added", event, actor=user, session=session.pk)
    return session


def add_question(
    user: User, event: Event, *, label: str, kind: str, choices: list[str], required: bool
) -> Question:
    _require_manager(user, event)
    label = " ".join((label or "").split())
    choices = [" ".join(c.split()) for c in choices if c.strip()]
    errors = {}
    if not label:
        errors["label"] = [_("Write the question.")]
    if kind not in Question.Kind.values:
        errors["kind"] = [_("Choose text, choice or yes/no.")]
    elif kind == Question.Kind.CHOICE and len(choices) < 2:
        errors["choices"] = [_("A choice question needs at least two choices.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        position = event.questions.count()
        question = Question.objects.create(
            event=event,
            label=label[:200],
            kind=kind,
            choices=choices if kind == Question.Kind.CHOICE else [],
            required=required,
            position=position,
        )
        log_event("event.question_added", event, actor=user, question=question.pk)
    return question


# --- Registration ------------------------------------------------------------------------


@dataclass
class RegistrationInput:
    country: str
    organisation_id: int | None = None
    answers: dict[str, object] = field(default_factory=dict)
    listed: bool = False
    language: str = ""


def check_answers(event: Event, answers: dict) -> dict[str, object]:
    """Answers keyed by question id (text); required ones present, choices among the offered."""
    clean: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for question in event.questions.all():
        key = str(question.pk)
        raw = answers.get(key, answers.get(question.pk))
        name = f"question_{question.pk}"
        if question.kind == Question.Kind.YES_NO:
            if raw in (True, "yes", "true", "on", "1"):
                value: object = True
            elif raw in (False, "no", "false", "0"):
                value = False
            elif raw in (None, ""):
                value = None
            else:
                errors[name] = [_("Answer yes or no.")]
                continue
        else:
            value = " ".join(str(raw or "").split()) if raw is not None else ""
            if "\x00" in str(value):
                errors[name] = [_("contains a null character")]
                continue
            if len(str(value)) > 1000:
                errors[name] = [_("An answer is at most 1,000 characters.")]
                continue
            if question.kind == Question.Kind.CHOICE and value and value not in question.choices:
                errors[name] = [_("Choose one of the offered answers.")]
                continue
        if question.required and value in (None, ""):
            errors[name] = [
                _("This question needs an answer: %(question)s") % {"question": question.label}
            ]
            continue
        if value not in (None, ""):
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean


def check_window(event: Event, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        raise Refused(_("Registration for this event has not opened yet."), code="closed")
    closes = event.registration_closes_at or event.ends_at
    if now >= closes:
        raise Refused(_("Registration for this event has closed."), code="closed")


def seats_taken(event: Event) -> int:
    return event.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.PENDING]
    ).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or seats_taken(event) < event.capacity


def _language(data_language: str, user) -> str:
    available = dict(settings.LANGUAGES)
    for candidate in (data_language, getattr(user, "language", ""), translation.get_language()):
        if candidate in available:
            return candidate
    return settings.LANGUAGE_CODE


def _mail(registration: Registration, template: str, key: str, **extra) -> None:
    event = registration.event
    queue_email(
        key=key,
        to=registration.email,
        template=f"events/emails/{template}",
        context={
            "registration": registration,
            "event": event,
            "url": settings.SITE_URL + reverse("events:detail", args=[event.slug]),
            **extra,
        },
        language=registration.language,
    )


def _status_mail(registration: Registration) -> None:
    _mail(
        registration,
        "registration",
        f"event.registration:{registration.pk}:{registration.status}:{secrets.token_hex(4)}",
    )


def register(user: User, event: Event, data: RegistrationInput) -> Registration:
    """Register a signed-in person. Under a lock on the event row the seats are counted, so
    two people asking for the last seat at once get one seat and one waiting-list place."""
    if not permissions.can_register(user):
        raise PermissionDenied(_("Sign in to register."))
    errors: dict[str, list[str]] = {}
    country = (data.country or "").strip().upper()
    if not is_country(country):
        errors["country"] = [
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": country[:10]}
        ]
    organisation = None
    if data.organisation_id:
        organisation = Organisation.objects.filter(pk=data.organisation_id).first()
        if organisation is None or not can_act_for(user, organisation):
            errors["organisation"] = [
                _("You may register only for a member organisation you represent.")
            ]
    try:
        answers = check_answers(event, data.answers or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        check_window(locked)
        existing = Registration.objects.select_for_update().filter(event=locked, user=user).first()
        if existing is not None and existing.status not in (
            Registration.Status.CANCELLED,
            Registration.Status.DECLINED,
        ):
            raise Refused(_("You are already registered for this event."), code="duplicate")
        if existing is not None and existing.status == Registration.Status.DECLINED:
            raise Refused(
                _("The organisers declined your registration for this event."), code="declined"
            )
        registration = existing or Registration(event=locked, user=user)
        registration.event = locked
        registration.email = normalise_email(user.email)
        registration.name = user.name or user.email
        registration.country_id = country
        registration.organisation = organisation
        registration.answers = answers
        registration.listed = bool(data.listed)
        registration.language = _language(data.language, user)
        registration.badge_nonce = secrets.token_hex(8)
        if not _has_seat(locked):
            registration.status = Registration.Status.WAITING
            registration.waiting_since = timezone.now()
        elif locked.approval == Event.Approval.MODERATED:
            registration.status, registration.waiting_since = Registration.Status.PENDING, None
        else:
            registration.status, registration.waiting_since = Registration.Status.CONFIRMED, None
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise Refused(
                _("You are already registered for this event."), code="duplicate"
            ) from None
        log_event("event.registered", locked, actor=user, status=registration.status)
        _status_mail(registration)
    return registration


def change_answers(user: User, registration: Registration, data: RegistrationInput) -> Registration:
    """The participant changes their answers, organisation or listing consent."""
    if registration.user_id != user.pk:
        raise PermissionDenied(_("This is not your registration."))
    if registration.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        raise Refused(_("This registration is no longer active."), code="inactive")
    errors: dict[str, list[str]] = {}
    country = (data.country or "").strip().upper()
    if not is_country(country):
        errors["country"] = [
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code.") % {"code": country[:10]}
        ]
    organisation = None
    if data.organisation_id:
        organisation = Organisation.objects.filter(pk=data.organisation_id).first()
        if organisation is None or not can_act_for(user, organisation):
            errors["organisation"] = [
                _("You may register only for a member organisation you represent.")
            ]
    try:
        answers = check_answers(registration.event, data.answers or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        registration.country_id = country
        registration.organisation = organisation
        registration.answers = answers
        registration.listed = bool(data.listed)
        registration.save()
        log_event("event.registration_changed", registration.event, actor=user)
        _mail(
            registration,
            "changed_answers",
            f"event.answers:{registration.pk}:{secrets.token_hex(4)}",
        )
    return registration


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the waiting list, first come first served (caller holds the lock)."""
    promoted = []
    while _has_seat(event):
        waiting = (
            Registration.objects.select_for_update()
            .filter(event=event, status=Registration.Status.WAITING)
            .order_by("waiting_since", "pk")
            .first()
        )
        if waiting is None:
            break
        waiting.status = (
            Registration.Status.PENDING
            if event.approval == Event.Approval.MODERATED
            else Registration.Status.CONFIRMED
        )
        waiting.waiting_since = None
        waiting.save(update_fields=["status", "waiting_since", "updated_at"])
        log_event("event.promoted", event, registration=waiting.pk)
        _mail(waiting, "promoted", f"event.promoted:{waiting.pk}:{secrets.token_hex(4)}")
        promoted.append(waiting)
    return promoted


def cancel_registration(user: User, registration: Registration) -> list[Registration]:
    """Cancel (the participant, or an organiser); the freed seat goes to the waiting list in
    the same transaction. Returns the people promoted."""
    if registration.user_id != user.pk and not permissions.can_manage(user, registration.event):
        raise PermissionDenied(_("This is not your registration."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
            return []
        if hasattr(locked, "checkin"):
            raise Refused(_("You were checked in already; the registration stays."), code="present")
        locked.status, locked.waiting_since = Registration.Status.CANCELLED, None
        locked.save(update_fields=["status", "waiting_since", "updated_at"])
        log_event("event.cancelled", event, actor=user, registration=locked.pk)
        _mail(locked, "cancelled", f"event.cancelled:{locked.pk}:{secrets.token_hex(4)}")
        promoted = _promote(event)
    registration.refresh_from_db()
    return promoted


def decide_registration(user: User, registration: Registration, approve: bool) -> Registration:
    """Approve or decline a registration awaiting approval (a moderated event)."""
    _require_manager(user, registration.event)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != Registration.Status.PENDING:
            raise Refused(_("Only a registration awaiting approval can be decided."))
        locked.status = Registration.Status.CONFIRMED if approve else Registration.Status.DECLINED
        locked.save(update_fields=["status", "updated_at"])
        log_event(
            "event.approved" if approve else "event.declined",
            event,
            actor=user,
            registration=locked.pk,
        )
        _status_mail(locked)
        if not approve:
            _promote(event)
    return locked


# --- Badges and check-in -------------------------------------------------------------------


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


# --- Messages and reminders ----------------------------------------------------------------


def message_participants(user: User, event: Event, subject: str, body: str) -> int:
    """Email every confirmed participant, each with the frame of the message in their language."""
    _require_manager(user, event)
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    errors = {}
    if not subject or len(subject) > 200:
        errors["subject"] = [_("Write a subject of at most 200 characters.")]
    if not body or len(body) > 20_000:
        errors["body"] = [_("Write a message of at most 20,000 characters.")]
    if "\x00" in subject + body:
        errors["body"] = [_("contains a null character")]
    if errors:
        raise ValidationError(errors)
    batch = secrets.token_hex(6)
    with transaction.atomic():
        registrations = list(
            event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("event")
        )
        for registration in registrations:
            _mail(
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
                _mail(registration, "reminder", key)
                sent += 1
    return sent
