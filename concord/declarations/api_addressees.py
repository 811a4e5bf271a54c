"""The addressees API: `/api/v1/declarations/{slug}/addressees` (with contacts: those who
manage the declaration only), deliveries, responses and pledges, and the public `responses`
with their coverage, computed by the one coverage function. Thin over
services/addressees.py and addressees/queries.py. A response's document is uploaded on its
page; here a response carries text."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from concord.accounts.api import signed_in
from concord.core import limits
from concord.core.api import Body, errors
from concord.declarations import permissions
from concord.declarations.addressees import queries
from concord.declarations.addressees.models import Addressee, Delivery, Pledge, Response
from concord.declarations.api import visible_declaration
from concord.declarations.services import addressees as services

router = Router(tags=["declarations"])


class AddresseeIn(Body):
    kind: Addressee.Kind
    country: str = Field("", max_length=10, description="ISO 3166-1 alpha-2, for a government")
    name: str = Field("", max_length=200)
    contact: str = Field("", max_length=500)
    language: str = Field("en", max_length=10)


class AddresseeOut(Schema):
    id: int
    kind: str
    country: str | None = Field(None, alias="country_id")
    name: str
    contact: str
    language: str


class DeliveryIn(Body):
    delivered_on: date
    channel: Delivery.Channel
    letter: str = ""


class DeliveryOut(Schema):
    id: int
    delivered_on: date
    channel: str
    letter: str


class PledgeIn(Body):
    text: str
    deadline: date | None = None


class PledgeOut(Schema):
    id: int
    text: str
    deadline: date
    met_on: date | None
    status: str


class ResponseIn(Body):
    received_on: date | None = None
    source: str = Field("", max_length=200)
    text: str = ""
    language: str = Field("en", max_length=10)
    summary: str = ""
    pledges: list[PledgeIn] = Field(default_factory=list)


class ResponseOut(Schema):
    id: int
    addressee: int = Field(..., alias="addressee_id")
    received_on: date
    source: str
    text: str
    language: str
    summary: str
    published_at: datetime | None
    pledges: list[PledgeOut]

    @staticmethod
    def resolve_pledges(obj: Response) -> list:
        return list(obj.pledges.all())


class MetIn(Body):
    met_on: date


class ResponseCoverageOut(Schema):
    countries: int
    un_member_states: int
    population_share: float
    population_year: int | None
    groups: dict[str, int]
    regions: dict[str, int]


class ResponsesOut(Schema):
    addressed: ResponseCoverageOut
    responded: ResponseCoverageOut
    institutions: int
    responses: list[ResponseOut]


def _cover(cover) -> dict:
    return {
        "countries": cover.countries,
        "un_member_states": cover.un_member_states,
        "population_share": cover.population_share,
        "population_year": cover.population_year,
        "groups": {group.slug: group.count for group in cover.groups},
        "regions": {region.code: region.count for region in cover.regions},
    }


def _managed(request, slug: str):
    declaration = visible_declaration(request, slug)
    if not permissions.can_manage_addressees(request.user, declaration):
        raise PermissionDenied("Only the secretariat or the drafting committee may do this.")
    return declaration


@router.get(
    "/{slug}/addressees",
    response={200: list[AddresseeOut], **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Addressees, with their contacts",
)
def list_addressees(request, slug: str):
    return list(queries.addressees(_managed(request, slug)))


@router.post(
    "/{slug}/addressees",
    response={201: AddresseeOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Add an addressee",
)
def add_addressee(request, slug: str, payload: AddresseeIn):
    """A government by `country` (an ISO code, else 422), or an institution by `name`."""
    addressee = services.add_addressee(
        request.user, visible_declaration(request, slug), **payload.dict()
    )
    return Status(201, addressee)


def _addressee(request, slug: str, pk: int) -> Addressee:
    return get_object_or_404(
        Addressee.objects.select_related("declaration"),
        pk=pk,
        declaration=visible_declaration(request, slug),
    )


@router.post(
    "/{slug}/addressees/{pk}/deliveries",
    response={201: DeliveryOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Record a delivery",
)
def record_delivery(request, slug: str, pk: int, payload: DeliveryIn):
    delivery = services.record_delivery(
        request.user, _addressee(request, slug, pk), **payload.dict()
    )
    return Status(201, delivery)


@router.post(
    "/{slug}/addressees/{pk}/responses",
    response={201: ResponseOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Record a response",
)
def record_response(request, slug: str, pk: int, payload: ResponseIn):
    """A date and a source are required, and each pledge its deadline (else 422)."""
    data = payload.dict()
    response = services.record_response(
        request.user, _addressee(request, slug, pk), **{**data, "pledges": data["pledges"]}
    )
    return Status(201, response)


def _response(request, slug: str, pk: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related("addressee__declaration"),
        pk=pk,
        addressee__declaration=visible_declaration(request, slug),
    )


@router.post(
    "/{slug}/responses/{pk}/publish",
    response={200: ResponseOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Publish a response",
)
def publish_response(request, slug: str, pk: int):
    """Shown on the declaration's page; the signers who asked to be kept informed are
    emailed once."""
    response = _response(request, slug, pk)
    limits.check("publish-response", request)
    return services.publish_response(request.user, response)


@router.post(
    "/{slug}/pledges/{pk}/met",
    response={200: PledgeOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Mark a pledge as met",
)
def mark_pledge_met(request, slug: str, pk: int, payload: MetIn):
    pledge = get_object_or_404(
        Pledge.objects.select_related("response__addressee__declaration"),
        pk=pk,
        response__addressee__declaration=visible_declaration(request, slug),
    )
    return services.mark_pledge_met(request.user, pledge, met_on=payload.met_on)


@router.get(
    "/{slug}/responses",
    response={200: ResponsesOut, **errors(400, 404, 422)},
    summary="Published responses and their coverage",
)
def list_responses(request, slug: str):
    """What the page shows: how many UN member states addressed responded, their share of
    the world's population, groups and regions, and each published response with its
    pledges (status `open`, `met` or `missed` by its deadline)."""
    cover = queries.response_coverage(visible_declaration(request, slug))
    return {
        "addressed": _cover(cover.addressed),
        "responded": _cover(cover.responded),
        "institutions": cover.institutions,
        "responses": cover.responses,
    }
