"""Who may mail whom, in one place.

The secretariat mails any audience. When the secretariat allows it
(`MAILINGS_BY_ORGANISATIONS`), an admin of a member organisation may mail their own
organisation's representatives and the signatories who asked to be kept informed about a
declaration they manage. Nobody else writes mailings.
"""

from django.conf import settings

from concord.declarations.models import Declaration
from concord.declarations.permissions import can_manage as can_manage_declaration
from concord.mailings.models import Audience, Mailing
from concord.organisations.models import Organisation, Representative
from concord.organisations.permissions import is_secretariat


def admin_organisations(user) -> list[Organisation]:
    """The member organisations whose mail this person may send (none unless allowed)."""
    if not (settings.MAILINGS_BY_ORGANISATIONS and user and user.is_authenticated):
        return []
    return list(
        Organisation.objects.filter(
            status=Organisation.Status.MEMBER,
            representatives__user=user,
            representatives__role=Representative.Role.ADMIN,
        )
    )


def can_write_mailings(user) -> bool:
    return is_secretariat(user) or bool(admin_organisations(user))


def can_manage(user, mailing: Mailing) -> bool:
    if is_secretariat(user):
        return True
    if mailing.organisation_id is None:
        return False
    return mailing.organisation_id in {o.pk for o in admin_organisations(user)}


def can_use_audience(user, audience: Audience) -> bool:
    if is_secretariat(user):
        return True
    if audience.organisation_id is None:
        return False
    if audience.organisation_id not in {o.pk for o in admin_organisations(user)}:
        return False
    if audience.kind == Audience.Kind.REPRESENTATIVES:
        return True
    if audience.kind == Audience.Kind.SIGNATORIES:
        declaration = Declaration.objects.filter(pk=audience.filters.get("declaration")).first()
        return declaration is not None and can_manage_declaration(user, declaration)
    return False


def can_define_audience(user, kind: str, organisation: Organisation | None, filters: dict) -> bool:
    """May this person save an audience of `kind` (for `organisation`, None for the
    secretariat's own)? The same rule as using it."""
    draft = Audience(kind=kind, organisation=organisation, filters=filters)
    return can_use_audience(user, draft)
