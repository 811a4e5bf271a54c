"""Organisations API: the member directory and membership applications.

Thin: every write calls the same service as the pages, so rules live in services.py.
"""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import AfterValidator, HttpUrl, StrictBool, StrictInt, WithJsonSchema

from concord.accounts.api import current_user, signed_in
from concord.core import files, limits
from concord.core.api import Body, CountNextPrevious, QueryParams, errors
from concord.organisations import permissions, queries, services
from concord.organisations.models import Organisation

router = Router(tags=["organisations"])
applications_router = Router(tags=["membership applications"])

# Inlined in the schema: as components, these would share the names "Status" and "Kind"
# with other apps' choices, and one would silently replace the other.
OrganisationStatus = Annotated[
    Organisation.Status,
    WithJsonSchema(
        {"title": "OrganisationStatus", "type": "string", "enum": Organisation.Status.values}
    ),
]
OrganisationKind = Annotated[
    Organisation.Kind,
    WithJsonSchema(
        {"title": "OrganisationKind", "type": "string", "enum": Organisation.Kind.values}
    ),
]


def _sdg_numbers(numbers: list[int]) -> list[int]:
    if any(not 1 <= number <= 17 for number in numbers):
        raise ValueError("SDGs are numbered 1 to 17.")
    return numbers


# Checked as a list, so a bad number is reported on `sdgs` itself (and never reaches SQL).
Sdgs = Annotated[
    list[Annotated[StrictInt, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 17})]],
    AfterValidator(_sdg_numbers),
]
# An id in a path: anything else answers 422 with a message, like any other bad input.
Id = Annotated[int, Path(ge=1)]


class OrganisationOut(Schema):
    id: int
    name: str
    acronym: str
    country: str = Field(..., alias="country_id")
    city: str
    kind: OrganisationKind
    website: str
    description: str
    themes: list[str]
    sdgs: list[int]
    unfccc_observer: bool
    year_founded: int | None
    logo_url: str | None
    status: OrganisationStatus
    member_since: datetime | None

    @staticmethod
    def resolve_themes(obj: Organisation) -> list[str]:
        return [theme.slug for theme in obj.themes.all()]

    @staticmethod
    def resolve_sdgs(obj: Organisation) -> list[int]:
        return [sdg.number for sdg in obj.sdgs.all()]

    @staticmethod
    def resolve_logo_url(obj: Organisation) -> str | None:
        return files.url_for(obj.logo.name) if obj.logo else None


class ApplicationOut(OrganisationOut):
    applied_at: datetime
    review_note: str


class OrganisationIn(Body):
    name: str = Field(..., min_length=2, max_length=200)
    acronym: str = Field("", max_length=20)
    country: str = Field(
        ..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2", examples=["SN"]
    )
    city: str = Field("", max_length=100)
    kind: OrganisationKind = Organisation.Kind.NGO
    website: HttpUrl | None = None
    description: str = Field("", max_length=3000)
    themes: list[str] = []
    sdgs: Sdgs = []
    unfccc_observer: StrictBool = False
    year_founded: StrictInt | None = Field(None, ge=1800, le=2100)


class OrganisationPatch(Body):
    name: str | None = Field(None, min_length=2, max_length=200)
    acronym: str | None = Field(None, max_length=20)
    country: str | None = Field(None, min_length=2, max_length=2)
    city: str | None = Field(None, max_length=100)
    kind: OrganisationKind | None = None
    website: HttpUrl | None = None
    description: str | None = Field(None, max_length=3000)
    themes: list[str] | None = None
    sdgs: Sdgs | None = None
    unfccc_observer: StrictBool | None = None
    year_founded: StrictInt | None = Field(None, ge=1800, le=2100)


class DirectoryQuery(QueryParams):
    q: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=3)
    group: str = Field("", max_length=40)
    theme: str = Field("", max_length=40)
    sdg: int | None = Field(None, ge=1, le=17)


class ReasonIn(Body):
    reason: str = Field(..., min_length=1, max_length=3000)


class MessageIn(Body):
    message: str = Field(..., min_length=1, max_length=3000)


def _as_data(payload: Schema, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    if "website" in data:
        data["website"] = str(data["website"]) if data["website"] else ""
    if data.get("country"):
        data["country"] = data["country"].upper()
    return data


def _visible(request, pk: int) -> Organisation:
    organisation = queries.organisation_for_page(pk)
    if organisation is None or not permissions.can_view(current_user(request), organisation):
        raise Http404
    return organisation


@router.get(
    "",
    response={200: list[OrganisationOut], **errors(422)},
    summary="List member organisations",
)
@paginate(CountNextPrevious)
def list_members(request, filters: DirectoryQuery = Query(...)):  # noqa: B008
    """The public directory: approved members, filterable by country, M49 region, group
    (e.g. `ldc`), theme and SDG."""
    return queries.members(queries.DirectoryFilters(**filters.dict()))


@router.post(
    "",
    response={201: ApplicationOut, **errors(400, 401, 403, 422, 429)},
    auth=signed_in,
    summary="Apply for membership",
)
def apply(request, payload: OrganisationIn):
    """The organisation applies to join the coalition; the caller becomes its admin."""
    limits.check("apply", request, address=request.user.email)
    organisation = services.apply_for_membership(request.user, _as_data(payload, partial=False))
    return Status(201, queries.organisation_for_page(organisation.pk))


@router.get("/{pk}", response={200: ApplicationOut, **errors(404, 422)}, summary="One organisation")
def get_organisation(request, pk: Id):
    organisation = _visible(request, pk)
    if not (permissions.can_edit(current_user(request), organisation)):
        organisation.review_note = ""
    return organisation


@router.patch(
    "/{pk}",
    response={200: ApplicationOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Edit an organisation",
)
def edit_organisation(request, pk: Id, payload: OrganisationPatch):
    organisation = _visible(request, pk)
    services.update_organisation(request.user, organisation, _as_data(payload, partial=True))
    return queries.organisation_for_page(pk)


@router.post(
    "/{pk}/logo",
    response={200: ApplicationOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Upload a logo",
)
def upload_logo(request, pk: Id, logo: File[UploadedFile]):
    """PNG, JPEG, WebP or GIF up to the size limit; stored re-encoded, without metadata."""
    organisation = _visible(request, pk)
    services.update_organisation(request.user, organisation, {}, logo=logo)
    return queries.organisation_for_page(pk)


REVIEW_RESPONSES = {200: ApplicationOut, **errors(400, 401, 403, 404, 409, 422)}


def _application(request, pk: int) -> Organisation:
    if not permissions.can_review_applications(request.user):
        raise PermissionDenied("Only the secretariat reviews applications.")
    organisation = queries.organisation_for_page(pk)
    if organisation is None:
        raise Http404
    return organisation


@applications_router.get(
    "",
    response={200: list[ApplicationOut], **errors(401, 403, 422)},
    auth=signed_in,
    summary="Applications awaiting review",
)
@paginate(CountNextPrevious)
def list_applications(request):
    if not permissions.can_review_applications(request.user):
        raise PermissionDenied("Only the secretariat reviews applications.")
    return queries.applications_to_review()


@applications_router.post("/{pk}/approve", response=REVIEW_RESPONSES, auth=signed_in)
def approve(request, pk: Id):
    return services.approve_membership(request.user, _application(request, pk))


@applications_router.post("/{pk}/reject", response=REVIEW_RESPONSES, auth=signed_in)
def reject(request, pk: Id, payload: ReasonIn):
    organisation = _application(request, pk)
    return services.review_with_note(
        request.user, organisation, Organisation.Status.REJECTED, payload.reason
    )


@applications_router.post("/{pk}/request-information", response=REVIEW_RESPONSES, auth=signed_in)
def request_information(request, pk: Id, payload: MessageIn):
    organisation = _application(request, pk)
    return services.review_with_note(
        request.user, organisation, Organisation.Status.MORE_INFO, payload.message
    )


@applications_router.post("/{pk}/resubmit", response=REVIEW_RESPONSES, auth=signed_in)
def resubmit(request, pk: Id):
    """The applicant sends the application back after answering the secretariat."""
    return services.resubmit_application(request.user, _visible(request, pk))
