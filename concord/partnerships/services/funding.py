"""Funding calls (entered by the secretariat and funders) and the applications an
organisation tracks.
"""

import zoneinfo
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import list_currencies
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.countries import checks as country_checks
from concord.countries.models import Country, CountryGroup, Region
from concord.organisations.models import Organisation
from concord.partnerships import permissions
from concord.partnerships.models import (
    FundingApplication,
    FundingCall,
)


def _deadline(errors: Errors, data: dict) -> tuple[datetime | None, str]:
    zone_name = str(data.get("deadline_timezone") or "").strip()
    if zone_name not in zoneinfo.available_timezones():
        errors.add("deadline_timezone", _("Give an IANA time zone, e.g. Africa/Nairobi or UTC."))
        zone = None
    else:
        zone = zoneinfo.ZoneInfo(zone_name)
    value = data.get("deadline")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        errors.add("deadline", _("Give the deadline's date and time."))
        return None, zone_name
    if zone is None:
        return None, zone_name
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    if value <= timezone.now():
        errors.add("deadline", _("The deadline is in the past."))
    return value, zone_name


def create_funding_call(user: User, data: dict[str, Any]) -> FundingCall:
    if not permissions.can_enter_funding_calls(user):
        raise PermissionDenied(_("Only the secretariat and funders enter funding calls."))
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    funder = checks.text(errors, "funder", data.get("funder"), limit=200, required=True)
    description = checks.text(errors, "description", data.get("description"), limit=5000)
    instrument = data.get("instrument") or ""
    if instrument not in FundingCall.Instrument.values:
        errors.add(
            "instrument", _("Choose a grant, a concessional loan, in-kind support or a prize.")
        )
    currency = str(data.get("currency") or "").strip().upper()
    if currency not in list_currencies():
        errors.add("currency", _("Give an ISO 4217 currency code, e.g. USD, XOF or EUR."))
    amounts: dict[str, Decimal] = {}
    for field in ("amount_min", "amount_max"):
        try:
            amount = Decimal(str(data.get(field)))
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                raise InvalidOperation
            amounts[field] = amount.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError, TypeError):
            errors.add(field, _("Give an amount of zero or more."))
    if len(amounts) == 2 and amounts["amount_min"] > amounts["amount_max"]:
        errors.add("amount_max", _("The largest amount cannot be below the smallest."))
    deadline, zone_name = _deadline(errors, data)
    link = str(data.get("link") or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(link)
        if checks.has_nul(link) or len(link) > 500:
            raise ValidationError("")
    except ValidationError:
        errors.add("link", _("Give the web address of the call, starting with https://."))
    themes = checks.themes(errors, "themes", data.get("themes"))
    countries = country_checks.countries(
        errors, "eligible_countries", data.get("eligible_countries")
    )
    groups = country_checks.groups(errors, "eligible_groups", data.get("eligible_groups"))
    regions = country_checks.regions(errors, "eligible_regions", data.get("eligible_regions"))
    open_to_all = bool(data.get("open_to_all"))
    if not (countries or groups or regions or open_to_all) and not errors.keys() & {
        "eligible_countries", "eligible_groups", "eligible_regions",
    }:  # fmt: skip
        errors.add(
            "eligible_countries",
            _("Say who is eligible: countries, groups or regions (or open to all)."),
        )
    errors.raise_if_any()
    assert deadline is not None  # else _deadline() reported an error
    with transaction.atomic():
        call = FundingCall.objects.create(
            title=title,
            funder=funder,
            description=description,
            instrument=instrument,
            currency=currency,
            amount_min=amounts["amount_min"],
            amount_max=amounts["amount_max"],
            deadline=deadline,
            deadline_timezone=zone_name,
            link=link,
            open_to_all=open_to_all,
            created_by=user,
        )
        call.themes.set(themes)
        call.eligible_countries.set(Country.objects.filter(code__in=countries))
        call.eligible_groups.set(CountryGroup.objects.filter(slug__in=groups))
        call.eligible_regions.set(Region.objects.filter(code__in=regions))
        log_event("funding_call.created", call, actor=user, title=title)
    return call


def track_application(
    user: User, organisation: Organisation, call: FundingCall, status: str
) -> FundingApplication:
    if not permissions.can_track_applications(user, organisation):
        raise PermissionDenied(_("Only the organisation's representatives track its applications."))
    if status not in FundingApplication.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    with transaction.atomic():
        application, _created = FundingApplication.objects.update_or_create(
            call=call,
            organisation=organisation,
            defaults={"status": status, "updated_by": user},
        )
        log_event("funding_application.tracked", application, actor=user, status=status)
    return application
