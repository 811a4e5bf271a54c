"""Dashboards, project pages and forms, the results framework and the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concord.core import dates, files
from concord.core.forms import add_service_errors
from concord.core.numbers import figure
from concord.countries.names import group_short_name, localised_name
from concord.countries.queries import reference
from concord.organisations.models import Organisation
from concord.results import charts, exports, iati, permissions, queries
from concord.results.forms import (
    IndicatorForm,
    PeriodForm,
    ProjectForm,
    ResultForm,
)
from concord.results.models import Indicator, Project, Report, Result
from concord.results.services import framework, projects, reports


def _total_charts(totals: list[queries.SharedTotal]) -> list[dict]:
    ref = reference()
    shown = []
    for total in totals:
        unit = _(total.indicator.unit)
        whole = total.indicator.counts_people
        shown_total = figure(total.total, whole=whole)
        # The unit beside the total agrees with it ("1 person"); a unit typed by the
        # secretariat has no plural forms, so it stays as written.
        total_unit = ngettext("person", "people", round(total.total)) if whole else unit
        countries = [
            (localised_name(code) if code else _("No country given"), value)
            for code, value in total.rows(total.by_country)
        ]
        regions = [
            (localised_name(code, ref.regions.get(code, code)), value)
            for code, value in total.rows(total.by_region)
        ]
        names = {g.slug: group_short_name(g.slug, g.short_name) for g in ref.groups}
        groups = [(names.get(slug, slug), value) for slug, value in total.rows(total.by_group)]
        sdgs = [(_("SDG %(number)s") % {"number": n}, v) for n, v in total.rows(total.by_sdg)]
        title = str(total.indicator)
        shown.append(
            {
                "total": total,
                "unit": unit,
                "whole": whole,
                "shown_total": shown_total,
                "total_unit": total_unit,
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
                    whole=whole,
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


def project_or_404(request, pk: int) -> Project:
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
            # Months in the page's language (French "janv." to "juin 2025"); the table gives days.
            periods = [
                (dates.span(p.start, p.end, "month"), p.target, p.actual)
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
    project = project_or_404(request, pk)
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
    project = project_or_404(request, pk)
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
    project = project_or_404(request, pk)
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
    project = project_or_404(request, result.project_id)
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
    project = project_or_404(request, indicator.result.project_id)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _simple_form(
        request,
        PeriodForm(request.POST or None),
        lambda data: framework.add_period(request.user, indicator, data),
        project,
        _("Add a reporting period to “%(indicator)s”") % {"indicator": indicator.title},
    )


def project_csv(request, pk: int):
    project = project_or_404(request, pk)
    response = HttpResponse(exports.results_csv([project]), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-results.csv"'
    return response


def project_pdf(request, pk: int):
    """The latest built report in the page's language, else the page that prepares one."""
    project = project_or_404(request, pk)
    built = queries.latest_report(project, get_language())
    if built is None:
        return redirect("results:project_report", project.pk)
    return redirect(files.url_for(built.file.name))


@require_http_methods(["GET", "HEAD", "POST"])
def project_report(request, pk: int):
    """The report as a PDF: managers ask for it, it is built in the background, and this page
    shows "being prepared" (refreshing itself, no script needed) until it can be downloaded."""
    project = project_or_404(request, pk)
    language = get_language()
    if request.method == "POST":
        reports.request_report(request.user, project, language)
        return redirect("results:project_report", project.pk)
    latest = Report.objects.filter(project=project, language=language).first()
    return render(
        request,
        "results/report.html",
        {
            "project": project,
            "built": queries.latest_report(project, language),
            "working": latest is not None and latest.is_busy,
            "failed": latest is not None and latest.status == Report.Status.FAILED,
            "can_request": permissions.can_request_report(request.user, project),
        },
    )


def project_xml(request, pk: int):
    project = project_or_404(request, pk)
    try:
        body = iati.project_xml(project)
    except iati.NotPublishable as refusal:
        return HttpResponse(str(refusal), status=409, content_type="text/plain")
    return HttpResponse(body, content_type="application/xml")
