"""Updates of an indicator: reporting, evidence, submission and review."""

from datetime import datetime

from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StrictBool

from concord.accounts.api import current_user, signed_in
from concord.core.api import Body, errors
from concord.results import permissions
from concord.results.api.lookups import (
    Amount,
    Id,
    period_or_404,
    plain,
    project_or_404,
    update_or_404,
)
from concord.results.models import Update
from concord.results.services import updates

router = Router()


class DisaggregationOut(Schema):
    dimension: str
    category: str
    value: str

    @staticmethod
    def resolve_value(obj) -> str:
        return plain(obj.value) or "0"


class UpdateOut(Schema):
    id: int
    period: int = Field(..., alias="period_id")
    value: str | None
    narrative: str
    status: str
    incomplete: bool
    author: int | None = Field(None, alias="author_id")
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str
    disaggregations: list[DisaggregationOut]

    @staticmethod
    def resolve_value(obj: Update) -> str | None:
        return plain(obj.value)

    @staticmethod
    def resolve_disaggregations(obj: Update) -> list:
        return list(obj.disaggregations.all())


class UpdateIn(Body):
    value: Amount | None = None
    narrative: str = Field("", max_length=5000)
    disaggregations: dict[str, dict[str, Amount]] = Field(
        {}, description='e.g. {"sex": {"female": 60, "male": 40}, "age": {"15-24": 100}}'
    )
    submit: StrictBool = False


class CommentIn(Body):
    comment: str = Field(..., min_length=1, max_length=3000)


@router.get(
    "/projects/{pk}/periods/{period_id}/updates",
    response={200: list[UpdateOut], **errors(404, 422)},
    summary="A period's updates",
)
def list_updates(request, pk: Id, period_id: Id):
    """Approved updates; the organisation's people and the secretariat see every update."""
    project = project_or_404(request, pk)
    found = period_or_404(project, period_id).updates.prefetch_related("disaggregations")
    if not permissions.can_see_unapproved(current_user(request), project):
        found = found.filter(status=Update.Status.APPROVED)
    return list(found)


@router.post(
    "/projects/{pk}/periods/{period_id}/updates",
    response={201: UpdateOut, **errors(400, 401, 403, 404, 422)},
    auth=signed_in,
    summary="Report an update",
)
def add_update(request, pk: Id, period_id: Id, payload: UpdateIn):
    """A draft, or submitted at once with `submit: true`. Disaggregations that do not add
    up to the value are kept, and the update is marked `incomplete`."""
    period = period_or_404(project_or_404(request, pk), period_id)
    data = payload.dict()
    data["disaggregations"] = {k: dict(v) for k, v in data["disaggregations"].items()}
    return Status(201, updates.save_update(request.user, period, data))


class EvidenceOut(Schema):
    name: str
    content_type: str
    size: int


class UpdateWithEvidenceOut(UpdateOut):
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Update) -> list:
        return list(obj.evidence.all())


REVIEW = {200: UpdateOut, **errors(400, 401, 403, 404, 409, 422)}


@router.post(
    "/projects/{pk}/updates/{update_id}/evidence",
    response={200: UpdateWithEvidenceOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=signed_in,
    summary="Attach evidence to an update",
)
def add_evidence(request, pk: Id, update_id: Id, file: File[UploadedFile]):
    """A PDF or an image (PNG, JPEG, WebP, GIF), checked by its content and size; images are
    stored re-encoded, without metadata. Only while the update is a draft or returned (409 once submitted)."""
    update = update_or_404(request, project_or_404(request, pk), update_id)
    return updates.add_evidence(request.user, update, [file])


@router.post("/projects/{pk}/updates/{update_id}/submit", response=REVIEW, auth=signed_in)
def submit_update(request, pk: Id, update_id: Id):
    """Send a draft (or returned) update to the organisation's admins; twice is refused (409)."""
    update = update_or_404(request, project_or_404(request, pk), update_id)
    return updates.submit_update(request.user, update)


@router.post("/projects/{pk}/updates/{update_id}/approve", response=REVIEW, auth=signed_in)
def approve_update(request, pk: Id, update_id: Id):
    """An admin of the organisation approves a submitted update (never their own: 403; one not
    submitted: 409): it counts toward the period's actual from now on."""
    update = update_or_404(request, project_or_404(request, pk), update_id)
    return updates.approve_update(request.user, update)


@router.post("/projects/{pk}/updates/{update_id}/return", response=REVIEW, auth=signed_in)
def return_update(request, pk: Id, update_id: Id, payload: CommentIn):
    """An admin sends a submitted update back with a comment (409 if it is not submitted)."""
    update = update_or_404(request, project_or_404(request, pk), update_id)
    return updates.return_update(request.user, update, payload.comment)
