"""Kiosk signing on a tablet at the venue (services/kiosk.py): the form is blank on every
visit and after each signature, and shows nothing of the previous signer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from concord.core import limits
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.network import client_ip
from concord.declarations.forms import SignForm
from concord.declarations.models import Signature
from concord.declarations.services import kiosk, submissions
from concord.declarations.services import signing as signatures
from concord.declarations.views.shared import direction, reader_text, visible_or_404


@require_POST
@login_required
def open_kiosk(request, slug: str):
    declaration = visible_or_404(request, slug)
    try:
        token = kiosk.open_kiosk(request.user, declaration)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("declarations:manage", declaration.slug)
    return redirect("declarations:kiosk", slug=declaration.slug, token=token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_page(request, slug: str, token: str):
    declaration = visible_or_404(request, slug)
    text = reader_text(declaration)
    assert text is not None  # every declaration keeps its original text
    page = {"declaration": declaration, "text": text, "text_dir": direction(text.language)}
    try:
        kiosk.check_kiosk(declaration, token)
    except Refused as closed:  # expired (410) or not a kiosk link (400)
        context = {**page, "refusal": closed}
        return render(request, "declarations/kiosk.html", context, status=closed.status)
    language = translation.get_language()
    form = SignForm(request.POST or None, organisations=(), initial={"language": language})
    status = 200
    refused: Refused | None = None
    if request.method == "POST":
        status = 422
        try:
            limits.check("sign", request, address=request.POST.get("email", ""))
            if form.is_valid():
                context = signatures.Context(
                    user=None,  # the tablet's signer, never the organiser who opened it
                    ip=client_ip(request),
                    started_at=form.started_at(),
                    honeypot=form.cleaned_data["website"],
                    language=language,
                    source=Signature.Source.KIOSK,
                )
                submissions.submit(declaration, form.signature_input(), context)
                return redirect(reverse("declarations:kiosk", args=[slug, token]) + "?signed=1")
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as raised:
            refused, status = raised, raised.status
    return render(
        request,
        "declarations/kiosk.html",
        {
            **page,
            "form": form,
            "refusal": refused,
            "kiosk_action": request.path,
            "signed": request.method == "GET" and request.GET.get("signed") == "1",
        },
        status=status,
    )
