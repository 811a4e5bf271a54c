"""Published results: IATI 2.03 XML of a project or an organisation, and the platform totals."""

from django.http import Http404, HttpResponse
from ninja import Router, Schema, Status

from concord.core.api import errors
from concord.organisations.models import Organisation
from concord.results import iati, queries
from concord.results.api.lookups import Id, project_or_404

router = Router()


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
    project = project_or_404(request, pk)
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
