import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.views import defaults
from django.views.decorators.cache import never_cache

from concord.core import files
from concord.core.middleware import rate_limited, unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    """500 handler: a database outage raised outside a view (e.g. by a middleware) is still
    a 503 with Retry-After; anything else is Django's plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return unavailable(request)
    return defaults.server_error(request)


@never_cache
def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429 handler, also allauth's (see `middleware.rate_limited`)."""
    return rate_limited(request, getattr(exception, "message", ""))


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for load balancers and probes)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Every user file, through the owning app's check (`core/files.py`)."""
    return files.serve(request, path)
