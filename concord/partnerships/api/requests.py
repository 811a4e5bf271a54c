"""Requests and offers, their explained matches, expressions of interest (an accepted one
records a partnership), funding calls and an organisation's funding matches."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from concord.accounts.api import current_user, signed_in
from concord.core.api import Body, CountNextPrevious, IsoDateTime, QueryParams, errors
from concord.organisations.models import Organisation
from concord.partnerships import permissions, queries
from concord.partnerships.api.common import Amount, Id, OrganisationRef
from concord.partnerships.api.partnerships import PartnershipOut
from concord.partnerships.models import (
    ExpressionOfInterest,
    FundingCall,
    PartnershipRequest,
)
from concord.partnerships.services import funding, interests, requests
from concord.partnerships.suggestions import suggestions_for

router = Router(tags=["partnerships"])

RequestKind = Literal["request", "offer"]
Purpose = Literal["joint_project", "knowledge_exchange", "peer_training", "consortium", "mentoring"]
Instrument = Literal["grant", "concessional_loan", "in_kind", "prize"]
Sdg = Annotated[StrictInt, Field(ge=1, le=17)]


class RequestOut(Schema):
    id: int
    organisation: OrganisationRef
    kind: RequestKind
    purpose: Purpose
    title: str
    description: str
    themes: list[str]
    sdgs: list[int]
    countries: list[str]
    regions: list[str]
    languages: list[str]
    deadline: date | None
    status: Literal["open", "closed"]
    created_at: datetime

    @staticmethod
    def resolve_themes(obj: PartnershipRequest) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_sdgs(obj: PartnershipRequest) -> list[int]:
        return [s.number for s in obj.sdgs.all()]

    @staticmethod
    def resolve_countries(obj: PartnershipRequest) -> list[str]:
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_regions(obj: PartnershipRequest) -> list[str]:
        return [r.code for r in obj.regions.all()]


class RequestIn(Body):
    organisation: StrictInt = Field(..., ge=1, description="Id of the member organisation posting")
    kind: RequestKind = "request"
    purpose: Purpose
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    themes: list[str] = Field([], max_length=20)
    sdgs: list[Sdg] = Field([], max_length=17)
    countries: list[str] = Field([], max_length=250, description="ISO 3166-1 alpha-2 codes")
    regions: list[str] = Field([], max_length=50, description="UN M49 codes, e.g. 002")
    languages: list[str] = Field([], max_length=30, description="ISO 639-1 codes")
    deadline: date | None = None


class RequestQuery(QueryParams):
    kind: RequestKind | None = None


class OfferRef(Schema):
    id: int
    title: str


class SuggestionOut(Schema):
    kind: Literal["organisation", "offer"]
    organisation: OrganisationRef
    offer: OfferRef | None
    score: float = Field(..., description="The sum of `signals`, out of `score_max`")
    score_max: int = Field(
        ..., description="The most this suggestion could score for this request: the page "
        "shows the score rounded, as “12 of 22 possible points”",
    )  # fmt: skip
    reasons: list[str]
    signals: dict[str, float]


class MatchSourceOut(Schema):
    key: str
    title: str
    publisher: str
    as_of: str
    url: str


class MatchesOut(Schema):
    request: int
    similarity_used: bool
    notes: list[str]
    sources: list[MatchSourceOut] = Field(
        ..., description="Reference data the suggestions read (land borders, landlocked "
        "countries), with the date it is as of",
    )  # fmt: skip
    results: list[SuggestionOut]


class InterestIn(Body):
    organisation: StrictInt = Field(..., ge=1)
    message: str = Field(..., min_length=1, max_length=3000)


class InterestOut(Schema):
    id: int
    request: int = Field(..., alias="request_id")
    organisation: OrganisationRef
    message: str
    status: Literal["pending", "accepted", "declined"]
    created_at: datetime


class FundingCallIn(Body):
    title: str = Field(..., min_length=1, max_length=200)
    funder: str = Field(..., min_length=1, max_length=200)
    instrument: Instrument
    description: str = Field("", max_length=5000)
    amount_min: Amount
    amount_max: Amount
    currency: str = Field(..., min_length=3, max_length=3, examples=["USD"])
    deadline: IsoDateTime = Field(
        ..., description="Read on the clock of deadline_timezone when it has no offset"
    )
    deadline_timezone: str = Field(..., min_length=1, max_length=64, examples=["Africa/Nairobi"])
    link: str = Field(..., min_length=1, max_length=500)
    themes: list[str] = Field([], max_length=20)
    eligible_countries: list[str] = Field([], max_length=250)
    eligible_groups: list[str] = Field([], max_length=20, examples=[["ldc", "sids"]])
    eligible_regions: list[str] = Field([], max_length=50)
    open_to_all: StrictBool = False


class FundingCallOut(Schema):
    id: int
    title: str
    funder: str
    instrument: Instrument
    description: str
    amount_min: float
    amount_max: float
    currency: str
    deadline: datetime
    deadline_timezone: str
    link: str
    themes: list[str]
    eligible_countries: list[str]
    eligible_groups: list[str]
    eligible_regions: list[str]
    open_to_all: bool

    @staticmethod
    def resolve_themes(obj: FundingCall) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_eligible_countries(obj: FundingCall) -> list[str]:
        return [c.code for c in obj.eligible_countries.all()]

    @staticmethod
    def resolve_eligible_groups(obj: FundingCall) -> list[str]:
        return [g.slug for g in obj.eligible_groups.all()]

    @staticmethod
    def resolve_eligible_regions(obj: FundingCall) -> list[str]:
        return [r.code for r in obj.eligible_regions.all()]


class FundingMatchOut(Schema):
    call: FundingCallOut
    reasons: list[str]
    matches_themes: bool = Field(
        ..., description="The call shares one of the organisation's themes (listed first)"
    )
    shared_themes: list[str]


class _Rows:
    """A computed list for the shared paginator (which counts with len() what has no
    queryset-style count())."""

    def __init__(self, rows: list) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        return self._rows[index]


def _member(pk: int, field: str = "organisation") -> Organisation:
    organisation = Organisation.objects.filter(pk=pk, status=Organisation.Status.MEMBER).first()
    if organisation is None:
        raise ValidationError({field: ["No member organisation has this id."]})
    return organisation


def _request(pk: int) -> PartnershipRequest:
    posted = queries.request_for_page(pk)
    if posted is None:
        raise Http404
    return posted


@router.get(
    "/partnership-requests",
    response={200: list[RequestOut], **errors(422)},
    summary="List open partnership requests and offers",
)
@paginate(CountNextPrevious)
def list_requests(request, filters: RequestQuery = Query(...)):  # noqa: B008
    return queries.open_requests(filters.kind or "")


@router.post(
    "/partnership-requests",
    response={201: RequestOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Post a partnership request or offer",
)
def post_request(request, payload: RequestIn):
    """For a member organisation the caller represents. Deadlines in the past, unknown
    countries, regions, themes or languages answer 422, per field."""
    data = payload.dict()
    organisation = _member(data.pop("organisation"))
    posted = requests.post_request(request.user, organisation, data)
    return Status(201, queries.request_for_page(posted.pk))


@router.get(
    "/partnership-requests/{pk}",
    response={200: RequestOut, **errors(404, 422)},
    summary="One partnership request or offer",
)
def get_request(request, pk: Id):
    return _request(pk)


@router.get(
    "/partnership-requests/{pk}/matches",
    response={200: MatchesOut, **errors(404, 422)},
    summary="Suggested partners for a request, with their reasons",
)
def request_matches(request, pk: Id):
    """Ranked organisations and offers; each lists the signals that scored (`signals`) and
    says why in words (`reasons`). `notes` says when a signal (text similarity) is off, or
    when a coastal request leaves out organisations based in landlocked countries."""
    found = suggestions_for(_request(pk))
    return {
        "request": found.request.pk,
        "similarity_used": found.similarity_used,
        "notes": found.notes,
        "sources": found.sources,
        "results": [
            {
                "kind": s.kind,
                "organisation": s.organisation,
                "offer": s.offer,
                "score": s.score,
                "score_max": s.most,
                "reasons": s.reasons,
                "signals": s.signals,
            }
            for s in found.suggestions
        ],
    }


@router.post(
    "/partnership-requests/{pk}/interests",
    response={201: InterestOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Express interest in a request",
)
def express_interest(request, pk: Id, payload: InterestIn):
    """The requesting organisation's representatives are emailed; no address is shared.
    Interest in one's own request answers 422; in a closed request, or a second time, 409."""
    posted = _request(pk)
    interest = interests.express_interest(
        request.user, _member(payload.organisation), posted, payload.message
    )
    return Status(201, interest)


def _interest(request, pk: int) -> ExpressionOfInterest:
    interest = queries.interest_for_action(pk)
    if interest is None or not permissions.can_see_interest(request.user, interest):
        raise Http404
    return interest


@router.post(
    "/interests/{pk}/accept",
    response={201: PartnershipOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Accept an expression of interest (records the partnership)",
)
def accept_interest(request, pk: Id):
    partnership = interests.accept_interest(request.user, _interest(request, pk))
    return Status(201, queries.partnership_for_page(partnership.pk))


@router.post(
    "/interests/{pk}/decline",
    response={200: InterestOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Decline an expression of interest",
)
def decline_interest(request, pk: Id):
    return interests.decline_interest(request.user, _interest(request, pk))


@router.get(
    "/funding-calls",
    response={200: list[FundingCallOut], **errors(422)},
    summary="List open funding calls",
)
@paginate(CountNextPrevious)
def list_calls(request):
    return queries.open_calls()


@router.post(
    "/funding-calls",
    response={201: FundingCallOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Enter a funding call (secretariat and funders)",
)
def create_call(request, payload: FundingCallIn):
    """Deadlines in the past, unknown countries, groups, regions, currencies or time zones
    answer 422, per field."""
    call = funding.create_funding_call(request.user, payload.dict())
    return Status(201, queries.call_for_page(call.pk))


@router.get(
    "/organisations/{pk}/funding-matches",
    response={200: list[FundingMatchOut], **errors(404, 422)},
    summary="Open funding calls an organisation is eligible for",
    description="Every open call the organisation's country makes it eligible for, as each "
    "call's page says; calls sharing one of its themes come first, with `matches_themes`.",
)
@paginate(CountNextPrevious)
def funding_matches(request, pk: Id):
    organisation = queries.organisation_for_funding(pk)
    if organisation is None or not permissions.can_see_funding_matches(
        current_user(request), organisation
    ):
        raise Http404
    return _Rows(
        [
            {
                "call": m.call,
                "reasons": m.reasons,
                "matches_themes": m.matches_themes,
                "shared_themes": m.shared_themes,
            }
            for m in queries.funding_matches(organisation)
        ]
    )
