"""Results API: projects, their results framework, updates and their review, IATI, totals.

Thin: every write calls the same service as the pages, so rules live in the services. Values
and amounts are exact decimals; they are answered as strings ("1250.5") so none is rounded.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from concord.accounts.api import current_user, signed_in
from concord.core.api import Body, CountNextPrevious, QueryParams, errors
from concord.organisations.models import Organisation
from concord.results import iati, permissions, queries
from concord.results.models import Indicator, Period, Project, Result, Update
from concord.results.services import framework, projects, updates

router = Router(tags=["results"])

Id = Annotated[int, Path(ge=1)]
Amount = Annotated[Decimal, Field(allow_inf_nan=False)]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


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
        return _plain(obj.budget)

    @staticmethod
    def resolve_countries(obj: Project) -> list[dict]:
        return [
            {"country": c.country_id, "percentage": _plain(c.percentage)}
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
        return _plain(obj.target)

    @staticmethod
    def resolve_actual(obj: Period) -> str | None:
        return _plain(obj.actual)


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
        return _plain(obj.baseline_value)

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


class DisaggregationOut(Schema):
    dimension: str
    category: str
    value: str

    @staticmethod
    def resolve_value(obj) -> str:
        return _plain(obj.value) or "0"


class UpdateOut(Schema):
    id: int
    period: int = Field(..., alias="period_id")
    value: str | None
    narrative: str
    status: str
    incomplete: bool
    author: int | None = Field(None, alias="author_id")
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str
    disaggregations: list[DisaggregationOut]

    @staticmethod
    def resolve_value(obj: Update) -> str | None:
        return _plain(obj.value)

    @staticmethod
    def resolve_disaggregations(obj: Update) -> list:
        return list(obj.disaggregations.all())


class UpdateIn(Body):
    value: Amount | None = None
    narrative: str = Field("", max_length=5000)
    disaggregations: dict[str, dict[str, Amount]] = Field(
        {}, description='e.g. {"sex": {"female": 60, "male": 40}, "age": {"15-24": 100}}'
    )
    submit: StrictBool = False


class CommentIn(Body):
    comment: str = Field(..., min_length=1, max_length=3000)


def _project(request, pk: int) -> Project:
    project = queries.project_for_page(pk)
    if project is None or not permissions.can_view_project(current_user(request), project):
        raise Http404
    return project


def _result(project: Project, result_id: int) -> Result:
    result = project.results.filter(pk=result_id).first()
    if result is None:
        raise Http404
    return result


def _indicator(project: Project, indicator_id: int) -> Indicator:
    indicator = (
        Indicator.objects.filter(pk=indicator_id, result__project=project)
        .select_related("result__project__organisation")
        .first()
    )
    if indicator is None:
        raise Http404
    return indicator


def _period(project: Project, period_id: int) -> Period:
    period = (
        Period.objects.filter(pk=period_id, indicator__result__project=project)
        .select_related("indicator__result__project__organisation")
        .first()
    )
    if period is None:
        raise Http404
    return period


def _update(request, project: Project, update_id: int) -> Update:
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
    return _project(request, pk)


@router.patch(
    "/projects/{pk}",
    response={200: ProjectOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Edit a project",
)
def edit_project(request, pk: Id, payload: ProjectPatch):
    project = _project(request, pk)
    projects.update_project(request.user, project, _data(payload, partial=True))
    return queries.project_for_page(pk)


@router.get(
    "/projects/{pk}/results",
    response={200: list[ResultOut], **errors(404, 422)},
    summary="The project's results framework",
)
def list_results(request, pk: Id):
    """Results with their indicators and periods; actuals count approved updates only."""
    return queries.framework(_project(request, pk), with_unapproved=False)


@router.post(
    "/projects/{pk}/results",
    response={201: ResultOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add a result",
)
def add_result(request, pk: Id, payload: ResultIn):
    result = framework.add_result(request.user, _project(request, pk), payload.dict())
    return Status(201, result)


@router.post(
    "/projects/{pk}/results/{result_id}/indicators",
    response={201: IndicatorOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add an indicator",
)
def add_indicator(request, pk: Id, result_id: Id, payload: IndicatorIn):
    result = _result(_project(request, pk), result_id)
    return Status(201, framework.add_indicator(request.user, result, payload.dict()))


@router.post(
    "/projects/{pk}/indicators/{indicator_id}/periods",
    response={201: PeriodOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Add a reporting period",
)
def add_period(request, pk: Id, indicator_id: Id, payload: PeriodIn):
    indicator = _indicator(_project(request, pk), indicator_id)
    return Status(201, framework.add_period(request.user, indicator, payload.dict()))


@router.get(
    "/projects/{pk}/periods/{period_id}/updates",
    response={200: list[UpdateOut], **errors(404, 422)},
    summary="A period's updates",
)
def list_updates(request, pk: Id, period_id: Id):
    """Approved updates; the organisation's people and the secretariat see every update."""
    project = _project(request, pk)
    updates = _period(project, period_id).updates.prefetch_related("disaggregations")
    if not permissions.can_see_unapproved(current_user(request), project):
        updates = updates.filter(status=Update.Status.APPROVED)
    return list(updates)


@router.post(
    "/projects/{pk}/periods/{period_id}/updates",
    response={201: UpdateOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Report an update",
)
def add_update(request, pk: Id, period_id: Id, payload: UpdateIn):
    """A draft, or submitted at once with `submit: true`. Disaggregations that do not add
    up to the value are kept, and the update is marked `incomplete`."""
    period = _period(_project(request, pk), period_id)
    data = payload.dict()
    data["disaggregations"] = {k: dict(v) for k, v in data["disaggregations"].items()}
    return Status(201, updates.save_update(request.user, period, data))


class EvidenceOut(Schema):
    name: str
    content_type: str
    size: int


class UpdateWithEvidenceOut(UpdateOut):
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Update) -> list:
        return list(obj.evidence.all())


REVIEW = {200: UpdateOut, **errors(400, 401, 403, 404, 422)}


@router.post(
    "/projects/{pk}/updates/{update_id}/evidence",
    response={200: UpdateWithEvidenceOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Attach evidence to an update",
)
def add_evidence(request, pk: Id, update_id: Id, file: File[UploadedFile]):
    """A PDF or an image (PNG, JPEG, WebP, GIF), checked by its content and size; images are
    stored re-encoded, without metadata. Only while the update is a draft or returned."""
    update = _update(request, _project(request, pk), update_id)
    return updates.add_evidence(request.user, update, [file])


@router.post("/projects/{pk}/updates/{update_id}/submit", response=REVIEW, auth=signed_in)
def submit_update(request, pk: Id, update_id: Id):
    """Send a draft (or returned) update to the organisation's admins; twice is refused."""
    update = _update(request, _project(request, pk), update_id)
    return updates.submit_update(request.user, update)


@router.post("/projects/{pk}/updates/{update_id}/approve", response=REVIEW, auth=signed_in)
def approve_update(request, pk: Id, update_id: Id):
    """An admin of the organisation approves a submitted update (never their own): it counts
    toward the period's actual from now on."""
    update = _update(request, _project(request, pk), update_id)
    return updates.approve_update(request.user, update)


@router.post("/projects/{pk}/updates/{update_id}/return", response=REVIEW, auth=signed_in)
def return_update(request, pk: Id, update_id: Id, payload: CommentIn):
    """An admin sends a submitted update back with a comment."""
    update = _update(request, _project(request, pk), update_id)
    return updates.return_update(request.user, update, payload.comment)


def _xml_answer(description: str) -> dict:
    content = {"application/xml": {"schema": {"type": "string"}}}
    return {"responses": {200: {"description": description, "content": content}}}


@router.get(
    "/projects/{pk}/iati.xml",
    response=errors(404, 409, 422),
    summary="The project as IATI 2.03 XML",
    openapi_extra=_xml_answer("One iati-activity (IATI 2.03)"),
)
def project_iati(request, pk: Id):
    project = _project(request, pk)
    try:
        body = iati.project_xml(project)
    except iati.NotPublishable as refusal:
        return Status(409, {"detail": str(refusal), "code": "not_publishable"})
    return HttpResponse(body, content_type="application/xml")


@router.get(
    "/organisations/{pk}/iati.xml",
    response=errors(404, 409, 422),
    summary="An organisation's projects as IATI 2.03 XML",
    openapi_extra=_xml_answer("iati-activities (IATI 2.03), one activity per project"),
)
def organisation_iati(request, pk: Id):
    """Every project of a member organisation. 409 while it has no IATI organisation
    identifier (set `organisation_iati_ref` on a project) or no project."""
    organisation = Organisation.objects.filter(pk=pk, status=Organisation.Status.MEMBER).first()
    if organisation is None:
        raise Http404
    try:
        body = iati.organisation_xml(organisation)
    except iati.NotPublishable as refusal:
        return Status(409, {"detail": str(refusal), "code": "not_publishable"})
    return HttpResponse(body, content_type="application/xml")


class TotalOut(Schema):
    slug: str
    title: str
    unit: str
    total: str
    projects: int
    organisations: int
    countries: int
    by_country: dict[str, str]
    by_region: dict[str, str]
    by_group: dict[str, str]
    by_sdg: dict[str, str]


class SummaryOut(Schema):
    attribution: str
    indicators: list[TotalOut]


@router.get("/results/summary", response=SummaryOut, summary="Platform totals")
def summary(request):
    """Totals of the shared indicators over every member's approved updates, by country
    (a project's value attributed by its country percentages), region, group and SDG."""
    return queries.summary_as_dict(queries.platform_totals())
