"""Registering, the waiting list, approval and cancelling. Seats are counted under a lock on
the event row, so two people asking for the last seat at once get one seat and one place on
the waiting list; a freed seat goes to the waiting list in the same transaction."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.accounts.models import User, normalise_email
from concord.core.audit import log_event
from concord.core.checks import Errors, has_nul, nul_message
from concord.core.errors import Refused
from concord.countries import checks as country_checks
from concord.events import permissions
from concord.events.models import Event, Question, Registration
from concord.events.services.messages import email_participant, email_status
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_act_for


@dataclass
class RegistrationInput:
    country: str
    organisation_id: int | None = None
    answers: dict[str, object] = field(default_factory=dict)
    listed: bool = False
    language: str = ""


ANSWER_LIMIT = 1000


def check_answers(errors: Errors, event: Event, answers: dict) -> dict[str, object]:
    """Answers keyed by question id (text); required ones present, choices among the offered.
    A wrong answer is named under `question_<id>`, the form field that asked it."""
    clean: dict[str, object] = {}
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
                errors.add(name, _("Answer yes or no."))
                continue
        else:
            value = " ".join(str(raw or "").split()) if raw is not None else ""
            if has_nul(value):
                errors.add(name, nul_message())
                continue
            if len(str(value)) > ANSWER_LIMIT:
                errors.add(name, _("An answer is at most 1,000 characters."))
                continue
            if question.kind == Question.Kind.CHOICE and value and value not in question.choices:
                errors.add(name, _("Choose one of the offered answers."))
                continue
        if question.required and value in (None, ""):
            errors.add(
                name,
                _("This question needs an answer: %(question)s") % {"question": question.label},
            )
            continue
        if value not in (None, ""):
            clean[key] = value
    return clean


@dataclass
class CheckedRegistration:
    country: str
    organisation: Organisation | None
    answers: dict[str, object]


def check_registration(user: User, event: Event, data: RegistrationInput) -> CheckedRegistration:
    """The country, organisation and answers of a registration, checked the same way when
    registering and when changing answers; every wrong field is named at once (422)."""
    errors = Errors()
    country = country_checks.country(errors, "country", data.country)
    organisation = None
    if data.organisation_id:
        organisation = Organisation.objects.filter(pk=data.organisation_id).first()
        if organisation is None or not can_act_for(user, organisation):
            errors.add(
                "organisation", _("You may register only for a member organisation you represent.")
            )
    answers = check_answers(errors, event, data.answers or {})
    errors.raise_if_any()
    return CheckedRegistration(country=country, organisation=organisation, answers=answers)


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


def register(user: User, event: Event, data: RegistrationInput) -> Registration:
    """Register a signed-in person. Under a lock on the event row the seats are counted, so
    two people asking for the last seat at once get one seat and one waiting-list place."""
    if not permissions.can_register(user):
        raise PermissionDenied(_("Sign in to register."))
    checked = check_registration(user, event, data)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        check_window(locked)
        existing = Registration.objects.select_for_update().filter(event=locked, user=user).first()
        if existing is not None and existing.is_active:
            raise Refused(_("You are already registered for this event."), code="duplicate")
        if existing is not None and existing.status == Registration.Status.DECLINED:
            raise Refused(
                _("The organisers declined your registration for this event."), code="declined"
            )
        registration = existing or Registration(event=locked, user=user)
        registration.event = locked
        registration.email = normalise_email(user.email)
        # Only the person's name: the participants list is public and never shows an address.
        registration.name = user.name
        registration.country_id = checked.country
        registration.organisation = checked.organisation
        registration.answers = checked.answers
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
        email_status(registration)
    return registration


def change_answers(user: User, registration: Registration, data: RegistrationInput) -> Registration:
    """The participant changes their answers, organisation or listing consent."""
    if registration.user_id != user.pk:
        raise PermissionDenied(_("This is not your registration."))
    if not registration.is_active:
        raise Refused(_("This registration is no longer active."), code="inactive")
    checked = check_registration(user, registration.event, data)
    with transaction.atomic():
        registration.country_id = checked.country
        registration.organisation = checked.organisation
        registration.answers = checked.answers
        registration.listed = bool(data.listed)
        registration.save()
        log_event("event.registration_changed", registration.event, actor=user)
        email_participant(
            registration,
            "changed_answers",
            f"event.answers:{registration.pk}:{secrets.token_hex(4)}",
        )
    return registration


def promote_waiting(event: Event) -> list[Registration]:
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
        email_participant(
            waiting, "promoted", f"event.promoted:{waiting.pk}:{secrets.token_hex(4)}"
        )
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
        if not locked.is_active:
            return []
        if hasattr(locked, "checkin"):
            raise Refused(_("You were checked in already; the registration stays."), code="present")
        locked.status, locked.waiting_since = Registration.Status.CANCELLED, None
        locked.save(update_fields=["status", "waiting_since", "updated_at"])
        log_event("event.cancelled", event, actor=user, registration=locked.pk)
        email_participant(
            locked, "cancelled", f"event.cancelled:{locked.pk}:{secrets.token_hex(4)}"
        )
        promoted = promote_waiting(event)
    registration.refresh_from_db()
    return promoted


def decide_registration(user: User, registration: Registration, approve: bool) -> Registration:
    """Approve or decline a registration awaiting approval (a moderated event)."""
    permissions.require_manager(user, registration.event)
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
        email_status(locked)
        if not approve:
            promote_waiting(event)
    return locked
