"""Declarations API (a stable contract other tools rely on; see README).

Thin: it parses, calls the same services and queries as the pages, and maps `Refused` to its
HTTP status (409 not open, 403 a signed-in person not eligible, 400/410 bad or expired token,
429 too many attempts) in api/api.py. A signature's answer never tells whether the address
had signed or may sign (`services/submissions.py`).
"""

import json
import re

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import http_date
from ninja import Query, Router, Status
from ninja.pagination import paginate

from concord.accounts.api import current_user, signed_in
from concord.core import keyset, limits, precompressed
from concord.core.api import CountNextPrevious, Detail, errors
from concord.core.checks import has_nul
from concord.core.csv import decode
from concord.core.emails import interface_language
from concord.core.imports import ImportRefused
from concord.core.network import client_ip
from concord.declarations import export_files, exports, imports, intake, permissions, queries
from concord.declarations.models import (
    Declaration,
    ImportJob,
    SignatoryFile,
    Signature,
)
from concord.declarations.schemas import (
    DeclarationIn,
    DeclarationOut,
    EmailIn,
    ImportOut,
    SignatoryList,
    SignatoryQuery,
    SignatureAccepted,
    SignatureIn,
    TextOut,
    TokenIn,
    TranslationIn,
)
from concord.declarations.services import lifecycle, resending, signing, withdrawal

router = Router(tags=["declarations"])

SLUG = re.compile(r"[-\w]{1,80}")


def visible_declaration(
    request: HttpRequest, slug: str, find=queries.declaration_for_page
) -> Declaration:
    """The declaration the caller may see, else 404 (a hidden one answers as a missing one)."""
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
    return visible_declaration(request, slug)


def _transition(request, slug: str, action):
    action(request.user, visible_declaration(request, slug))
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
        visible_declaration(request, slug),
        language=payload.language,
        title=payload.title,
        text=payload.text,
    )
    return Status(201, version)


def _acted_in(request: HttpRequest, asked: str = "") -> str:
    """The language an API client signs in, for the emails it causes: the one its submission
    asks for, if the site speaks it, else its Accept-Language (the API's paths carry none)."""
    return interface_language(asked) or translation.get_language_from_request(request)


@router.post(
    "/{slug}/signatures",
    response={202: SignatureAccepted, **errors(400, 403, 404, 409, 422, 429)},
    summary="Sign (public)",
)
def sign(request, slug: str, payload: SignatureIn):
    """Anyone may call this (eligibility rules apply). Every well-formed submission answers
    202 `pending`, whether the address is new, has signed already or may not sign: the email
    sent to the address says which (a confirmation link, "already signed", "open only to").
    A signed-in person signing with their own verified address is told the truth: 202
    `confirmed`, or 409 if they had signed. Rules about the signed-in person (members'
    representatives, an event's participants) answer 403 if they are not eligible and 422
    for an address not theirs. 409 if the declaration is not open; 429 (with Retry-After)
    once the client's network or the address has used its attempts. A submission sent again
    within a day, with the same content or the same `Idempotency-Key` header, is answered
    the same and recorded (and mailed) once."""
    limits.check("sign", request, address=payload.email)
    declaration = visible_declaration(request, slug, queries.declaration_for_signing)
    data = signing.SignatureInput(**payload.dict())
    context = signing.Context(
        user=current_user(request),
        ip=client_ip(request),
        source=Signature.Source.API,
        language=_acted_in(request, payload.language),
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(202, {"status": intake.accept(declaration, data, context)})


@router.post(
    "/{slug}/signatures/confirm",
    response={200: SignatureAccepted, **errors(400, 404, 409, 410, 422)},
    summary="Confirm a signature",
)
def confirm(request, slug: str, payload: TokenIn):
    """The token is the one in the emailed link."""
    # The copy kept a second is enough to find it: the confirmation reads its state again
    # in its transaction. Under a mailing's clicks the lookup was a quarter of the time.
    declaration = visible_declaration(request, slug, find=queries.declaration_for_signing)
    signature = signing.confirm_signature(declaration, payload.token)
    return {"status": signature.status}


@router.post(
    "/{slug}/signatures/resend",
    response={202: Detail, **errors(400, 404, 422, 429)},
    summary="Send the link again",
)
def resend(request, slug: str, payload: EmailIn):
    """Always 202, so the answer never tells whether an address has signed (429 once the
    network or the address has used its attempts)."""
    limits.check("resend", request, address=payload.email)
    resending.resend_confirmation(
        visible_declaration(request, slug), payload.email, _acted_in(request)
    )
    return Status(
        202, {"detail": "If this address has a pending signature, a new link is on its way."}
    )


@router.post(
    "/{slug}/signatures/withdraw",
    response={200: Detail, **errors(400, 404, 409, 422)},
    summary="Withdraw a signature",
)
def withdraw(request, slug: str, payload: TokenIn):
    """The token is the one in the emailed link. The signature is deleted and no longer
    counted; 409 once the declaration has closed (its count is final)."""
    withdrawal.withdraw_by_link(visible_declaration(request, slug), payload.token)
    return {"detail": "Your signature is withdrawn."}


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
    declaration = visible_declaration(request, slug)
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
        kept = cache.get(key)
        if kept is not None:
            return precompressed.answer(request, kept, "application/json")
    declaration = visible_declaration(request, slug)
    figures = queries.declaration_stats(declaration)
    body = exports.stats_json(declaration, figures)
    if declaration.status == Declaration.Status.DRAFT:
        return HttpResponse(body, content_type="application/json")
    # A crowd of watchers costs one database read per STATS_CACHE_SECONDS, and one compression:
    # the answer is kept, compressed, as long as its figures are fresh (the page does the same).
    keep = queries.fresh_for(figures)
    packed = precompressed.Body.of(body.encode()).shared_for(keep)
    if key is not None and keep:
        cache.set(key, packed, timeout=keep)
    return precompressed.answer(request, packed, "application/json")


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
    declaration = visible_declaration(request, slug)
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


PREPARING_SECONDS = 10


def _serve_file(request, slug: str, format: str) -> HttpResponse:
    """The export as its built file (export_files.py), or 503 while the first one is built."""
    declaration = visible_declaration(request, slug)
    opened = export_files.open_current(declaration, format)
    if opened is None:
        response = HttpResponse(
            json.dumps(
                {
                    "detail": "The list is being prepared; try again in a few seconds.",
                    "code": "being_prepared",
                }
            ),
            status=503,
            content_type="application/json",
        )
        response["Retry-After"] = str(PREPARING_SECONDS)
        return response
    built, content = opened
    response = FileResponse(content, content_type=export_files.CONTENT_TYPES[format])
    if format == SignatoryFile.Format.CSV:
        response["Content-Disposition"] = (
            f'attachment; filename="{declaration.slug}-signatories.csv"'
        )
    response["ETag"] = f'"{built.sha256}"'
    response["Last-Modified"] = http_date(built.built_at.timestamp())
    return response


FILE_ANSWERS = {
    503: {
        "description": "Being prepared (the first file is built in the background); see "
        "`Retry-After`"
    }
}


@router.get(
    "/{slug}/signatories.csv",
    response=errors(404),
    summary="Signatory list as CSV",
    openapi_extra={
        "responses": {
            **_body("text/csv", "The signatory list", {"type": "string"})["responses"],
            **FILE_ANSWERS,
        }
    },
)
def signatories_csv(request, slug: str):
    """Every counted signature, safe to open in a spreadsheet; where the signer hid their name
    the row keeps only the country and the day. A file rebuilt at most every few minutes
    while signatures change (`Last-Modified`, `ETag` = its SHA-256). After closing, the SHA-256
    of this file equals the declaration's `final_export_sha256`: it is the file that was
    fingerprinted."""
    return _serve_file(request, slug, SignatoryFile.Format.CSV)


@router.get(
    "/{slug}/signatories.json",
    response=errors(404),
    summary="Signatory list as JSON",
    openapi_extra={
        "responses": {
            **_body("application/json", "The signatory list", {"type": "object"})["responses"],
            **FILE_ANSWERS,
        }
    },
)
def signatories_json(request, slug: str):
    """The same list as the CSV, rebuilt on the same rhythm."""
    return _serve_file(request, slug, SignatoryFile.Format.JSON)
