"""The public pages: the list, an event, its public participants, the calendars, and the
visitor's choice of time zone (otherwise the pages show venue time and UTC)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.errors import Refused
from concord.countries.names import localised_name
from concord.events import documents, permissions, queries
from concord.events.forms import TimeZoneForm
from concord.events.services.registration import check_window
from concord.events.views.shared import TZ_SESSION_KEY, event_or_404, visitor_zone


def event_list(request):
    return render(
        request,
        "events/list.html",
        {
            "upcoming": list(queries.upcoming()),
            "past": list(queries.past()[:20]),
            "can_create": permissions.can_create_events(request.user),
            "visitor_zone": visitor_zone(request),
        },
    )


def detail(request, slug: str):
    event = event_or_404(slug)
    registration = queries.registration_of(request.user, event)
    stats = queries.event_stats(event)
    try:
        check_window(event)
    except Refused as refusal:
        closed = refusal.message
    else:
        closed = ""
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "closed": closed,
            "registration": registration,
            "stats": stats,
            "country": localised_name(event.country_id) if event.country_id else "",
            "can_manage": permissions.can_manage(request.user, event),
            "show_link": permissions.can_see_online_link(request.user, event),
            "visitor_zone": visitor_zone(request),
            "zone_form": TimeZoneForm(
                initial={"time_zone": visitor_zone(request), "next": request.get_full_path()},
                venue_zone=event.time_zone,
            ),
            "outcomes": [
                (outcome.declaration, _outcome_title(outcome.declaration))
                for outcome in event.outcomes.all()
                if outcome.declaration.texts_frozen
            ],
        },
    )


def _outcome_title(declaration) -> str:
    """The title in the reader's language, by the declarations app's one rule for it."""
    text = declaration.text_for(translation.get_language())
    return text.title if text is not None else declaration.slug


@require_POST
def set_time_zone(request):
    form = TimeZoneForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    if form.is_valid():
        request.session[TZ_SESSION_KEY] = form.cleaned_data["time_zone"]
    return redirect(target or "/")


def participants(request, slug: str):
    event = event_or_404(slug)
    listed = list(queries.public_participants(event))
    stats = queries.event_stats(event)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": [(r, localised_name(r.country_id)) for r in listed],
            "stats": stats,
            "by_country": [(localised_name(code), n) for code, n in stats.by_country],
        },
    )


def ics(request, slug: str):
    event = event_or_404(slug)
    response = HttpResponse(
        documents.calendar([event]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def feed(request):
    response = HttpResponse(
        documents.calendar(queries.upcoming(), name=_("Upcoming events")),
        content_type="text/calendar; charset=utf-8",
    )
    return response
