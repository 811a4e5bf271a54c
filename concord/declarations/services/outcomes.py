"""A declaration adopted at an event: the link between them (one event per declaration).

It belongs to the declarations app, which builds on events (only an event's participants
may sign such a declaration); the events app knows nothing of declarations. Who may link:
those who manage both the event and the declaration.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import permissions
from concord.declarations.models import Declaration
from concord.events import permissions as event_permissions
from concord.events.models import Event, Outcome


def link_outcome(user: User, event: Event, declaration: Declaration) -> Outcome:
    """Record that a declaration was adopted at this event."""
    if not event_permissions.can_manage(user, event):
        raise PermissionDenied(
            _("Only the organisers of this event or the secretariat may do this.")
        )
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only those who manage the declaration may link it."))
    try:
        with transaction.atomic():
            outcome = Outcome.objects.create(event=event, declaration=declaration)
            log_event("event.outcome_linked", event, actor=user, declaration=declaration.slug)
    except IntegrityError:
        raise Refused(
            _("This declaration is already linked to an event."), code="already_linked"
        ) from None
    return outcome


def link_declaration(user: User, event: Event, slug: str) -> Outcome:
    """Link the declaration with this short name (from the event's management page)."""
    declaration = Declaration.objects.filter(slug=(slug or "").strip().lower()).first()
    if declaration is None:
        raise ValidationError({"declaration": [_("No declaration has this short name.")]})
    return link_outcome(user, event, declaration)


def link_by_slug(user: User, slug: str, declaration: Declaration) -> Outcome:
    """Link a new declaration to the event it was adopted at (from creating it)."""
    event = Event.objects.filter(slug=(slug or "").strip()).first()
    if event is None:
        raise ValidationError({"event": [_("Choose an event from the list.")]})
    try:
        return link_outcome(user, event, declaration)
    except PermissionDenied as error:
        raise ValidationError({"event": [str(error)]}) from None
