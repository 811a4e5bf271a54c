"""The signing form for members' own sites: a small page other sites may frame.

A member puts `<iframe src="https://concord.example/fr/declarations/<slug>/embed/">` on its
own site. Inside another site's frame the browser sends no cookie (third-party cookies are
blocked), so this one route is built to need none and to set none:

- no CSRF cookie: the form carries a signed token instead (`core/csrf.py`, `form_token`),
  binding the declaration and the time it was shown; a POST without a fitting one is refused
  403 and records nothing;
- no session: the page and the signature act for nobody, even when a cookie does arrive (a
  browser that still sends them), so a forged POST can do only what anyone may do (ask for a
  confirmation email) and the answer is the same "check your email" whatever the address;
- the same form, rate limits, bot checks and service as `public.sign`; the answer is shown
  in the frame (the site's other pages refuse to be framed);
- one request, no stylesheet or script: the CSS is inline, allowed by its hash, and the page
  stays under 15 KB in every language (tests/declarations/test_embed.py).

Only here is framing allowed: `frame-ancestors *` and no X-Frame-Options.
"""

import base64
import hashlib

from csp.decorators import csp_replace, csp_update
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from concord.core import limits
from concord.core.csrf import form_token, form_token_fits
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.network import client_ip
from concord.declarations import queries
from concord.declarations.forms import SignForm
from concord.declarations.models import Declaration
from concord.declarations.services import signing, submissions
from concord.declarations.views.shared import direction, visible_or_404

TOKEN_SALT = "concord.declarations.embed"  # noqa: S105 - a signer's namespace, not a secret
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name
# Long enough to read the declaration and fill the form on a slow phone, short enough that a
# copied form goes stale.
TOKEN_SECONDS = 2 * 3600
VIA_MAX = 80

CSS = (
    "body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:.6em;color:#1b1b1b;"
    "background:#fff}h1{font-size:1.15em;margin:0 0 .3em}p{margin:.3em 0}"
    ".count{font-size:1.3em;font-weight:bold;color:#0b6e4f}"
    ".field{margin:.5em 0}label{display:block;font-weight:600}"
    "input[type=text],input[type=email],select{width:100%;box-sizing:border-box;"
    "padding:.4em;font:inherit;border:1px solid #767676;border-radius:3px}"
    ".inline label,fieldset label{display:inline;font-weight:normal}"
    "fieldset{border:0;padding:0;margin:.5em 0}legend{font-weight:600;padding:0}"
    ".help,.helptext{display:block;font-size:.85em;color:#555}"
    ".errorlist{color:#b00020;margin:.2em 0;padding:0 1em}"
    ".alert{border:2px solid #b00020;padding:.4em;margin:.5em 0}"
    "button{font:inherit;font-weight:bold;padding:.5em 1.2em;background:#0b6e4f;color:#fff;"
    "border:0;border-radius:3px}"
    ".hp{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);"
    "white-space:nowrap}"
)
CSS_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()}'"


def _via(request) -> str:
    """The member site the form was embedded on, passed through for attribution."""
    via = request.POST.get("via") if request.method == "POST" else request.GET.get("via")
    return (via or "")[:VIA_MAX]


def _render(request, declaration: Declaration, *, form=None, refusal=None, done=False, status=200):
    text = declaration.text_for("", translation.get_language())
    closed = ""
    try:
        signing.check_open(declaration)
    except Refused as why:
        closed = why.message
    if form is None and not closed and not done:
        form = _form(text.language)
    context = {
        "declaration": declaration,
        "text": text,
        "text_dir": direction(text.language),
        "stats": queries.declaration_stats(declaration),
        "closed": closed,
        "form": form,
        "refusal": refusal,
        "done": done,
        "token": form_token(TOKEN_SALT, declaration.slug),
        "via": _via(request),
        "css": mark_safe(CSS),  # noqa: S308 - a constant of this module
    }
    return render(request, "declarations/embed.html", context, status=status)


def _form(language: str, data=None) -> SignForm:
    # Never the visitor's account: the frame acts for nobody (see the module's docstring).
    return SignForm(data, initial={"language": language})


@csp_replace({"frame-ancestors": ["*"]})
@csp_update({"style-src": [CSS_HASH]})
@xframe_options_exempt
@csrf_exempt  # the signed form token does CSRF's job here, without a cookie
@require_http_methods(["GET", "HEAD", "POST"])
def embed(request, slug: str):
    declaration = visible_or_404(request, slug)
    if request.method != "POST":
        return _render(request, declaration)
    form = _form(request.POST.get("language", ""), request.POST)
    if not form_token_fits(
        request.POST.get(TOKEN_FIELD, ""), TOKEN_SALT, declaration.slug, TOKEN_SECONDS
    ):
        stale = Refused(
            _("This form has expired. Please check your details and send it again."), status=403
        )
        return _render(request, declaration, form=form, refusal=stale, status=403)
    try:  # before any work: each attempt may mail the address typed in
        limits.check("sign", request, address=request.POST.get("email", ""))
    except limits.TooMany as refusal:
        return _render(request, declaration, form=form, refusal=refusal, status=refusal.status)
    if not form.is_valid():
        return _render(request, declaration, form=form, status=422)
    context = signing.Context(
        user=None,  # nobody: see the module docstring
        ip=client_ip(request),
        started_at=form.started_at(),
        honeypot=form.cleaned_data["website"],
        language=translation.get_language(),
    )
    try:
        submissions.submit(declaration, form.signature_input(), context)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render(request, declaration, form=form, status=422)
    except Refused as refusal:
        return _render(request, declaration, form=form, refusal=refusal, status=refusal.status)
    # Acting for nobody, every accepted submission is "pending": the same answer for all.
    return _render(request, declaration, done=True)
