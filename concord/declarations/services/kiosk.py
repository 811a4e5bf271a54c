"""Kiosk signing: a tablet at the venue that an organiser opened, taking signatures one after
the other. Opening it gives a signed kiosk link (the declaration, who opened it, when),
good for KIOSK_HOURS, so the tablet needs no one's session; each signature made there is an
ordinary pending one (source "kiosk") confirmed by its emailed link."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.core.errors import Refused
from concord.declarations import permissions
from concord.declarations.models import Declaration

SALT = "concord.declarations.kiosk"


def open_kiosk(user: User, declaration: Declaration) -> str:
    """The kiosk's token, for the declaration's managers while it takes signatures."""
    if not permissions.can_manage(user, declaration):
        raise PermissionDenied(_("Only the declaration's managers may open a kiosk."))
    if declaration.status != Declaration.Status.OPEN:
        raise Refused(_("A kiosk can only be opened while the declaration is open."))
    log_event("declaration.kiosk_opened", declaration, actor=user)
    return signing.dumps({"declaration": declaration.pk, "by": user.pk}, salt=SALT)


def check_kiosk(declaration: Declaration, token: str) -> None:
    """Refuse a kiosk link that is forged, for another declaration or expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=settings.KIOSK_HOURS * 3600)
    except signing.SignatureExpired:
        raise Refused(
            _("This kiosk has expired: an organiser can open it again."), status=410, code="expired"
        ) from None
    except signing.BadSignature:
        value = None
    if not isinstance(value, dict) or value.get("declaration") != declaration.pk:
        raise Refused(_("This is not a valid kiosk link."), status=400, code="bad_link")
