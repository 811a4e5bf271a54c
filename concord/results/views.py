"""Pages for projects and results: thin views that parse input, call a service or query,
render. Every form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.csv import decode
from concord.core.forms import add_service_errors
from concord.core.imports import ImportRefused
from concord.countries.names import localised_name
from concord.countries.queries import reference
from concord.organisations.models import Organisation
from concord.results import charts, exports, iati, imports, pdf, permissions, queries
from concord.results.forms import (
    ImportForm,
    IndicatorForm,
    PeriodForm,
    ProjectForm,
    ResultForm,
    ReturnForm,
    UpdateForm,
)
from concord.results.models import Indicator, Period, Project, Result, Update
from concord.results.services import framework, projects, updates


def _total_charts(totals: list[queries.SharedTotal]) -> list[dict]:
    ref = reference()
    shown = []
    for total in totals:
        unit = _(total.indicator.unit)
        countries = [
            (localised_name(code) if code else _("No country given"), value)
            for code, value in total.rows(total.by_country)
        ]
        regions = [
            (localised_name(code, ref.regions.get(code, code)), value)
            for code, value in total.rows(total.by_region)
        ]
        names = {g.slug: g.short_name for g in ref.groups}
        groups = [(names.get(slug, slug), value) for slug, value in total.rows(total.by_group)]
        sdgs = [(_("SDG %(number)s") % {"number": n}, v) for n, v in total.rows(total.by_sdg)]
        title = str(total.indicator)
        shown.append(
            {
                "total": total,
                "unit": unit,
                "tables": [
                    (_("By country"), countries),
                    (_("By region"), regions),
                    (_("By country group"), groups),
                    (_("By SDG"), sdgs),
                ],
                "chart": charts.bar_chart(
                    _("%(indicator)s by country") % {"indicator": title},
                    _(
                        "Bar chart of %(indicator)s (%(unit)s) by country; the same figures are in the table beside it."
                    )
                    % {"indicator": title, "unit": unit},
                    countries[:12],
                ),
            }
        )
    return shown


def dashboard(request):
    totals = queries.platform_totals()
    return render(
        request,
        "results/dashboard.html",
        {
            "totals": _total_charts(totals),
            "recent": queries.projects()[:10],
            "can_add": bool(queries.organisations_with_projects(request.user)),
        },
    )


def project_list(request):
    q = request.GET.get("q", "")[:200]
    page = Paginator(queries.projects(q=q), 20).get_page(request.GET.get("page"))
    return render(request, "results/project_list.html", {"page": page, "q": q})


def organisation_dashboard(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk, status=Organisation.Status.MEMBER)
    totals = [t for t in queries.platform_totals(organisation) if t.projects]
    return render(
        request,
        "results/organisation.html",
        {
            "organisation": organisation,
            "projects": queries.projects(organisation),
            "totals": _total_charts(totals),
            "can_report": permissions.can_create_project(request.user, organisation),
            "to_review": queries.updates_to_review(request.user).filter(
                period__indicator__result__project__organisation=organisation
            )
            if request.user.is_authenticated
            else [],
        },
    )


def _project(request, pk: int) -> Project:
    project = queries.project_for_page(pk)
    if project is None or not permissions.can_view_project(request.user, project):
        raise Http404
    return project


def _indicator_charts(results: list[Result]) -> None:
    """Attach a target-versus-actual chart to every quantitative indicator."""
    for result in results:
        for indicator in result.indicators.all():
            if not indicator.quantitative:
                indicator.chart = None
                continue
            periods = [
                (f"{p.start:%Y-%m} – {p.end:%Y-%m}", p.target, p.actual)  # noqa: RUF001
                for p in indicator.periods.all()
            ]
            indicator.chart = charts.target_vs_actual(
                _("%(indicator)s: target and actual by period") % {"indicator": indicator.title},
                _(
                    "Bars per reporting period: the light bar is the target, the dark bar the actual from approved updates; the table beside it gives the figures."
                ),
                periods,
                legend=(_("Target"), _("Actual")),
            )


def project_detail(request, pk: int):
    project = _project(request, pk)
    insider = permissions.can_see_unapproved(request.user, project)
    results = queries.framework(project, with_unapproved=insider)
    _indicator_charts(results)
    return render(
        request,
        "results/project_detail.html",
        {
            "project": project,
            "results": results,
            "can_edit": permissions.can_edit_project(request.user, project),
            "is_reviewer": permissions.is_reviewer(request.user, project),
            "insider": insider,
        },
    )


@login_required
def project_create(request):
    organisations = queries.organisations_with_projects(request.user)
    if not organisations:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(
            o for o in organisations if str(o.pk) == form.cleaned_data["organisation"]
        )
        try:
            project = projects.create_project(request.user, organisation, form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been created. Now add its results."))
            return redirect("results:project", project.pk)
    return render(request, "results/project_form.html", {"form": form})


@login_required
def project_edit(request, pk: int):
    project = _project(request, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            projects.update_project(request.user, project, form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("results:project", project.pk)
    return render(request, "results/project_form.html", {"form": form, "project": project})


def _simple_form(request, form, save, project: Project, heading: str):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("results:project", project.pk)
    return render(
        request, "results/simple_form.html", {"form": form, "project": project, "heading": heading}
    )


@login_required
def result_add(request, pk: int):
    project = _project(request, pk)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _simple_form(
        request,
        ResultForm(request.POST or None),
        lambda data: framework.add_result(request.user, project, data),
        project,
        _("Add a result"),
    )


@login_required
def indicator_add(request, pk: int):
    result = get_object_or_404(Result.objects.select_related("project__organisation"), pk=pk)
    project = _project(request, result.project_id)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _simple_form(
        request,
        IndicatorForm(request.POST or None),
        lambda data: framework.add_indicator(request.user, result, data),
        project,
        _("Add an indicator to “%(result)s”") % {"result": result.title},
    )


@login_required
def period_add(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("result"), pk=pk)
    project = _project(request, indicator.result.project_id)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _simple_form(
        request,
        PeriodForm(request.POST or None),
        lambda data: framework.add_period(request.user, indicator, data),
        project,
        _("Add a reporting period to “%(indicator)s”") % {"indicator": indicator.title},
    )


@login_required
def update_add(request, pk: int):
    period = get_object_or_404(Period.objects.select_related("indicator__result"), pk=pk)
    project = _project(request, period.indicator.result.project_id)
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
    if not permissions.can_report(request.user, project) or update.status not in (
        Update.Status.DRAFT,
        Update.Status.RETURNED,
    ):
        raise PermissionDenied
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
    project = _project(request, update.period.indicator.result.project_id)
    if update.status != Update.Status.APPROVED and not permissions.can_see_unapproved(
        request.user, project
    ):
        raise Http404
    return update, project


def update_detail(request, pk: int):
    update, project = _update(request, pk)
    return render(
        request,
        "results/update_detail.html",
        {
            "update": update,
            "project": project,
            "can_review": request.user.is_authenticated
            and permissions.can_review(request.user, update)
            and update.status == Update.Status.SUBMITTED,
            "can_submit": permissions.can_report(request.user, project)
            and update.status in (Update.Status.DRAFT, Update.Status.RETURNED),
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def update_action(request, pk: int, action: str):
    update = _update(request, pk)[0]
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
    return redirect("results:update", update.pk)


@login_required
def review(request):
    return render(
        request, "results/review.html", {"updates": queries.updates_to_review(request.user)}
    )


def project_csv(request, pk: int):
    project = _project(request, pk)
    response = HttpResponse(exports.results_csv([project]), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-results.csv"'
    return response


def project_pdf(request, pk: int):
    project = _project(request, pk)
    response = HttpResponse(
        pdf.project_report(project, get_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="project-{project.pk}.pdf"'
    return response


def project_xml(request, pk: int):
    project = _project(request, pk)
    try:
        body = iati.project_xml(project)
    except iati.NotPublishable as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain")
    return HttpResponse(body, content_type="application/xml")


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
            text = decode(form.cleaned_data["file"].read())
            result = imports.import_updates(
                request.user, organisation, text, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportRefused as error:
            refusal = str(error)
    return render(
        request,
        "results/import.html",
        {"form": form, "organisation": organisation, "result": result, "refusal": refusal},
    )
