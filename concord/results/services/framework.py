"""A project's results framework: results, their indicators and reporting periods."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from concord.core import dates
from concord.core.audit import log_event
from concord.core.checks import Errors, choice, decimal, iso_date, text
from concord.results import permissions
from concord.results.models import (
    HUNDRED,
    MAX_VALUE,
    Indicator,
    Period,
    Project,
    Result,
    SharedIndicator,
)


def add_result(user, project: Project, data: dict[str, Any]) -> Result:
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    kind = choice(errors, "kind", data.get("kind"), Result.Kind)
    title = text(errors, "title", data.get("title"), required=True, limit=300)
    description = text(errors, "description", data.get("description"), limit=3000)
    errors.raise_if_any()
    with transaction.atomic():
        result = Result.objects.create(
            project=project, kind=kind, title=title, description=description
        )
        log_event("result.added", project, actor=user, result=result.pk)
    return result


def add_indicator(user, result: Result, data: dict[str, Any]) -> Indicator:
    if not permissions.can_edit_project(user, result.project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    shared = None
    if data.get("shared"):
        shared = SharedIndicator.objects.filter(slug=str(data["shared"])).first()
        if shared is None:
            errors.add("shared", _("Unknown shared indicator."))
    title = text(errors, "title", data.get("title"), required=shared is None, limit=300)
    measure = choice(errors, "measure", data.get("measure"), Indicator.Measure, default="1")
    if shared is not None:
        title = title or shared.title
        if measure == Indicator.Measure.QUALITATIVE:
            errors.add("measure", _("A shared indicator is counted: it cannot be qualitative."))
    unit = text(errors, "unit", data.get("unit"), limit=60) or (shared.unit if shared else "")
    baseline_year = data.get("baseline_year")
    if baseline_year not in (None, ""):
        try:
            baseline_year = int(baseline_year)
            if not 1900 <= baseline_year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("baseline_year", _("Enter a year between 1900 and 2100."))
    else:
        baseline_year = None
    baseline_value = decimal(
        errors, "baseline_value", data.get("baseline_value"), negative=True, maximum=MAX_VALUE
    )
    if (
        measure == Indicator.Measure.PERCENTAGE
        and baseline_value is not None
        and not (0 <= baseline_value <= HUNDRED)
    ):
        errors.add("baseline_value", _("A percentage is between 0 and 100."))
    errors.raise_if_any()
    with transaction.atomic():
        indicator = Indicator.objects.create(
            result=result,
            shared=shared,
            title=title,
            measure=measure,
            unit=unit,
            ascending=bool(data.get("ascending", True)),
            cumulative=bool(data.get("cumulative", False)),
            baseline_year=baseline_year,
            baseline_value=baseline_value,
        )
        log_event(
            "indicator.added",
            result.project,
            actor=user,
            indicator=indicator.pk,
            shared=shared.slug if shared else None,
        )
    return indicator


def add_period(user, indicator: Indicator, data: dict[str, Any]) -> Period:
    project = indicator.result.project
    if not permissions.can_edit_project(user, project):
        raise PermissionDenied(_("Only the organisation's people edit its projects."))
    errors = Errors()
    start = iso_date(errors, "start", data.get("start"), required=True)
    end = iso_date(errors, "end", data.get("end"), required=True)
    target = decimal(errors, "target", data.get("target"), maximum=MAX_VALUE)
    if target is not None and indicator.measure == Indicator.Measure.PERCENTAGE and target > 100:
        errors.add("target", _("A percentage is between 0 and 100."))
    if target is not None and not indicator.quantitative:
        errors.add("target", _("A qualitative indicator has no numeric target."))
    if start and end and end < start:
        errors.add("end", _("The end date is before the start date."))
    with transaction.atomic():
        # Lock the indicator so two periods added at once cannot both pass the overlap check.
        Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
        if start and end and end >= start:
            clash = indicator.periods.filter(start__lte=end, end__gte=start).first()
            if clash is not None:
                errors.add(
                    "start",
                    _("This period overlaps the period %(start)s – %(end)s.")  # noqa: RUF001
                    % {"start": dates.when(clash.start), "end": dates.when(clash.end)},
                )
        errors.raise_if_any()
        assert start is not None and end is not None  # checked above
        period = Period.objects.create(indicator=indicator, start=start, end=end, target=target)
        log_event("period.added", project, actor=user, period=period.pk)
    return period
