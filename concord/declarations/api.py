"""Declarations API (a stable contract other tools rely on; see README).

Thin: it parses, calls the same services and queries as the pages, and maps `Refused` to its
HTTP status (409 not open or duplicate, 403 not eligible, 400/410 bad or expired token) in
api/api.py.
"""

import re
from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt, WithJsonSchema

from concord.accounts.api import current_user, signed_in
from concord.core import keyset
from concord.core.api import Body, CountNextPrevious, Detail, IsoDateTime, QueryParams, errors
from concord.core.checks import has_nul
from concord.core.csv import decode
from concord.core.imports import ImportRefused
from concord.core.network import client_ip
from concord.declarations import exports, imports, intake, permissions, queries
from concord.declarations.models import TEXT_MAX, TITLE_MAX, Declaration, ImportJob, Signature
from concord.declarations.services import lifecycle, signing

router = Router(tags=["declarations"])

# Inlined in the schema: as a component it would share the name "Status" with the
# organisations' choices, and one would silently replace the other.
DeclarationStatus = Annotated[
    Declaration.Status,
    WithJsonSchema(
        {"title": "DeclarationStatus", "type": "string", "enum": Declaration.Status.values}
    ),
]
SLUG = re.compile(r"[-\w]{1,80}")


class TextOut(Schema):
    language: str
    title: str
    text: str = Field(..., alias="body")
    is_original: bool
    sha256: str


class DeclarationOut(Schema):
    slug: str
    status: DeclarationStatus
    eligibility: Declaration.Eligibility
    original_language: str
    opens_at: datetime | None
    closes_at: datetime | None
    adopted_at: str
    goal_signatures: int | None
    goal_countries: int | None
    final_export_sha256: str
    texts: list[TextOut]

    @staticmethod
    def resolve_texts(obj: Declaration) -> list:
        return list(obj.texts.all())


class DeclarationIn(Body):
    slug: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    title: str = Field(..., min_length=1, json_schema_extra={"maxLength": TITLE_MAX})
    text: str = Field(..., min_length=1, json_schema_extra={"maxLength": TEXT_MAX})
    language: str = Field("en", max_length=10, examples=["en"])
    opens_at: IsoDateTime | None = None
    closes_at: IsoDateTime | None = None
    eligibility: Declaration.Eligibility = Declaration.Eligibility.ANYONE
    goal: StrictInt | None = Field(None, ge=1, description="Goal in signatures")
    goal_countries: StrictInt | None = Field(None, ge=1, le=249)
    adopted_at: str = Field("", max_length=200)
    event: str = Field(
        "",
        max_length=80,
        description="Short name of the event it was adopted at; required when only the "
        "event's participants may sign (eligibility `registered` or `attended`)",
    )


class TranslationIn(Body):
    language: str = Field(..., max_length=10, examples=["fr"])
    title: str = Field(..., min_length=1, json_schema_extra={"maxLength": TITLE_MAX})
    text: str = Field(..., min_length=1, json_schema_extra={"maxLength": TEXT_MAX})


class SignatureIn(Body):
    name: str = Field(..., max_length=150, examples=["Ana Silva"])
    email: str = Field(..., max_length=254, examples=["ana@example.org"])
    country: str = Field(..., max_length=2, description="ISO 3166-1 alpha-2", examples=["MZ"])
    kind: Literal["organisation", "individual"] = "individual"
    organisation: str = Field("", max_length=200)
    role: str = Field("", max_length=120)
    show_name: StrictBool = True
    language: str = Field("", max_length=10, description="The language version the signer read")


class SignatureAccepted(Schema):
    status: Literal["pending", "confirmed"]


class TokenIn(Body):
    token: str = Field(..., max_length=200)


class EmailIn(Body):
    email: str = Field(..., max_length=254)


class ImportErrorOut(Schema):
    line: int
    field: str
    reason: str


class ImportOut(Schema):
    imported: int
    valid: int
    rows: int
    dry_run: bool
    errors: list[ImportErrorOut]


class SignatoryOut(Schema):
    name: str
    kind: str
    organisation: str
    role: str
    country: str = Field(..., alias="country_id")
    confirmed_at: datetime

    @staticmethod
    def resolve_organisation(obj: Signature) -> str:
        return obj.organisation_label


def _declaration(request: HttpRequest, slug: str, find=queries.declaration_for_page) -> Declaration:
    if has_nul(slug):  # cannot name a declaration (PostgreSQL refuses it in a query)
        raise Http404
    declaration = find(slug)
    if declaration is None or not permissions.can_view(current_user(request), declaration):
        raise Http404
    return declaration


@router.get("", response={200: list[DeclarationOut], **errors(422)}, summary="List declarations")
@paginate(CountNextPrevious)
def list_declarations(request):
    return queries.visible_declarations(current_user(request))


@router.post(
    "",
    response={201: DeclarationOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Create a declaration",
)
def create(request, payload: DeclarationIn):
    """Staff only. The text is the original language version; more come as translations."""
    declaration = lifecycle.create_declaration(
        request.user,
        slug=payload.slug,
        title=payload.title,
        text=payload.text,
        language=payload.language,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        eligibility=payload.eligibility,
        goal_signatures=payload.goal,
        goal_countries=payload.goal_countries,
        adopted_at=payload.adopted_at,
        event=payload.event,
    )
    return Status(201, queries.declaration_for_page(declaration.slug))


@router.get(
    "/{slug}",
    response={200: DeclarationOut, **errors(404)},
    summary="One declaration with its texts",
)
def get_declaration(request, slug: str):
    return _declaration(request, slug)


def _transition(request, slug: str, action):
    action(request.user, _declaration(request, slug))
    return queries.declaration_for_page(slug)


STATE_RESPONSES = {200: DeclarationOut, **errors(401, 403, 404, 409)}


@router.post("/{slug}/open", response=STATE_RESPONSES, auth=signed_in, summary="Open for signature")
def open_(request, slug: str):
    """Freezes the texts (each gets its SHA-256) and opens signing from `opens_at`."""
    return _transition(request, slug, lifecycle.open_declaration)


@router.post("/{slug}/close", response=STATE_RESPONSES, auth=signed_in, summary="Close signing")
def close(request, slug: str):
    """Stops signing and publishes the SHA-256 of the final signatory export."""
    return _transition(request, slug, lifecycle.close_declaration)


@router.post("/{slug}/publish", response=STATE_RESPONSES, auth=signed_in, summary="Publish")
def publish(request, slug: str):
    return _transition(request, slug, lifecycle.publish_declaration)


@router.post(
    "/{slug}/translations",
    response={201: TextOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Add a language version",
)
def add_translation(request, slug: str, payload: TranslationIn):
    version = lifecycle.set_text(
        request.user,
        _declaration(request, slug),
        language=payload.language,
        title=payload.title,
        text=payload.text,
    )
    return Status(201, version)


@router.post(
    "/{slug}/signatures",
    response={202: SignatureAccepted, **errors(400, 403, 404, 409, 422)},
    summary="Sign (public)",
)
def sign(request, slug: str, payload: SignatureIn):
    """Anyone may call this (eligibility rules apply). The signer confirms by the emailed
    link, unless the call carries the token of a signed-in person signing with their own
    address. 202 means stored: for a declaration anyone may sign, the signature is recorded
    and its email sent by the background worker within seconds. 409 if the address has
    already signed or the declaration is not open."""
    declaration = _declaration(request, slug, queries.declaration_for_signing)
    data = signing.SignatureInput(**payload.dict())
    context = signing.Context(
        user=current_user(request),
        ip=client_ip(request),
        source=Signature.Source.API,
    )
    return Status(202, {"status": intake.accept(declaration, data, context)})


@router.post(
    "/{slug}/signatures/confirm",
    response={200: SignatureAccepted, **errors(400, 404, 409, 410, 422)},
    summary="Confirm a signature",
)
def confirm(request, slug: str, payload: TokenIn):
    """The token is the one in the emailed link."""
    signature = signing.confirm_signature(_declaration(request, slug), payload.token)
    return {"status": signature.status}


@router.post(
    "/{slug}/signatures/resend",
    response={202: Detail, **errors(400, 404, 422)},
    summary="Send the link again",
)
def resend(request, slug: str, payload: EmailIn):
    """Always 202, so the answer never tells whether an address has signed."""
    signing.resend_confirmation(_declaration(request, slug), payload.email)
    return Status(
        202, {"detail": "If this address has a pending signature, a new link is on its way."}
    )


@router.post(
    "/{slug}/signatures/import",
    response={200: ImportOut, **errors(401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Import offline signatures (CSV)",
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "required": True,
            "description": "Header row: name,email,country,kind,organisation,role,show_name",
        }
    },
)
def import_csv(request, slug: str, dry_run: bool = False, collected_by: str = ""):
    """Staff. `?dry_run=1` reports every bad row without importing; otherwise the good rows
    are added as confirmed signatures "collected offline". 409 once the declaration has
    closed (its list is final), as on the page; 422 for a file that cannot be read."""
    declaration = _declaration(request, slug)
    try:
        text = decode(request.body)
    except ImportRefused as refusal:
        return Status(422, {"detail": str(refusal)})
    job = imports.start_import(
        request.user,
        declaration,
        text,
        dry_run=dry_run,
        collected_by=collected_by,
        at_once=True,
    )
    if job.status == ImportJob.Status.FAILED:
        return Status(422, {"detail": job.errors[0]["reason"]})
    return {
        "imported": job.imported,
        "valid": job.valid,
        "rows": job.rows_total,
        "dry_run": job.dry_run,
        "errors": job.errors,
    }


def _body(content_type: str, description: str, schema: dict) -> dict:
    """A 200 answer the view writes itself (not through a response schema), documented."""
    content = {content_type: {"schema": schema}}
    return {"responses": {200: {"description": description, "content": content}}}


@router.get(
    "/{slug}/stats",
    response=errors(404),
    summary="Live statistics",
    openapi_extra=_body("application/json", "The statistics", {"type": "object"}),
)
def stats(request, slug: str):
    """Counts, countries, UN member states and their share of 193, population and its share
    of the world's (with the data year), groups, regions and countries. Shares are numbers
    between 0 and 1. Read from tallies: the cost does not grow with the signatures."""
    key = f"declaration-stats-json:{slug}" if SLUG.fullmatch(slug) else None
    if key is not None and queries.stats_cached():
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body, content_type="application/json")
    declaration = _declaration(request, slug)
    figures = queries.declaration_stats(declaration)
    body = exports.stats_json(declaration, figures)
    # A crowd of watchers costs one database read per STATS_CACHE_SECONDS: the answer (never
    # a draft's) is kept as long as its figures are fresh (the page follows the same rule).
    keep = queries.fresh_for(figures)
    if key is not None and declaration.status != Declaration.Status.DRAFT and keep:
        cache.set(key, body, timeout=keep)
    return HttpResponse(body, content_type="application/json")


class SignatoryQuery(QueryParams):
    q: str = Field("", max_length=200)
    country: str = Field("", max_length=2)
    after: str = Field("", max_length=keyset.CURSOR_MAX, description="Cursor from a `next` link")
    before: str = Field(
        "", max_length=keyset.CURSOR_MAX, description="Cursor from a `previous` link"
    )
    page: str = Field(
        "",
        max_length=20,
        description="`1` (the first page) or `last`; other numbers answer 400: follow `next`",
    )
    page_size: int | None = Field(None, ge=1, le=500)


class SignatoryList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[SignatoryOut]


@router.get(
    "/{slug}/signatories",
    response={200: SignatoryList, **errors(400, 404, 422)},
    summary="Public signatories",
)
def signatories(request, slug: str, filters: SignatoryQuery = Query(...)):  # noqa: B008
    """Confirmed signatories who chose to show their name, by country code, name and row.
    Emails are never shown. Paged by cursor: follow `next` and `previous` (any page costs
    the same); `count` is the number listed under the filters. A cursor that cannot be read
    answers 400 (`bad_cursor`), a page number other than 1 or `last` 400 (`no_page_numbers`)."""
    declaration = _declaration(request, slug)
    at = keyset.position(filters.after, filters.before, filters.page)
    page = queries.signatory_page(
        declaration,
        q=filters.q,
        country=filters.country,
        after=at.after,
        before=at.before,
        last=at.last,
        size=filters.page_size or settings.PAGE_SIZE,
    )

    def url(**position: str) -> str:
        return request.build_absolute_uri(request.path + keyset.link(request.GET, **position))

    return {
        "count": page.shown,
        "next": url(after=page.after) if page.after else None,
        "previous": url(before=page.before) if page.before else None,
        "results": page.signatures,
    }


@router.get(
    "/{slug}/signatories.csv",
    response=errors(404),
    summary="Signatory list as CSV",
    openapi_extra=_body("text/csv", "The signatory list", {"type": "string"}),
)
def signatories_csv(request, slug: str):
    """Every counted signature, safe to open in a spreadsheet; where the signer hid their name
    the row keeps only the country and the day. After closing, the SHA-256 of this file equals
    the declaration's `final_export_sha256`."""
    declaration = _declaration(request, slug)
    response = StreamingHttpResponse(
        exports.signatories_csv_chunks(declaration), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{declaration.slug}-signatories.csv"'
    return response


@router.get(
    "/{slug}/signatories.json",
    response=errors(404),
    summary="Signatory list as JSON",
    openapi_extra=_body("application/json", "The signatory list", {"type": "object"}),
)
def signatories_json(request, slug: str):
    declaration = _declaration(request, slug)
    return StreamingHttpResponse(
        exports.signatories_json_chunks(declaration), content_type="application/json"
    )
