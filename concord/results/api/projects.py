"""Projects and their results framework: results, indicators, reporting periods."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from concord.accounts.api import signed_in
from concord.core.api import Body, CountNextPrevious, QueryParams, errors
from concord.organisations.models import Organisation
from concord.results import queries
from concord.results.api.lookups import (
    Amount,
    Id,
    indicator_or_404,
    plain,
    project_or_404,
    result_or_404,
)
from concord.results.models import Indicator, Period, Project, Result
from concord.results.services import framework, projects

router = Router()


class CountryShare(Schema):
    country: str = Field(..., min_length=2, max_length=2, examples=["SN"])
    percentage: Amount


class PartnerSchema(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field(
        ...,
        description="IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing",
    )
    iati_ref: str = Field("", max_length=100)


class ProjectOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    title: str
    summary: str
    status: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    themes: list[str]
    sdgs: list[int]
    sdg_targets: list[str]
    adaptation: str
    mitigation: str
    budget: str | None
    currency: str
    iati_identifier: str
    countries: list[CountryShare]
    partners: list[PartnerSchema]
    updated_at: datetime

    @staticmethod
    def resolve_themes(obj: Project) -> list[str]:
        return [theme.slug for theme in obj.themes.all()]

    @staticmethod
    def resolve_sdgs(obj: Project) -> list[int]:
        return [sdg.number for sdg in obj.sdgs.all()]

    @staticmethod
    def resolve_budget(obj: Project) -> str | None:
        return plain(obj.budget)

    @staticmethod
    def resolve_countries(obj: Project) -> list[dict]:
        return [
            {"country": c.country_id, "percentage": plain(c.percentage)}
            for c in obj.countries.all()
        ]

    @staticmethod
    def resolve_partners(obj: Project) -> list[dict]:
        return [
            {"name": p.name, "role": p.role, "iati_ref": p.iati_ref} for p in obj.partners.all()
        ]


class ProjectIn(Body):
    organisation: StrictInt = Field(..., ge=1, description="The owner: a member organisation")
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=5000)
    status: str = Field("2", description="IATI ActivityStatus code (1–6)")  # noqa: RUF001
    planned_start: date
    planned_end: date
    actual_start: date | None = None
    actual_end: date | None = None
    themes: list[str] = []
    sdgs: list[StrictInt] = []
    sdg_targets: list[str] = []
    adaptation: str = Field("0", description="Rio marker: 0 none, 1 significant, 2 principal")
    mitigation: str = Field("0", description="Rio marker: 0 none, 1 significant, 2 principal")
    budget: Amount | None = None
    currency: str = Field("", max_length=3, description="ISO 4217, required with a budget")
    iati_identifier: str = Field("", max_length=150)
    organisation_iati_ref: str = Field("", max_length=100)
    countries: list[CountryShare] = []
    partners: list[PartnerSchema] = []


class ProjectPatch(Body):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=5000)
    status: str | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    themes: list[str] | None = None
    sdgs: list[StrictInt] | None = None
    sdg_targets: list[str] | None = None
    adaptation: str | None = None
    mitigation: str | None = None
    budget: Amount | None = None
    currency: str | None = Field(None, max_length=3)
    iati_identifier: str | None = Field(None, max_length=150)
    organisation_iati_ref: str | None = Field(None, max_length=100)
    countries: list[CountryShare] | None = None
    partners: list[PartnerSchema] | None = None


class ProjectQuery(QueryParams):
    organisation: int | None = Field(None, ge=1)
    q: str = Field("", max_length=200)


class PeriodOut(Schema):
    id: int
    start: date
    end: date
    target: str | None
    actual: str | None

    @staticmethod
    def resolve_target(obj: Period) -> str | None:
        return plain(obj.target)

    @staticmethod
    def resolve_actual(obj: Period) -> str | None:
        return plain(obj.actual)


class IndicatorOut(Schema):
    id: int
    title: str
    shared: str | None = Field(None, alias="shared_id")
    measure: str
    unit: str
    ascending: bool
    cumulative: bool
    baseline_year: int | None
    baseline_value: str | None
    periods: list[PeriodOut]

    @staticmethod
    def resolve_baseline_value(obj: Indicator) -> str | None:
        return plain(obj.baseline_value)

    @staticmethod
    def resolve_periods(obj: Indicator) -> list[Period]:
        return list(obj.periods.all())


class ResultOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj: Result) -> list[Indicator]:
        return list(obj.indicators.all())


class ResultIn(Body):
    kind: str = Field(..., description="IATI ResultType: 1 output, 2 outcome, 3 impact")
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=3000)


class IndicatorIn(Body):
    title: str = Field("", max_length=300)
    shared: str = Field("", max_length=60, description="Slug of a shared indicator to adopt")
    measure: str = Field(
        "1", description="IATI IndicatorMeasure: 1 unit, 2 percentage, 5 qualitative"
    )
    unit: str = Field("", max_length=60)
    ascending: StrictBool = True
    cumulative: StrictBool = False
    baseline_year: StrictInt | None = Field(None, ge=1900, le=2100)
    baseline_value: Amount | None = None


class PeriodIn(Body):
    start: date
    end: date
    target: Amount | None = None


def _data(payload: Schema, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    for key in ("countries", "partners"):
        if data.get(key) is not None:
            data[key] = [dict(row) for row in data[key]]
    return data


@router.get("/projects", response={200: list[ProjectOut], **errors(422)}, summary="List projects")
@paginate(CountNextPrevious)
def list_projects(request, filters: ProjectQuery = Query(...)):  # noqa: B008
    """Projects of member organisations, newest first; filter by organisation or text."""
    organisation = None
    if filters.organisation:
        organisation = Organisation.objects.filter(pk=filters.organisation).first()
        if organisation is None:
            return Project.objects.none()
    return queries.projects(organisation, q=filters.q)


@router.post(
    "/projects",
    response={201: ProjectOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Create a project",
)
def create_project(request, payload: ProjectIn):
    """An admin or representative of a member organisation adds one of its projects."""
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise Http404
    data = _data(payload, partial=False)
    data.pop("organisation")
    project = projects.create_project(request.user, organisation, data)
    return Status(201, queries.project_for_page(project.pk))


@router.get("/projects/{pk}", response={200: ProjectOut, **errors(404, 422)}, summary="A project")
def get_project(request, pk: Id):
    return project_or_404(request, pk)


@router.patch(
    "/projects/{pk}",
    response={200: ProjectOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Edit a project",
)
def edit_project(request, pk: Id, payload: ProjectPatch):
    project = project_or_404(request, pk)
    projects.update_project(request.user, project, _data(payload, partial=True))
    return queries.project_for_page(pk)


@router.get(
    "/projects/{pk}/results",
    response={200: list[ResultOut], **errors(404, 422)},
    summary="The project's results framework",
)
def list_results(request, pk: Id):
    """Results with their indicators and periods; actuals count approved updates only."""
    return queries.framework(project_or_404(request, pk), with_unapproved=False)


@router.post(
    "/projects/{pk}/results",
    response={201: ResultOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add a result",
)
def add_result(request, pk: Id, payload: ResultIn):
    result = framework.add_result(request.user, project_or_404(request, pk), payload.dict())
    return Status(201, result)


@router.post(
    "/projects/{pk}/results/{result_id}/indicators",
    response={201: IndicatorOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add an indicator",
)
def add_indicator(request, pk: Id, result_id: Id, payload: IndicatorIn):
    result = result_or_404(project_or_404(request, pk), result_id)
    return Status(201, framework.add_indicator(request.user, result, payload.dict()))


@router.post(
    "/projects/{pk}/indicators/{indicator_id}/periods",
    response={201: PeriodOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add a reporting period",
)
def add_period(request, pk: Id, indicator_id: Id, payload: PeriodIn):
    indicator = indicator_or_404(project_or_404(request, pk), indicator_id)
    return Status(201, framework.add_period(request.user, indicator, payload.dict()))
