"""Check-in without network, for the check-in page's script (static/events/checkin_offline.js):
download a kit, revoke the kits, send back what was scanned offline. The door's form works
without any of it."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord.core.errors import Refused
from concord.core.numbers import figure
from concord.events.services import offline_checkin
from concord.events.views.shared import event_or_404


@require_POST
@login_required
def checkin_kit(request, slug: str):
    """A new kit for this phone (organisers only), as JSON."""
    event = event_or_404(slug)
    kit = offline_checkin.issue_kit(request.user, event)
    response = JsonResponse(offline_checkin.kit_contents(kit))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def checkin_kit_revoke(request, slug: str):
    event = event_or_404(slug)
    revoked = offline_checkin.revoke_kits(request.user, event)
    messages.success(
        request,
        ngettext(
            "%(count)s check-in kit revoked: its scans are no longer accepted.",
            "%(count)s check-in kits revoked: their scans are no longer accepted.",
            revoked,
        )
        % {"count": figure(revoked)},
    )
    return redirect("events:checkin", slug=event.slug)


@require_POST
@login_required
def checkin_sync(request, slug: str):
    """`{"kit": id, "device": "...", "scans": [{"id", "code", "door", "at"}]}` ->
    `{"results": [{"id", "outcome", "detail"?}]}`; 422 for a malformed batch, 409 for a
    revoked kit."""
    event = event_or_404(slug)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"detail": "The body must be a JSON object."}, status=422)
    try:
        results = offline_checkin.sync_scans(
            request.user, event, body.get("kit"), str(body.get("device", "")), body.get("scans")
        )
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=422)
    except Refused as refusal:
        return JsonResponse(
            {"detail": refusal.message, "code": refusal.code}, status=refusal.status
        )
    return JsonResponse({"results": results})
