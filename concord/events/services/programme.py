"""Events and their programme: creating and changing an event, its sessions and the
questions asked at registration."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.checks import Errors, no_nul
from concord.countries import checks as country_checks
from concord.events import permissions
from concord.events.models import Event, Question, Registration, Session
from concord.events.services.messages import email_participant
from concord.events.services.registration import promote_waiting
from concord.events.times import check_zone, local_to_utc
from concord.organisations.models import Organisation

RESERVED_SLUGS = {"new", "timezone", "feed"}
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


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


def _event_fields(data: EventInput) -> dict:
    errors = Errors()
    for name in ("slug", "title", "description", "venue", "city", "online_link", "time_zone"):
        no_nul(errors, name, getattr(data, name))
    errors.raise_if_any()
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
    country = country_checks.country(errors, "country", data.country, required=False)
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


def _organisations(user, ids: list[int], named: frozenset[int] = frozenset()) -> list[Organisation]:
    """The member organisations `ids` names, each one the user acts for unless the event
    already names it (`named`): an organiser keeps the co-organisers the secretariat added."""
    chosen = list(Organisation.objects.filter(pk__in=ids, status=Organisation.Status.MEMBER))
    if len(chosen) != len(set(ids)):
        raise ValidationError({"organisations": [_("Choose member organisations.")]})
    if not permissions.is_secretariat(user):
        if not chosen:
            raise ValidationError(
                {"organisations": [_("Name the member organisation that organises the event.")]}
            )
        for organisation in chosen:
            if organisation.pk not in named and not permissions.can_name_as_organiser(
                user, organisation
            ):
                # Naming another's organisation is a missing right, not a bad field (403).
                raise PermissionDenied(_("You may only name organisations you represent."))
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
    permissions.require_manager(user, event)
    fields = _event_fields(data)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        changed = [name for name in CHANGES_TOLD if getattr(locked, name) != fields[name]]
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["created_by", "country", "slug"])
        locked.save()
        if data.organisation_ids:
            named = frozenset(locked.organisations.values_list("pk", flat=True))
            locked.organisations.set(_organisations(user, data.organisation_ids, named))
        log_event("event.updated", locked, actor=user, changed=changed)
        if changed:
            batch = secrets.token_hex(6)
            for registration in locked.registrations.filter(status=Registration.Status.CONFIRMED):
                email_participant(
                    registration, "changed", f"event.changed:{batch}:{registration.pk}"
                )
        if locked.capacity is None or (
            event.capacity is not None and locked.capacity > event.capacity
        ):
            promote_waiting(locked)
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
    permissions.require_manager(user, event)
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
    permissions.require_manager(user, event)
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
