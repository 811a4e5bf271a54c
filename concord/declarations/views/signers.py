"""A signer's own pages: withdrawing a signature by the emailed link, and "my signatures" for
a signed-in person (withdraw while open, hide the name after closing). Only the button's POST
changes anything: mail scanners open links with GET."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concord.core.errors import Refused
from concord.declarations import queries
from concord.declarations.services import withdrawal
from concord.declarations.views.shared import reader_text, visible_or_404


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, slug: str, token: str):
    declaration = visible_or_404(request, slug)
    context = {"declaration": declaration, "text": reader_text(declaration)}
    try:
        withdrawal.signature_for_link(declaration, token)
        if not withdrawal.can_still_withdraw(declaration):
            context["closed"] = True
        elif request.method == "POST":
            withdrawal.withdraw_by_link(declaration, token)
            context["withdrawn"] = True
    except Refused as refusal:
        context["refusal"] = refusal
        return render(request, "declarations/withdraw.html", context, status=refusal.status)
    return render(request, "declarations/withdraw.html", context)


@login_required
def mine(request):
    rows = [
        {
            "signature": signature,
            "text": reader_text(signature.declaration),
            "open": withdrawal.can_still_withdraw(signature.declaration),
        }
        for signature in queries.signatures_of(request.user)
    ]
    return render(request, "declarations/mine.html", {"rows": rows})


@login_required
@require_POST
def withdraw_mine(request, pk: int):
    try:
        withdrawal.withdraw_mine(request.user, pk)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("declarations:mine")
    messages.success(request, _("Your signature is withdrawn: it is no longer counted."))
    return redirect("declarations:mine")


@login_required
@require_POST
def hide_name(request, pk: int):
    try:
        withdrawal.hide_name(request.user, pk)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("declarations:mine")
    messages.success(request, _("Your name is no longer shown in the public list."))
    return redirect("declarations:mine")
