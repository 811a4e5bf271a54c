"""What every results endpoint shares: path ids, exact amounts, and the objects a path names
(404 when the caller may not see them)."""

from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import Field, Path

from concord.accounts.api import current_user
from concord.results import permissions, queries
from concord.results.models import Indicator, Period, Project, Result, Update

Id = Annotated[int, Path(ge=1)]
Amount = Annotated[Decimal, Field(allow_inf_nan=False)]


def plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def project_or_404(request, pk: int) -> Project:
    project = queries.project_for_page(pk)
    if project is None or not permissions.can_view_project(current_user(request), project):
        raise Http404
    return project


def result_or_404(project: Project, result_id: int) -> Result:
    result = project.results.filter(pk=result_id).first()
    if result is None:
        raise Http404
    return result


def indicator_or_404(project: Project, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.filter(pk=indicator_id, result__project=project)
        .select_related("result__project__organisation")
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def period_or_404(project: Project, period_id: int) -> Period:
    period = (
        Period.objects.filter(pk=period_id, indicator__result__project=project)
        .select_related("indicator__result__project__organisation")
        .first()
    )
    if period is None:
        raise Http404
    return period


def update_or_404(request, project: Project, update_id: int) -> Update:
    update = (
        Update.objects.filter(pk=update_id, period__indicator__result__project=project)
        .select_related("period__indicator__result__project__organisation")
        .first()
    )
    if update is None or (
        update.status != Update.Status.APPROVED
        and not permissions.can_see_unapproved(current_user(request), project)
    ):
        raise Http404
    return update
