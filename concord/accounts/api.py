"""Who calls the API: a personal token (`Authorization: Bearer cnc_...`) or the browser session."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

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


def current_user(request: HttpRequest):
    """The caller on a public endpoint: token holder, session user, or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            return user
    return getattr(request, "user", None) or AnonymousUser()
