"""Answer 503 (try again shortly), not 500, while the database is away.

A PostgreSQL restart, a failover or SQLite's write lock held past the busy timeout make a view
raise OperationalError or InterfaceError. That is the service being briefly unavailable, not a
bug: clients (and the API's programs) should retry after a pause, so the answer is 503 with
`Retry-After`, JSON `{"detail": ...}` under /api/ and plain text elsewhere.

The broken connection is closed here, so the next request opens a fresh one instead of failing
on the dead socket; with CONN_HEALTH_CHECKS (on for PostgreSQL) Django also checks a persistent
connection before the first query of each request.

Only exceptions raised by a view reach `process_exception`. Under /api/, django-ninja passes
unhandled exceptions on only when DEBUG is off (with DEBUG on it answers 500 with the
traceback itself).
"""

import json
import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from concord.core.limits import TooMany

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# allauth's limits do not tell how long they last; its shortest windows are a minute.
DEFAULT_RETRY_AFTER = 60
MESSAGE = "The service is briefly unavailable (database unreachable). Please try again shortly."


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "Database unavailable on %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        _close_broken_connections()
        return unavailable(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer; also given by the 500 handler for outages raised outside a view."""
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"detail": MESSAGE}), status=503, content_type="application/json"
        )
    else:
        response = HttpResponse(MESSAGE + "\n", status=503, content_type="text/plain")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(request: HttpRequest, message: str = "") -> HttpResponse:
    """The 429 answer: the site's page with `Retry-After`, the limit's own wait when
    `core.limits` refused (kept on the request), else a minute."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(getattr(request, "retry_after", DEFAULT_RETRY_AFTER))
    return response


def _close_broken_connections() -> None:
    """Close connections that failed (Django marks them with errors_occurred), so the next
    request reconnects. A connection that still answers (SQLite after "database is locked")
    is kept, and so is one inside a transaction opened outside the view (its owner decides)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        try:
            connection.close_if_unusable_or_obsolete()
        except Exception:
            logger.exception("Could not close the database connection %s", connection.alias)


class RateLimitMiddleware:
    """A `core.limits.TooMany` no view caught becomes the 429 page; a view that shows the
    refusal in its own page (status 429) still gets the limit's `Retry-After`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(getattr(request, "retry_after", DEFAULT_RETRY_AFTER))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TooMany):
            request.retry_after = exception.retry_after  # type: ignore[attr-defined]
            return rate_limited(request, exception.message)
        return None
