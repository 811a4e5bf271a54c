"""CSRF protection where there is something to protect: a session.

A forged cross-site POST borrows the victim's session; a request without one acts for nobody,
so it can do only what anyone may do straight away (ask for a confirmation email, choose the
language of their own pages). Views wrapped here check the CSRF token when the request
carries a session cookie or a signed-in user, and skip it otherwise, so a page cached for
anonymous visitors needs no per-visitor token in its forms.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


def has_session(request: HttpRequest) -> bool:
    """Whether the request speaks for someone: a session cookie, or a signed-in user."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def csrf_for_sessions(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    protected = csrf_protect(view)

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if has_session(request):
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    # The middleware skips the view; `checked` runs the same check itself when it matters.
    return csrf_exempt(checked)


# --- Pages framed by other sites ------------------------------------------------------------
# A form inside another site's iframe gets no cookie (browsers block third-party cookies), so
# it cannot carry Django's CSRF token. Such a form acts for nobody (its view ignores any
# session), which leaves CSRF nothing to protect; what the signed token still does is prove
# the POST follows a form this site served for the same object a short while ago, so a
# script cannot post to it blind or replay an old copy for ever.


def form_token(salt: str, scope: str) -> str:
    """A token binding `scope` (e.g. a declaration's slug) to the time it was made."""
    return signing.TimestampSigner(salt=salt).sign(scope)


def form_token_fits(token: str, salt: str, scope: str, max_age: float) -> bool:
    """Whether `token` was made here for `scope` less than `max_age` seconds ago."""
    try:
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age) == scope
    except signing.BadSignature:  # forged, or SignatureExpired
        return False
