"""Posting requests and offers, closing them, and an organisation's working languages.

Each function checks permission and input, writes in one transaction and logs the audit
event; bad input is a ValidationError per field and nothing is stored.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.countries import checks as country_checks
from concord.countries.models import Country, Region
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_edit
from concord.partnerships import permissions, vectors
from concord.partnerships.models import (
    WORKING_LANGUAGES,
    OrganisationLanguages,
    PartnershipRequest,
    TextVector,
)


def _languages(errors: Errors, values: Any) -> list[str]:
    """Known working-language codes, in the order given (the first is the one preferred)."""
    given = [str(code).strip().lower() for code in values or []]
    known = checks.codes(
        errors, "languages", given, WORKING_LANGUAGES, _("Unknown language codes: %(codes)s.")
    )
    return [code for code in dict.fromkeys(given) if code in known]


def _future_date(errors: Errors, field: str, value: Any) -> date | None:
    deadline = checks.iso_date(errors, field, value)
    if deadline is not None and deadline < timezone.localdate():
        errors.add(field, _("The deadline is in the past."))
    return deadline


def post_request(
    user: User, organisation: Organisation, data: dict[str, Any]
) -> PartnershipRequest:
    """An organisation posts what it seeks (kind "request") or offers (kind "offer")."""
    if not permissions.can_post_for(user, organisation):
        raise PermissionDenied(_("Only representatives of a member organisation may post."))
    errors = Errors()
    kind = data.get("kind") or PartnershipRequest.Kind.REQUEST
    if kind not in PartnershipRequest.Kind.values:
        errors.add("kind", _("Choose a request or an offer."))
    purpose = data.get("purpose") or ""
    if purpose not in PartnershipRequest.Purpose.values:
        errors.add("purpose", _("Choose what the partnership is for."))
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    description = checks.text(
        errors, "description", data.get("description"), limit=5000, required=True, plain=False
    )
    themes = checks.themes(errors, "themes", data.get("themes"))
    sdgs = checks.sdgs(errors, "sdgs", data.get("sdgs"))
    countries = country_checks.countries(errors, "countries", data.get("countries"))
    regions = country_checks.regions(errors, "regions", data.get("regions"))
    languages = _languages(errors, data.get("languages"))
    deadline = _future_date(errors, "deadline", data.get("deadline"))
    errors.raise_if_any()
    with transaction.atomic():
        posted = PartnershipRequest.objects.create(
            organisation=organisation,
            kind=kind,
            purpose=purpose,
            title=title,
            description=description,
            languages=languages,
            deadline=deadline,
            created_by=user,
        )
        posted.themes.set(themes)
        posted.sdgs.set(sdgs)
        posted.countries.set(Country.objects.filter(code__in=countries))
        posted.regions.set(Region.objects.filter(code__in=regions))
        log_event(f"partnership_{kind}.posted", posted, actor=user, title=title)
        vectors.embed_after_commit(TextVector.Subject.REQUEST, posted.pk)
    return posted


def close_request(user: User, posted: PartnershipRequest) -> PartnershipRequest:
    if not permissions.can_manage_request(user, posted):
        raise PermissionDenied(_("Only the organisation's representatives may close it."))
    with transaction.atomic():
        PartnershipRequest.objects.filter(pk=posted.pk).update(
            status=PartnershipRequest.Status.CLOSED
        )
        log_event("partnership_request.closed", posted, actor=user)
    posted.status = PartnershipRequest.Status.CLOSED
    return posted


def set_working_languages(
    user: User, organisation: Organisation, languages: list[str]
) -> OrganisationLanguages:
    if not can_edit(user, organisation):
        raise PermissionDenied(_("Only the organisation's admins may edit it."))
    errors = Errors()
    codes = _languages(errors, languages)
    errors.raise_if_any()
    declared, _created = OrganisationLanguages.objects.update_or_create(
        organisation=organisation, defaults={"languages": codes}
    )
    return declared
