"""Who may do what with events, in one place.

The secretariat manages every event. Representatives of member organisations may create
events; an event is then managed by the person who created it, the people named as its
organisers and the admins of its organising organisations. Those who manage an event also
check people in at its doors.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from concord.events.models import Event, Registration
from concord.organisations.models import Organisation, Representative
from concord.organisations.permissions import (
    can_act_for,
    is_secretariat,
    organisations_administered,
)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_create_events(user) -> bool:
    if is_secretariat(user):
        return True
    return (
        _signed_in(user)
        and Representative.objects.filter(
            user=user, organisation__status=Organisation.Status.MEMBER
        ).exists()
    )


def can_name_as_organiser(user, organisation: Organisation) -> bool:
    """An event names as its organisers only organisations its author acts for."""
    return is_secretariat(user) or can_act_for(user, organisation)


def can_manage(user, event: Event) -> bool:
    if is_secretariat(user):
        return True
    if not _signed_in(user):
        return False
    if event.created_by_id == user.pk or event.organisers.filter(pk=user.pk).exists():
        return True
    return Representative.objects.filter(
        user=user,
        role=Representative.Role.ADMIN,
        organisation__in=event.organisations.all(),
    ).exists()


def events_managed_by(user) -> QuerySet[Event]:
    """The events `can_manage` allows, in one query (for lists)."""
    if is_secretariat(user):
        return Event.objects.all()
    if not _signed_in(user):
        return Event.objects.none()
    managed = Event.objects.filter(
        Q(created_by=user)
        | Q(organisers=user)
        | Q(organisations__in=organisations_administered(user).values("pk"))
    )
    # The joins repeat an event once per organiser or organisation: a subquery keeps one row.
    return Event.objects.filter(pk__in=managed.values("pk"))


def require_manager(user, event: Event) -> None:
    """For the services: refuse (403) anyone who does not manage the event."""
    if not can_manage(user, event):
        raise PermissionDenied(
            _("Only the organisers of this event or the secretariat may do this.")
        )


def can_check_in(user, event: Event) -> bool:
    return can_manage(user, event)


def can_register(user) -> bool:
    return _signed_in(user)


def can_see_badge(user, registration: Registration) -> bool:
    if _signed_in(user) and registration.user_id == user.pk:
        return True
    return can_manage(user, registration.event)


def can_see_online_link(user, event: Event) -> bool:
    """The online link is for registered (confirmed) participants and the organisers."""
    if not _signed_in(user):
        return False
    if can_manage(user, event):
        return True
    return event.registrations.filter(user=user, status=Registration.Status.CONFIRMED).exists()
