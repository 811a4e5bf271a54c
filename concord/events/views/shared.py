"""What the event pages share: finding the event, the visitor's time zone, PDF answers."""

from zoneinfo import available_timezones

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from concord.events import permissions, queries
from concord.events.models import Event
from concord.organisations.models import Organisation
from concord.organisations.queries import organisations_of

TZ_SESSION_KEY = "events_time_zone"
TZ_COOKIE = "concord_tz"


def visitor_zone(request) -> str:
    """The zone the visitor chose (session), else the one their browser reported (cookie)."""
    zones = available_timezones()
    for candidate in (request.session.get(TZ_SESSION_KEY, ""), request.COOKIES.get(TZ_COOKIE, "")):
        if candidate in zones:
            return candidate
    return ""


def event_or_404(slug: str) -> Event:
    event = queries.event_for_page(slug)
    if event is None:
        raise Http404
    return event


def managed_event(request, slug: str) -> Event:
    event = event_or_404(slug)
    if not permissions.can_manage(request.user, event):
        raise PermissionDenied
    return event


def member_organisations(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_of(user).filter(status=Organisation.Status.MEMBER)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
