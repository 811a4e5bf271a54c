"""The transparency log's pages: the log of a declaration (its key, heads and downloads), the
verification page a signer drops a receipt on, the receipt link from the email, and the
standalone verifier to download."""

import json
from datetime import datetime
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from concord.core import limits
from concord.declarations.log import checking, keys, receipts, verifier
from concord.declarations.log import queries as log
from concord.declarations.views.shared import reader_text, visible_or_404

# Each check the verifier makes, in the reader's language (the verifier's own words are
# English, for anyone running it by hand).
PROBLEMS = {
    "other_declaration": _("This receipt is for another declaration."),
    "receipt_declaration": _("This receipt is for another declaration."),
    "malformed_receipt": _("This is not a complete receipt: a part of it is missing or damaged."),
    "receipt_malformed": _("This is not a complete receipt: a part of it is missing or damaged."),
    "head_signature": _(
        "The signature on the receipt's tree head is not the platform's: the head was altered "
        "or forged."
    ),
    "receipt_index": _("The receipt's entry was altered: it does not say the place it is at."),
    "receipt_inclusion": _(
        "The receipt's proof does not lead from your entry to the head's root: the entry or "
        "the proof was altered."
    ),
    "unknown_head": _("The receipt's tree head is not one this declaration's log published."),
    "not_in_newest": _(
        "The log as published now does not hold your entry where the receipt says: it was "
        "changed after your receipt was made."
    ),
}
UNDONE = {
    "withdrawn": _("The signature was withdrawn since, so it no longer counts."),
    "invalidated": _("The signature was invalidated since, so it no longer counts."),
}
VERIFIER_FILE = Path(verifier.__file__)


def _moment(head: dict | None) -> datetime | None:
    try:
        return datetime.fromisoformat(str((head or {})["time"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None


def _problem_text(problem) -> str:
    return str(PROBLEMS.get(problem.code) or problem.message())


def log_page(request, slug: str):
    declaration = visible_or_404(request, slug)
    return render(
        request,
        "declarations/log.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "heads": [
                {**head, "made_at": _moment(head)} for head in reversed(log.heads(declaration))
            ],
            "public_key": keys.public_key(),
            "api": f"/api/v1/declarations/{declaration.slug}",
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request, slug: str):
    declaration = visible_or_404(request, slug)
    context: dict = {"declaration": declaration, "text": reader_text(declaration)}
    status = 200
    if request.method == "POST":
        try:
            limits.check("receipt-check", request)
        except limits.TooMany as refusal:
            context["error"] = refusal.message
            return render(request, "declarations/verify.html", context, status=refusal.status)
        upload = request.FILES.get("receipt_file")
        raw = upload.read(checking.MAX_RECEIPT_BYTES + 1) if upload else b""
        receipt = checking.parse(raw or request.POST.get("receipt", "").encode())
        if receipt is None:
            context["error"] = _("Choose your receipt file or paste the receipt from your email.")
            status = 422
        else:
            context.update(_result(declaration, receipt))
            status = 200 if context["checked"].ok else 422
    return render(request, "declarations/verify.html", context, status=status)


def _result(declaration, receipt: dict) -> dict:
    checked = checking.check(declaration, receipt)
    return {
        "checked": checked,
        "problems": [_problem_text(problem) for problem in checked.problems],
        "undone": UNDONE.get(checked.undone_by, ""),
        "signatures": (checked.head or {}).get("statistics", {}).get("signatures"),
        "head_time": _moment(checked.head),
        "newest": checked.newest,
        "newest_time": _moment(checked.newest),
    }


def receipt_page(request, slug: str, token: str):
    """The link in the receipt email: the receipt checked against the newest head, and
    (?download=1) the receipt again as a file, its proof against the newest head."""
    declaration = visible_or_404(request, slug)
    entry = receipts.entry_for_token(token)
    if entry is None or entry.declaration_id != declaration.pk:
        raise Http404
    receipt = log.receipt_now(entry)
    if receipt is None:
        raise Http404
    if request.GET.get("download"):
        response = HttpResponse(
            json.dumps(receipt, indent=1), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="receipt-{declaration.slug}-{entry.index}.json"'
        )
        return response
    context = {"declaration": declaration, "text": reader_text(declaration), "token": token}
    context.update(_result(declaration, receipt))
    return render(request, "declarations/verify.html", context)


def verifier_file(request):
    response = HttpResponse(VERIFIER_FILE.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verifier.py"'
    return response
