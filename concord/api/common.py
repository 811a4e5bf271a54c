"""What every API router shares: authentication, pagination and error shapes."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
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


class Detail(Schema):
    detail: Any


class CountNextPrevious(PaginationBase):
    """Lists answer `{"count", "next", "previous", "results"}`, paged by `?page=`."""

    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int | None = Field(None, ge=1, le=500)

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def __init__(self, page_size: int | None = None, **kwargs):
        self.page_size = page_size or settings.PAGE_SIZE
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: Input, **params):
        request: HttpRequest = params["request"]
        size = pagination.page_size or self.page_size
        offset = (pagination.page - 1) * size
        count = queryset.count() if hasattr(queryset, "count") else len(queryset)
        results = list(queryset[offset : offset + size])

        def link(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "next": link(pagination.page + 1) if offset + size < count else None,
            "previous": link(pagination.page - 1) if pagination.page > 1 else None,
            "results": results,
        }
