"""Who calls the API: a personal token (`Authorization: Bearer cnc_...`) or the browser session."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth
from ninja.utils import check_csrf

from concord.accounts.queries import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer cnc_...`: a personal API token from the account page."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class StaffBearerToken(BearerToken):
    def authenticate(self, request: HttpRequest, token: str):
        user = super().authenticate(request, token)
        return user if user is not None and user.is_staff else None


# Endpoints that need a person accept a token, or the browser session (with CSRF).
signed_in = [BearerToken(), django_auth]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def current_user(request: HttpRequest):
    """The caller on a public endpoint: token holder, session user, or anonymous.

    A browser sends the session cookie with any request, even one a page on another site
    makes it send; so on an unsafe method the session counts only with a valid CSRF token
    (checked by Django's own `CsrfViewMiddleware`, as `django_auth` does), and without one
    the caller is anonymous.
    """
    # From META: `request.headers` copies every header into a new mapping on first use.
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return AnonymousUser()
    if request.method not in SAFE_METHODS and check_csrf(request) is not None:
        return AnonymousUser()
    return user
