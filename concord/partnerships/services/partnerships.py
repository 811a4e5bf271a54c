"""Partnerships with deliverables that are specific, measurable and dated, and their yearly
progress reports.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.core import checks
from concord.core.audit import log_event
from concord.core.checks import Errors
from concord.organisations.models import Organisation
from concord.partnerships import permissions
from concord.partnerships.models import (
    Deliverable,
    Partner,
    Partnership,
    ProgressReport,
)
from concord.partnerships.services import consent


def _deliverable(data: dict) -> tuple[Deliverable | None, Errors]:
    """A deliverable is specific (a title), measurable (a target and its unit) and dated."""
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    unit = checks.text(errors, "unit", data.get("unit"), limit=60, required=True)
    target = Decimal(0)
    try:
        target = Decimal(str(data.get("target")))
        if not target.is_finite() or target <= 0 or target >= Decimal("1e10"):
            raise InvalidOperation
        target = target.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors.add("target", _("Give a positive number to reach, e.g. 12."))
    due_on = data.get("due_on")
    if isinstance(due_on, str):
        try:
            due_on = date.fromisoformat(due_on)
        except ValueError:
            due_on = None
    if not isinstance(due_on, date):
        errors.add("due_on", _("Give the date it is due, as YYYY-MM-DD."))
        return None, errors
    if errors:
        return None, errors
    return Deliverable(title=title, unit=unit, target=target, due_on=due_on), Errors()


def record_partnership(user: User, data: dict[str, Any]) -> Partnership:
    """Record a partnership directly: partners (organisation ids, the first leads), goals and
    deliverables that are specific, measurable and dated. It stays private to the people
    involved until each named organisation accepts or declines (`services/consent.py`)."""
    errors = Errors()
    title = checks.text(errors, "title", data.get("title"), limit=200, required=True)
    goals = checks.text(errors, "goals", data.get("goals"), limit=5000, required=True)
    started_on = checks.iso_date(errors, "started_on", data.get("started_on")) or (
        timezone.localdate()
    )
    ids = list(dict.fromkeys(int(pk) for pk in data.get("partners") or []))
    partners = {org.pk: org for org in Organisation.objects.filter(pk__in=ids, status="member")}
    if len(ids) < 2:
        errors.add("partners", _("A partnership needs at least two member organisations."))
    elif len(partners) != len(ids):
        errors.add("partners", _("Every partner must be a member organisation."))
    deliverables = []
    for index, item in enumerate(data.get("deliverables") or []):
        deliverable, problems = _deliverable(item if isinstance(item, dict) else {})
        deliverables.append(deliverable)
        for key, messages in problems.items():
            errors.extend(f"deliverables.{index}.{key}", messages)
    if not deliverables:
        errors.add("deliverables", _("List at least one deliverable."))
    errors.raise_if_any()
    ordered = [partners[pk] for pk in ids]
    if not permissions.can_record_partnership(user, ordered):
        raise PermissionDenied(_("Only a partner's representatives may record a partnership."))
    with transaction.atomic():
        partnership = Partnership.objects.create(
            title=title, goals=goals, started_on=started_on, created_by=user
        )
        for index, organisation in enumerate(ordered):
            Partner.objects.create(
                partnership=partnership,
                organisation=organisation,
                role=Partner.Role.LEAD if index == 0 else Partner.Role.PARTNER,
            )
        for deliverable in deliverables:
            assert deliverable is not None
            deliverable.partnership = partnership
            deliverable.save()
        log_event("partnership.recorded", partnership, actor=user)
        # Listed only once every named organisation's admins have answered.
        consent.ask_partners(user, partnership)
    return partnership


def add_deliverable(user: User, partnership: Partnership, data: dict[str, Any]) -> Deliverable:
    if not permissions.can_work_on(user, partnership):
        raise PermissionDenied(_("Only the partners' representatives may do this."))
    deliverable, errors = _deliverable(data)
    errors.raise_if_any()
    assert deliverable is not None
    with transaction.atomic():
        deliverable.partnership = partnership
        deliverable.save()
        log_event("partnership.deliverable_added", partnership, actor=user, title=deliverable.title)
    return deliverable


def file_progress_report(
    user: User,
    partnership: Partnership,
    *,
    year: int,
    summary: str,
    achieved: dict[int, Any] | None = None,
) -> ProgressReport:
    """The yearly report: what was done, and how far each deliverable has come."""
    if not permissions.can_work_on(user, partnership):
        raise PermissionDenied(_("Only the partners' representatives may report."))
    errors = Errors()
    summary = checks.text(errors, "summary", summary, limit=5000, required=True)
    today = timezone.localdate()
    if not isinstance(year, int) or not partnership.started_on.year <= year <= today.year:
        errors.add(
            "year",
            _("Report on a year between %(start)d and %(end)d.")
            % {"start": partnership.started_on.year, "end": today.year},
        )
    elif ProgressReport.objects.filter(partnership=partnership, year=year).exists():
        errors.add("year", _("A report for this year has already been filed."))
    values: dict[int, Decimal] = {}
    own = {d.pk for d in partnership.deliverables.all()}
    for pk, value in (achieved or {}).items():
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
            if int(pk) not in own or not number.is_finite() or number < 0 or number >= 10**10:
                raise InvalidOperation
        except (InvalidOperation, ValueError, TypeError):
            errors.add("achieved", _("Give how much of each deliverable is done, as a number."))
            break
        values[int(pk)] = number.quantize(Decimal("0.01"))
    errors.raise_if_any()
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                partnership=partnership,
                year=year,
                summary=summary,
                submitted_by=user,
                submitted_on=today,
            )
            for pk, number in values.items():
                Deliverable.objects.filter(pk=pk, partnership=partnership).update(achieved=number)
            log_event("partnership.report_filed", partnership, actor=user, year=year)
    except IntegrityError:
        raise ValidationError(
            {"year": [_("A report for this year has already been filed.")]}
        ) from None
    return report
