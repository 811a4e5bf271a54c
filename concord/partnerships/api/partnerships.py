"""Partnerships: the public list, recording one, and the named organisations' answers.

A recorded partnership is seen only by the people involved until every organisation it names
has accepted or declined (an admin of each answers); then it is listed, with the
organisations that accepted.
"""

from datetime import date
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from concord.accounts.api import current_user, signed_in
from concord.core.api import Body, CountNextPrevious, QueryParams, errors
from concord.partnerships import permissions, queries
from concord.partnerships.api.common import Amount, Id, OrganisationRef
from concord.partnerships.models import Partner, Partnership
from concord.partnerships.services import consent, partnerships

router = Router(tags=["partnerships"])

ReportStatus = Literal["on_time", "late", "inactive"]


class DeliverableIn(Body):
    title: str = Field(..., min_length=1, max_length=200)
    target: Amount = Field(..., gt=0)
    unit: str = Field(..., min_length=1, max_length=60)
    due_on: date


class DeliverableOut(Schema):
    id: int
    title: str
    target: float
    unit: str
    due_on: date
    achieved: float


class PartnerOut(Schema):
    organisation: OrganisationRef
    role: Literal["lead", "partner"]
    answer: Literal["pending", "accepted", "declined"] = Field(
        ..., description="Whether an admin of the organisation accepted its place"
    )


class PartnershipIn(Body):
    title: str = Field(..., min_length=1, max_length=200)
    goals: str = Field(..., min_length=1, max_length=5000)
    started_on: date | None = None
    partners: list[Annotated[StrictInt, Field(ge=1)]] = Field(
        ..., min_length=2, max_length=50, description="Member organisation ids; the first leads"
    )
    deliverables: list[DeliverableIn] = Field(..., min_length=1, max_length=100)


class PartnershipOut(Schema):
    id: int
    title: str
    goals: str
    started_on: date
    partners: list[PartnerOut]
    deliverables: list[DeliverableOut]
    last_report_on: date | None
    report_status: ReportStatus
    agreed: bool = Field(
        ...,
        alias="is_agreed",
        description="Every named organisation answered: listed publicly, with those that accepted",
    )

    @staticmethod
    def resolve_partners(obj: Partnership) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_deliverables(obj: Partnership) -> list:
        return list(obj.deliverables.all())


class PartnershipQuery(QueryParams):
    status: ReportStatus | None = None


@router.get(
    "/partnerships",
    response={200: list[PartnershipOut], **errors(422)},
    summary="List partnerships and whether their reporting is on time",
)
@paginate(CountNextPrevious)
def list_partnerships(request, filters: PartnershipQuery = Query(...)):  # noqa: B008
    return queries.partnerships(filters.status or "")


@router.post(
    "/partnerships",
    response={201: PartnershipOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Record a partnership with its deliverables",
)
def record_partnership(request, payload: PartnershipIn):
    partnership = partnerships.record_partnership(request.user, payload.dict())
    return Status(201, queries.partnership_for_page(partnership.pk))


def _visible(request, pk: int) -> Partnership:
    partnership = queries.partnership_for_page(pk)
    if partnership is None or not permissions.can_see_partnership(
        current_user(request), partnership
    ):
        raise Http404
    return partnership


@router.get(
    "/partnerships/{pk}",
    response={200: PartnershipOut, **errors(404, 422)},
    summary="One partnership (before every named organisation answered: the people involved)",
)
def get_partnership(request, pk: Id):
    partnership = _visible(request, pk)
    if not permissions.is_involved(current_user(request), partnership):
        partnership = queries.partnerships().get(pk=pk)  # only the partners that accepted
    return partnership


def _answer(request, pk: int, organisation: int, *, accept: bool) -> Partner:
    partnership = _visible(request, pk)
    member = next((m for m in partnership.members.all() if m.organisation_id == organisation), None)
    if member is None:
        raise Http404
    return consent.answer_partnership(request.user, partnership, member.organisation, accept=accept)


@router.post(
    "/partnerships/{pk}/partners/{organisation}/accept",
    response={200: PartnerOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Accept the organisation's place in a partnership (its admins)",
)
def accept_partnership(request, pk: Id, organisation: Id):
    return _answer(request, pk, organisation, accept=True)


@router.post(
    "/partnerships/{pk}/partners/{organisation}/decline",
    response={200: PartnerOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Decline the organisation's place in a partnership (its admins)",
)
def decline_partnership(request, pk: Id, organisation: Id):
    return _answer(request, pk, organisation, accept=False)
