"""Reporting an update, its page and review, and the CSV import of updates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.imports import ImportRefused
from concord.organisations.models import Organisation
from concord.results import imports, permissions, queries
from concord.results.forms import (
    ImportForm,
    ReturnForm,
    UpdateForm,
)
from concord.results.models import Period, Project, Update
from concord.results.services import updates
from concord.results.views.projects import project_or_404


@login_required
def update_add(request, pk: int):
    period = get_object_or_404(Period.objects.select_related("indicator__result"), pk=pk)
    project = project_or_404(request, period.indicator.result.project_id)
    if not permissions.can_report(request.user, project):
        raise PermissionDenied
    form = UpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            updates.save_update(request.user, period, form.service_data(), files)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your update has been saved."))
            return redirect("results:project", project.pk)
    return render(
        request,
        "results/update_form.html",
        {"form": form, "project": project, "period": period, "indicator": period.indicator},
    )


@login_required
def update_edit(request, pk: int):
    """Change a draft or returned update (value, narrative, disaggregation, more evidence)."""
    update, project = _update(request, pk)
    if not permissions.can_report(request.user, project):
        raise PermissionDenied
    try:
        updates.check_editable(update)
    except Refused as refusal:
        return _refused(request, update, project, refusal)
    sex = {
        d.category: format(d.value.normalize(), "f")
        for d in update.disaggregations.all()
        if d.dimension == "sex"
    }
    initial = {
        "value": "" if update.value is None else format(update.value.normalize(), "f"),
        "narrative": update.narrative,
        "female": sex.get("female", ""),
        "male": sex.get("male", ""),
        "submit": True,
    }
    form = UpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            updates.save_update(
                request.user, update.period, form.service_data(), files, update=update
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as refusal:
            return _refused(request, update, project, refusal)
        else:
            messages.success(request, _("Your update has been saved."))
            return redirect("results:update", update.pk)
    return render(
        request,
        "results/update_form.html",
        {
            "form": form,
            "project": project,
            "period": update.period,
            "indicator": update.period.indicator,
            "update": update,
        },
    )


def _update(request, pk: int) -> tuple[Update, Project]:
    update = get_object_or_404(
        Update.objects.select_related("period__indicator__result", "author"), pk=pk
    )
    project = project_or_404(request, update.period.indicator.result.project_id)
    if update.status != Update.Status.APPROVED and not permissions.can_see_unapproved(
        request.user, project
    ):
        raise Http404
    return update, project


def _detail(request, update: Update, project: Project, *, status: int = 200):
    return render(
        request,
        "results/update_detail.html",
        {
            "update": update,
            "project": project,
            "can_review": request.user.is_authenticated
            and permissions.can_review(request.user, update)
            and update.awaits_review,
            "can_submit": permissions.can_report(request.user, project) and update.is_editable,
            "return_form": ReturnForm(),
        },
        status=status,
    )


def _refused(request, update: Update, project: Project, refusal: Refused):
    """The update's page, with why the move was refused, answered with the refusal's status
    (409 for a move its state does not allow), as the API answers."""
    messages.error(request, refusal.message)
    update.refresh_from_db()
    return _detail(request, update, project, status=refusal.status)


def update_detail(request, pk: int):
    update, project = _update(request, pk)
    return _detail(request, update, project)


@login_required
@require_POST
def update_action(request, pk: int, action: str):
    update, project = _update(request, pk)
    try:
        if action == "approve":
            updates.approve_update(request.user, update)
            messages.success(request, _("The update is approved; it now counts."))
        elif action == "return":
            form = ReturnForm(request.POST)
            updates.return_update(
                request.user, update, form.data.get("comment", "") if form.is_bound else ""
            )
            messages.success(request, _("The update has been returned with your comment."))
        elif action == "submit":
            updates.submit_update(request.user, update)
            messages.success(request, _("The update has been submitted for approval."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except Refused as refusal:
        return _refused(request, update, project, refusal)
    return redirect("results:update", update.pk)


@login_required
def review(request):
    return render(
        request, "results/review.html", {"updates": queries.updates_to_review(request.user)}
    )


@login_required
def import_updates(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_create_project(request.user, organisation):
        raise PermissionDenied
    if request.GET.get("template"):
        response = HttpResponse(imports.template_csv(organisation), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="updates-template.csv"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result = refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_updates(
                request.user,
                organisation,
                form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportRefused as error:
            refusal = str(error)
    return render(
        request,
        "results/import.html",
        {"form": form, "organisation": organisation, "result": result, "refusal": refusal},
    )
