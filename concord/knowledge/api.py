"""Case studies API: search, read, write, review, adaptations.

Thin: every write calls the same service as the pages, so rules live in services/.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, StrictInt, WithJsonSchema

from concord.accounts.api import current_user, signed_in
from concord.core import limits
from concord.core.api import Body, CountNextPrevious, QueryParams, errors
from concord.knowledge import permissions, queries
from concord.knowledge.embeddings import get_embedder
from concord.knowledge.models import LANGUAGES, Practice
from concord.knowledge.services import adaptations, review, writing
from concord.organisations.models import Organisation

router = Router(tags=["case studies"])

Id = Annotated[int, Path(ge=1)]
PracticeStatus = Annotated[
    Practice.Status,
    WithJsonSchema({"title": "PracticeStatus", "type": "string", "enum": Practice.Status.values}),
]
LanguageCode = Annotated[
    str,
    WithJsonSchema({"type": "string", "enum": [code for code, _name in LANGUAGES]}),
]


def _sdg_numbers(numbers: list[int]) -> list[int]:
    if any(not 1 <= number <= 17 for number in numbers):
        raise ValueError("SDGs are numbered 1 to 17.")
    return numbers


Sdgs = Annotated[
    list[Annotated[StrictInt, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 17})]],
    AfterValidator(_sdg_numbers),
]


class BlockSchema(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=3000)
    enabling_factors: str = Field("", max_length=2000)
    lessons: str = Field("", max_length=2000)


class PracticeSummaryOut(Schema):
    id: int
    title: str
    summary: str
    snippet: str | None = None
    language: str
    organisation: int = Field(..., alias="organisation_id")
    organisation_name: str
    countries: list[str]
    themes: list[str]
    setting: str
    status: PracticeStatus
    published_at: datetime | None

    @staticmethod
    def resolve_organisation_name(obj: Practice) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_countries(obj: Practice) -> list[str]:
        return [c.code for c in obj.countries.all()]

    @staticmethod
    def resolve_themes(obj: Practice) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_snippet(obj: Practice) -> str | None:
        snippet = getattr(obj, "snippet", None)
        return str(snippet) if snippet is not None else None


class TranslationOut(Schema):
    language: str
    title: str
    summary: str
    body: str


class PracticeOut(PracticeSummaryOut):
    challenges: str
    beneficiaries: str
    impacts: str
    sdgs: list[int]
    adaptation: str
    mitigation: str
    blocks: list[BlockSchema]
    translations: list[TranslationOut]
    revision: int
    review_note: str
    adaptations_count: int

    @staticmethod
    def resolve_sdgs(obj: Practice) -> list[int]:
        return [s.number for s in obj.sdgs.all()]

    @staticmethod
    def resolve_blocks(obj: Practice) -> list:
        return list(obj.blocks.all())

    @staticmethod
    def resolve_translations(obj: Practice) -> list:
        return list(obj.translations.all())

    @staticmethod
    def resolve_adaptations_count(obj: Practice) -> int:
        return len(obj.adaptations.all())


class PracticeIn(Body):
    organisation: StrictInt = Field(..., ge=1)
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=1500)
    language: LanguageCode
    setting: Literal[tuple(Practice.Setting.values)]  # type: ignore[valid-type]
    countries: list[Annotated[str, Field(min_length=2, max_length=2)]] = Field(
        ..., min_length=1, max_length=60
    )
    challenges: str = Field("", max_length=4000)
    beneficiaries: str = Field("", max_length=2000)
    impacts: str = Field("", max_length=4000)
    themes: list[Annotated[str, Field(max_length=40)]] = Field(..., min_length=1, max_length=13)
    sdgs: Sdgs = []
    adaptation: Literal["", "significant", "principal"] = ""
    mitigation: Literal["", "significant", "principal"] = ""
    blocks: list[BlockSchema] = Field([], max_length=12)


class PracticePatch(Body):
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=1500)
    language: LanguageCode | None = None
    setting: Literal[tuple(Practice.Setting.values)] | None = None  # type: ignore[valid-type]
    countries: list[Annotated[str, Field(min_length=2, max_length=2)]] | None = Field(
        None, min_length=1, max_length=60
    )
    challenges: str | None = Field(None, max_length=4000)
    beneficiaries: str | None = Field(None, max_length=2000)
    impacts: str | None = Field(None, max_length=4000)
    themes: list[Annotated[str, Field(max_length=40)]] | None = Field(
        None, min_length=1, max_length=13
    )
    sdgs: Sdgs | None = None
    adaptation: Literal["", "significant", "principal"] | None = None
    mitigation: Literal["", "significant", "principal"] | None = None
    blocks: list[BlockSchema] | None = Field(None, max_length=12)


class SearchQuery(QueryParams):
    q: str = Field("", max_length=queries.MAX_QUERY_CHARS, description="words, in any language")
    mode: Literal["hybrid", "fulltext", "semantic"] = "hybrid"
    theme: str = Field("", max_length=40)
    sdg: int | None = Field(None, ge=1, le=17)
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=3)
    group: str = Field("", max_length=40)
    language: str = Field("", max_length=5)
    setting: str = Field("", max_length=16)
    sort: Literal["relevance", "newest", "title"] = "relevance"


class ReviewIn(Body):
    action: Literal["publish", "return"]
    comment: str = Field("", max_length=3000)


class AdaptationIn(Body):
    organisation: StrictInt = Field(..., ge=1)
    country: str = Field(..., min_length=2, max_length=2)
    place: str = Field("", max_length=120)
    account: str = Field(..., min_length=1, max_length=3000)


class AdaptationOut(Schema):
    id: int
    organisation: int = Field(..., alias="organisation_id")
    organisation_name: str
    country: str = Field(..., alias="country_id")
    place: str
    account: str
    created_at: datetime

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name


class SearchInfo(Schema):
    semantic_search: bool
    model: str | None


def _data(payload: Schema, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    data.pop("organisation", None)
    for key in [k for k, v in data.items() if v is None]:
        data.pop(key)
    return data


def _visible(request, pk: int) -> Practice:
    practice = queries.practice_for_page(pk)
    if practice is None or not permissions.can_view(current_user(request), practice):
        raise Http404
    return practice


def _out(request, practice: Practice) -> Practice:
    if not (
        permissions.can_edit(current_user(request), practice)
        or permissions.can_submit(current_user(request), practice)
        or permissions.can_review(current_user(request))
    ):
        practice.review_note = ""
    return practice


@router.get(
    "/practices",
    response={200: list[PracticeSummaryOut], **errors(422, 429)},
    summary="Search case studies",
)
@paginate(CountNextPrevious)
def search_practices(request, filters: SearchQuery = Query(...)):  # noqa: B008
    """Published case studies. With `q`: full-text, semantic (across languages) or hybrid
    ranking; without: newest first. Unknown filter values answer 422 with a message. When
    semantic search is off on the server, `semantic` and `hybrid` fall back to full text
    (see `/practices-search-info`). Queries are rate-limited per client network (429)."""
    if filters.q:
        limits.check("search", request)
    return queries.search_practices(queries.PracticeFilters(**filters.dict()))


@router.get("/practices-search-info", response=SearchInfo, summary="Is semantic search on?")
def search_info(request):
    embedder = get_embedder()
    return {"semantic_search": embedder is not None, "model": embedder.name if embedder else None}


@router.post(
    "/practices",
    response={201: PracticeOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Start a case study (a draft)",
)
def create_practice(request, payload: PracticeIn):
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise Http404
    practice = writing.create_practice(request.user, organisation, _data(payload, partial=False))
    return Status(201, queries.practice_for_page(practice.pk))


@router.get(
    "/practices/{pk}", response={200: PracticeOut, **errors(404, 422)}, summary="One case study"
)
def get_practice(request, pk: Id):
    return _out(request, _visible(request, pk))


@router.patch(
    "/practices/{pk}",
    response={200: PracticeOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Edit a case study",
)
def edit_practice(request, pk: Id, payload: PracticePatch):
    """Edits after publication are kept in the revision history."""
    practice = _visible(request, pk)
    writing.update_practice(request.user, practice, _data(payload, partial=True))
    return queries.practice_for_page(pk)


@router.post(
    "/practices/{pk}/submit",
    response={200: PracticeOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Submit a case study for review",
)
def submit_practice(request, pk: Id):
    review.submit_practice(request.user, _visible(request, pk))
    return queries.practice_for_page(pk)


@router.post(
    "/practices/{pk}/review",
    response={200: PracticeOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Publish or return a submitted case study (secretariat)",
)
def review_practice(request, pk: Id, payload: ReviewIn):
    if not permissions.can_review(request.user):
        raise PermissionDenied("Only the secretariat reviews case studies.")
    practice = _visible(request, pk)
    if payload.action == "publish":
        review.publish_practice(request.user, practice)
    else:
        review.return_practice(request.user, practice, payload.comment)
    return queries.practice_for_page(pk)


@router.get(
    "/practices/{pk}/adaptations",
    response={200: list[AdaptationOut], **errors(404, 422)},
    summary="Where the case study has been adapted",
)
@paginate(CountNextPrevious)
def list_adaptations(request, pk: Id):
    return queries.adaptations_of(_visible(request, pk))


@router.post(
    "/practices/{pk}/adaptations",
    response={201: AdaptationOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Record that your organisation adapted the case study",
)
def record_adaptation(request, pk: Id, payload: AdaptationIn):
    practice = _visible(request, pk)
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise Http404
    adaptation = adaptations.record_adaptation(request.user, practice, organisation, payload.dict())
    return Status(201, queries.adaptations_of(practice).get(pk=adaptation.pk))
