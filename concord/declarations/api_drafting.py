"""The drafting API, `/api/v1/declarations/{slug}/drafting/...`: the comment period, the
current version's paragraphs, versions and their comparison, comments, amendments, supports,
decisions and co-sponsors. Thin over services/drafting.py, services/amendments.py and
drafting/queries.py, as the pages are. A draft's drafting is seen by its committee and its
audience only (404 for anyone else, as for the draft itself)."""

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from concord.accounts.api import current_user, signed_in
from concord.core import limits
from concord.core.api import Body, IsoDateTime, RowId, errors
from concord.core.checks import has_nul
from concord.declarations import permissions
from concord.declarations import queries as declaration_queries
from concord.declarations.drafting import queries
from concord.declarations.drafting.models import (
    COMMENT_MAX,
    PARAGRAPH_MAX,
    REASON_MAX,
    Amendment,
    Comment,
    CommentPeriod,
)
from concord.declarations.models import Declaration
from concord.declarations.services import amendments, drafting

router = Router(tags=["declarations"])

# A version number as the column holds it: a larger one is refused (422), not looked up.
VersionNumber = Annotated[int, Query(ge=1, le=2**31 - 1)]


def drafting_of(request: HttpRequest, slug: str) -> Declaration:
    """The declaration whose drafting the caller may see, else 404."""
    declaration = None if has_nul(slug) else declaration_queries.declaration_for_page(slug)
    if declaration is None or not permissions.can_see_drafting(current_user(request), declaration):
        raise Http404
    return declaration


class ParagraphOut(Schema):
    key: int
    text: str


class DraftOut(Schema):
    audience: str | None
    organisations: list[int]
    closes_at: datetime | None
    accepts_input: bool
    version: int | None
    paragraphs: list[ParagraphOut]
    translations_behind: list[str]


class CommentPeriodIn(Body):
    audience: CommentPeriod.Audience
    closes_at: IsoDateTime
    organisations: list[RowId] = Field(default_factory=list)


class VersionOut(Schema):
    number: int
    made_at: datetime


class RowOut(Schema):
    kind: str
    key: int
    html: str


class DraftCommentIn(Body):
    paragraph: StrictInt
    text: str = Field(..., json_schema_extra={"maxLength": COMMENT_MAX})
    organisation: RowId | None = None


class CommentEditIn(Body):
    text: str = Field(..., json_schema_extra={"maxLength": COMMENT_MAX})


class CommentOut(Schema):
    id: int
    paragraph: int = Field(..., alias="paragraph_key")
    text: str
    organisation: int | None = Field(None, alias="organisation_id")
    created_at: datetime
    edited_at: datetime | None


class AmendmentIn(Body):
    paragraph: StrictInt
    kind: Amendment.Kind
    text: str = Field("", json_schema_extra={"maxLength": PARAGRAPH_MAX})
    reason: str = Field(..., json_schema_extra={"maxLength": REASON_MAX})
    language: str = Field("", max_length=10)
    organisation: RowId | None = None


class AmendmentOut(Schema):
    id: int
    paragraph: int = Field(..., alias="paragraph_key")
    kind: str
    text: str
    reason: str
    language: str
    organisation: int | None = Field(None, alias="organisation_id")
    status: str
    supports: int
    decision_reason: str
    accepted_text: str
    version: int | None

    @staticmethod
    def resolve_supports(obj: Amendment) -> int:
        return getattr(obj, "support_count", None) or obj.supports.count()

    @staticmethod
    def resolve_version(obj: Amendment) -> int | None:
        return obj.made_version.number if obj.made_version else None


class ActingOrganisationIn(Body):
    organisation: RowId


class DecisionIn(Body):
    decision: str = Field(..., pattern="^(accept|merge|reject)$")
    reason: str = Field(..., json_schema_extra={"maxLength": REASON_MAX})
    text: str | None = Field(None, json_schema_extra={"maxLength": PARAGRAPH_MAX})
    merge_into: RowId | None = None


class CosponsorOut(Schema):
    organisation: int
    name: str
    version: int

    @staticmethod
    def resolve_organisation(obj) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version.number


def _draft(declaration: Declaration) -> dict:
    period = getattr(declaration, "comment_period", None)
    version = queries.current_version(declaration)
    return {
        "audience": period.audience if period else None,
        "organisations": sorted(period.organisations.values_list("pk", flat=True))
        if period
        else [],
        "closes_at": period.closes_at if period else None,
        "accepts_input": bool(period and period.accepts_input()),
        "version": version.number if version else None,
        "paragraphs": [{"key": key, "text": text} for key, text in queries.paragraphs_of(version)]
        if version
        else [],
        "translations_behind": sorted(queries.translations_behind(declaration)),
    }


@router.get(
    "/{slug}/drafting",
    response={200: DraftOut, **errors(400, 404, 422)},
    summary="The draft by paragraph",
)
def get_draft(request, slug: str):
    """The comment period (audience, deadline) and the current version's paragraphs, each
    with the key comments and amendments name."""
    return _draft(drafting_of(request, slug))


@router.post(
    "/{slug}/drafting/period",
    response={200: DraftOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Open the draft for comments",
)
def open_period(request, slug: str, payload: CommentPeriodIn):
    """The committee: open to member organisations' representatives (`members`), a drafting
    group (`group`, with `organisations`) or the adopting event's participants (`event`),
    until `closes_at`. The first opening makes version 1 from the text's paragraphs."""
    declaration = drafting_of(request, slug)
    drafting.open_for_comments(
        request.user, declaration, audience=payload.audience, closes_at=payload.closes_at,
        organisations=payload.organisations,
    )  # fmt: skip
    return _draft(declaration_queries.declaration_for_page(slug))


@router.get(
    "/{slug}/drafting/versions",
    response={200: list[VersionOut], **errors(400, 404, 422)},
    summary="The draft's versions",
)
def list_versions(request, slug: str):
    return list(queries.versions(drafting_of(request, slug)))


@router.get(
    "/{slug}/drafting/compare",
    response={200: list[RowOut], **errors(400, 404, 422)},
    summary="Compare two versions",
)
def compare_versions(request, slug: str, old: VersionNumber, new: VersionNumber):
    """Paragraph by paragraph (`same`, `changed`, `added`, `removed`); `html` is escaped
    text with <ins> and <del> around the words inserted and deleted."""
    rows = queries.comparison(drafting_of(request, slug), old, new)
    if rows is None:
        raise Http404
    return [{"kind": row.kind, "key": row.key, "html": str(row.html)} for row in rows]


@router.get(
    "/{slug}/drafting/comments",
    response={200: list[CommentOut], **errors(400, 404, 422)},
    summary="Comments on the draft",
)
def list_comments(request, slug: str):
    return list(Comment.objects.filter(declaration=drafting_of(request, slug)))


@router.post(
    "/{slug}/drafting/comments",
    response={201: CommentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Comment on a paragraph",
)
def add_comment(request, slug: str, payload: DraftCommentIn):
    """Participants only, until the deadline (409 after it, or once the text is frozen)."""
    comment = drafting.add_comment(
        request.user, drafting_of(request, slug), paragraph=payload.paragraph,
        text=payload.text, organisation=payload.organisation,
    )  # fmt: skip
    return Status(201, comment)


@router.put(
    "/{slug}/drafting/comments/{pk}",
    response={200: CommentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Edit one's comment",
)
def edit_comment(request, slug: str, pk: int, payload: CommentEditIn):
    """Only its author (403 for anyone else, the committee included)."""
    comment = get_object_or_404(Comment, pk=pk, declaration=drafting_of(request, slug))
    return drafting.edit_comment(request.user, comment, payload.text)


@router.get(
    "/{slug}/drafting/amendments",
    response={200: list[AmendmentOut], **errors(400, 404, 422)},
    summary="Amendments to the draft",
)
def list_amendments(request, slug: str):
    return list(queries.amendments(drafting_of(request, slug)))


@router.post(
    "/{slug}/drafting/amendments",
    response={201: AmendmentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Propose an amendment",
)
def propose_amendment(request, slug: str, payload: AmendmentIn):
    """`replace` the paragraph, `insert` a new one after it, or `remove` it, with a reason."""
    amendment = drafting.propose_amendment(
        request.user, drafting_of(request, slug), paragraph=payload.paragraph,
        kind=payload.kind, text=payload.text, reason=payload.reason,
        language=payload.language, organisation=payload.organisation,
    )  # fmt: skip
    return Status(201, amendment)


def _amendment(request, slug: str, pk: int) -> Amendment:
    return get_object_or_404(
        Amendment.objects.select_related("declaration", "made_version"),
        pk=pk,
        declaration=drafting_of(request, slug),
    )


@router.post(
    "/{slug}/drafting/amendments/{pk}/supports",
    response={201: AmendmentOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Support an amendment",
)
def support_amendment(request, slug: str, pk: int, payload: ActingOrganisationIn):
    """For an organisation the caller acts for; one support per organisation (409 again)."""
    amendment = _amendment(request, slug, pk)
    drafting.support_amendment(request.user, amendment, payload.organisation)
    return Status(201, _amendment(request, slug, pk))


@router.post(
    "/{slug}/drafting/amendments/{pk}/decision",
    response={200: AmendmentOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Decide on an amendment",
)
def decide_amendment(request, slug: str, pk: int, payload: DecisionIn):
    """The committee: `accept` (with `text` to edit it; makes a new version), `merge` (into
    `merge_into`) or `reject`, with a reason; the proposer is emailed."""
    amendment = _amendment(request, slug, pk)
    limits.check("decide-amendment", request)
    return amendments.decide(
        request.user, amendment, decision=payload.decision, reason=payload.reason,
        text=payload.text, merge_into=payload.merge_into,
    )  # fmt: skip


@router.get(
    "/{slug}/drafting/cosponsors",
    response={200: list[CosponsorOut], **errors(400, 404, 422)},
    summary="Co-sponsors of the current version",
)
def list_cosponsors(request, slug: str):
    return queries.cosponsors(drafting_of(request, slug))


@router.post(
    "/{slug}/drafting/cosponsors",
    response={201: CosponsorOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Co-sponsor the draft",
)
def endorse(request, slug: str, payload: ActingOrganisationIn):
    """A member organisation's representative endorses the current version before opening."""
    return Status(
        201, drafting.endorse(request.user, drafting_of(request, slug), payload.organisation)
    )
