"""Mailings API: audiences, create a mailing, preview its counts, test, schedule or send,
pause and resume, and its progress. Thin: the same services as the pages; refusals map to
their status in api/api.py (403 not allowed, 409 wrong state or a large audience to confirm,
422 invalid input or an empty audience, 429 too many)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from concord.accounts.api import signed_in
from concord.core import limits
from concord.core.api import Body, RowId, errors
from concord.mailings import permissions, queries
from concord.mailings.models import BODY_MAX, SUBJECT_MAX, Audience, Mailing
from concord.mailings.services import composing, sending
from concord.organisations.permissions import is_secretariat

router = Router(tags=["mailings"])


class AudienceIn(Body):
    name: str = Field(..., max_length=120, examples=["Members in SIDS"])
    kind: Audience.Kind
    countries: list[str] = []
    regions: list[str] = []
    groups: list[str] = Field([], examples=[["sids"]])
    themes: list[str] = []
    sdgs: list[StrictInt] = []
    role: str = Field("all", description="`all` representatives or `admins` only")
    declaration: RowId | None = Field(None, description="signatories who asked to be kept informed")
    event: RowId | None = None
    statuses: list[str] = Field([], description="registration statuses (default: confirmed)")


class AudienceOut(Schema):
    id: int
    name: str
    kind: str
    filters: dict


class TextIn(Body):
    language: str = Field(..., max_length=10, examples=["en"])
    subject: str = Field(..., max_length=SUBJECT_MAX)
    body: str = Field(..., max_length=BODY_MAX, description="Markdown; no HTML, no remote images")


class MailingIn(Body):
    texts: list[TextIn]
    sender_name: str = Field(..., max_length=100)
    original_language: str = Field(..., max_length=10)
    reply_to: str = Field("", max_length=254)
    topic: Mailing.Topic = Mailing.Topic.NEWS
    public: StrictBool = False
    audiences: list[RowId] = []


class MailingOut(Schema):
    id: int
    status: str
    topic: str
    original_language: str
    languages: list[str]
    audiences: list[int]
    send_at: datetime | None
    queued: int
    sent: int
    waiting: int
    refused: int


class PreviewOut(Schema):
    total: int
    by_language: dict[str, int]
    by_country: dict[str, int]
    bouncing: int
    unsubscribed: int


class ScheduleIn(Body):
    send_at: datetime | None = Field(None, description="omit to send now")
    confirm: StrictBool = Field(False, description="required above the audience cap")


class TestOut(Schema):
    sent: int


def _out(mailing: Mailing) -> dict:
    progress = sending.progress(mailing)
    return {
        "id": mailing.pk,
        "status": mailing.status,
        "topic": mailing.topic,
        "original_language": mailing.original_language,
        "languages": [text.language for text in mailing.texts.all()],
        "audiences": list(mailing.audiences.values_list("pk", flat=True)),
        "send_at": mailing.send_at,
        "queued": mailing.queued,
        "sent": progress["sent"],
        "waiting": progress["waiting"],
        "refused": progress["refused"],
    }


def _preview(counts: sending.Preview) -> dict:
    return {
        "total": counts.total,
        "by_language": dict(counts.by_language),
        "by_country": dict(counts.by_country),
        "bouncing": counts.bouncing,
        "unsubscribed": counts.unsubscribed,
    }


def _managed(request, mailing_id: int) -> Mailing:
    mailing = get_object_or_404(Mailing, pk=mailing_id)
    if not permissions.can_manage(request.user, mailing):
        raise PermissionDenied
    return mailing


def _organisation(user) -> int | None:
    if is_secretariat(user):
        return None
    organisations = permissions.admin_organisations(user)
    return organisations[0].pk if organisations else None


@router.get(
    "/mailings/audiences",
    response={200: list[AudienceOut], **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="The audiences the caller may send to",
)
def list_audiences(request: HttpRequest):
    if not permissions.can_write_mailings(request.user):
        raise PermissionDenied
    return queries.audiences_for(request.user)


@router.post(
    "/mailings/audiences",
    response={201: AudienceOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Save an audience",
)
def create_audience(request: HttpRequest, payload: AudienceIn):
    if not permissions.can_write_mailings(request.user):
        raise PermissionDenied
    audience = composing.save_audience(
        request.user,
        composing.AudienceInput(**payload.dict(), organisation=_organisation(request.user)),
    )
    return Status(201, audience)


@router.post(
    "/mailings",
    response={201: MailingOut, **errors(400, 401, 403, 422)},
    auth=signed_in,
    summary="Create a mailing (a draft)",
)
def create_mailing(request: HttpRequest, payload: MailingIn):
    data = payload.dict()
    texts = [composing.Text(**text) for text in data.pop("texts")]
    mailing = composing.save_mailing(
        request.user,
        composing.MailingInput(texts=texts, organisation=_organisation(request.user), **data),
    )
    return Status(201, _out(mailing))


@router.get(
    "/mailings/{mailing_id}",
    response={200: MailingOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="A mailing's status and progress",
)
def mailing_status(request: HttpRequest, mailing_id: int):
    return _out(_managed(request, mailing_id))


@router.get(
    "/mailings/{mailing_id}/preview",
    response={200: PreviewOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="How many readers get which version, from which countries",
)
def preview_mailing(request: HttpRequest, mailing_id: int):
    return _preview(sending.preview(_managed(request, mailing_id)))


@router.post(
    "/mailings/{mailing_id}/test",
    response={200: TestOut, **errors(400, 401, 403, 404, 422, 429)},
    auth=signed_in,
    summary="Send each version to the caller",
)
def test_mailing(request: HttpRequest, mailing_id: int):
    mailing = _managed(request, mailing_id)
    limits.check("mailing-test", request, address=getattr(request.user, "email", ""))
    return {"sent": sending.send_test(request.user, mailing)}


@router.post(
    "/mailings/{mailing_id}/schedule",
    response={200: MailingOut, **errors(400, 401, 403, 404, 409, 422, 429)},
    auth=signed_in,
    summary="Send now, or at a time",
)
def schedule_mailing(request: HttpRequest, mailing_id: int, payload: ScheduleIn):
    mailing = _managed(request, mailing_id)
    limits.check("mailing-send", request)
    sending.send(request.user, mailing, at=payload.send_at, confirmed=payload.confirm)
    mailing.refresh_from_db()
    return _out(mailing)


@router.post(
    "/mailings/{mailing_id}/pause",
    response={200: MailingOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Pause a mailing",
)
def pause_mailing(request: HttpRequest, mailing_id: int):
    return _out(sending.pause(request.user, _managed(request, mailing_id)))


@router.post(
    "/mailings/{mailing_id}/resume",
    response={200: MailingOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Resume a paused mailing",
)
def resume_mailing(request: HttpRequest, mailing_id: int):
    return _out(sending.resume(request.user, _managed(request, mailing_id)))
