"""Pages for events: thin views that parse input, call a service or query, render.

Everything works without JavaScript: registering, cancelling, checking in by typing the
badge code. Two small static scripts add what a browser can do: note the visitor's time zone
(otherwise the pages show venue time and UTC), and scan a badge with the camera where the
browser has a BarcodeDetector.
"""

import csv
from zoneinfo import available_timezones

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord.core.csv import spreadsheet_safe
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.countries.names import localised_name
from concord.events import documents, permissions, queries, services
from concord.events.forms import (
    CheckInForm,
    EventForm,
    MessageForm,
    QuestionForm,
    RegistrationFilterForm,
    RegistrationForm,
    SessionForm,
    TimeZoneForm,
)
from concord.events.models import Event, Registration
from concord.organisations.models import Organisation
from concord.organisations.queries import organisations_of

TZ_SESSION_KEY = "events_time_zone"
TZ_COOKIE = "concord_tz"
PAGE_SIZE = 50


def visitor_zone(request) -> str:
    """The zone the visitor chose (session), else the one their browser reported (cookie)."""
    zones = available_timezones()
    for candidate in (request.session.get(TZ_SESSION_KEY, ""), request.COOKIES.get(TZ_COOKIE, "")):
        if candidate in zones:
            return candidate
    return ""


def _event(slug: str) -> Event:
    event = queries.event_for_page(slug)
    if event is None:
        raise Http404
    return event


def _managed(request, slug: str) -> Event:
    event = _event(slug)
    if not permissions.can_manage(request.user, event):
        raise PermissionDenied
    return event


def _member_organisations(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return organisations_of(user).filter(status=Organisation.Status.MEMBER)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Public pages ------------------------------------------------------------------------------


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
    event = _event(slug)
    registration = queries.registration_of(request.user, event)
    stats = queries.event_stats(event)
    try:
        services.check_window(event)
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
                initial={"time_zone": visitor_zone(request), "next": request.get_full_path()}
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
    event = _event(slug)
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


# --- Creating and managing ---------------------------------------------------------------------


def _event_input(data: dict, slug: str) -> services.EventInput:
    return services.EventInput(
        slug=slug,
        title=data["title"],
        kind=data["kind"],
        format=data["format"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        time_zone=data["time_zone"],
        description=data["description"],
        venue=data["venue"],
        city=data["city"],
        country=data["country"],
        online_link=data["online_link"],
        languages=data["languages"],
        capacity=data["capacity"],
        registration_opens_at=data["registration_opens_at"],
        registration_closes_at=data["registration_closes_at"],
        approval=data["approval"],
        organisation_ids=[int(pk) for pk in data["organisations"]],
    )


@login_required
def create(request):
    if not permissions.can_create_events(request.user):
        raise PermissionDenied
    organisations = list(_member_organisations(request.user))
    form = EventForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                request.user, _event_input(form.cleaned_data, form.cleaned_data["slug"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created. Add its programme below."))
            return redirect("events:manage", event.slug)
    return render(request, "events/create.html", {"form": form})


def _local(moment, zone):
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


@login_required
def edit(request, slug: str):
    """Change the event; confirmed participants are emailed when its time or place changes."""
    event = _managed(request, slug)
    organisations = {o.pk: o for o in _member_organisations(request.user)}
    organisations.update({o.pk: o for o in event.organisations.all()})
    initial = {
        "slug": event.slug,
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "format": event.format,
        "time_zone": event.time_zone,
        "starts_at": _local(event.starts_at, event.zone),
        "ends_at": _local(event.ends_at, event.zone),
        "venue": event.venue,
        "city": event.city,
        "country": event.country_id or "",
        "online_link": event.online_link,
        "languages": event.languages,
        "capacity": event.capacity,
        "registration_opens_at": _local(event.registration_opens_at, event.zone),
        "registration_closes_at": _local(event.registration_closes_at, event.zone),
        "approval": event.approval,
        "organisations": [str(o.pk) for o in event.organisations.all()],
    }
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["slug"] = event.slug  # the address does not change
    form = EventForm(data, organisations=organisations.values(), initial=initial)
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, _event_input(form.cleaned_data, event.slug))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:manage", event.slug)
    return render(request, "events/edit.html", {"form": form, "event": event})


@login_required
def manage(request, slug: str):
    event = _managed(request, slug)
    action = request.POST.get("action", "")
    session_form = SessionForm(request.POST if action == "session" else None, prefix="session")
    question_form = QuestionForm(request.POST if action == "question" else None, prefix="question")
    if request.method == "POST":
        try:
            done = _manage_action(request, event, action, session_form, question_form)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            if done:
                messages.success(request, done)
                return redirect("events:manage", event.slug)
        event = _event(slug)
    stats = queries.event_stats(event)
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "stats": stats,
            "session_form": session_form,
            "question_form": question_form,
            "pending": event.registrations.filter(status=Registration.Status.PENDING),
        },
    )


def _manage_action(request, event, action, session_form, question_form) -> str:
    user = request.user
    try:
        if action == "session" and session_form.is_valid():
            data = session_form.cleaned_data
            services.add_session(
                user,
                event,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                link=data["link"],
                speakers=data["speakers"],
                organisation_ids=[o.pk for o in data["speaker_organisations"]],
                topic_ids=[t.pk for t in data["topics"]],
            )
            return _("The session was added to the programme.")
        if action == "question" and question_form.is_valid():
            data = question_form.cleaned_data
            services.add_question(
                user,
                event,
                label=data["label"],
                kind=data["kind"],
                choices=data["choices"].splitlines(),
                required=data["required"],
            )
            return _("The question was added to the registration form.")
        if action in ("approve", "decline"):
            registration = get_object_or_404(
                Registration, pk=request.POST.get("registration"), event=event
            )
            services.decide_registration(user, registration, approve=action == "approve")
            return (
                _("The registration was approved.")
                if action == "approve"
                else _("The registration was declined.")
            )
    except ValidationError as error:
        form = {"session": session_form, "question": question_form}.get(action)
        if form is not None:
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
    return ""


# --- Registration --------------------------------------------------------------------------------


@login_required
def register(request, slug: str):
    event = _event(slug)
    existing = queries.registration_of(request.user, event)
    if existing is not None and existing.status not in (
        Registration.Status.CANCELLED,
        Registration.Status.DECLINED,
    ):
        return redirect("events:registration", event.slug)
    organisations = list(_member_organisations(request.user))
    form = RegistrationForm(request.POST or None, event=event, organisations=organisations)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                request.user,
                event,
                services.RegistrationInput(
                    country=form.cleaned_data["country"],
                    organisation_id=form.cleaned_data["organisation"],
                    answers=form.answers(),
                    listed=form.cleaned_data["listed"],
                    language=translation.get_language(),
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            status = 422
        except Refused as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _status_message(registration))
            return redirect("events:registration", event.slug)
    elif request.method == "POST":
        status = 422
    return render(request, "events/register.html", {"event": event, "form": form}, status=status)


def _status_message(registration: Registration) -> str:
    return {
        Registration.Status.CONFIRMED: _("You are registered. A confirmation is on its way."),
        Registration.Status.WAITING: _(
            "The event is full: you are on the waiting list. We will email you if a seat frees up."
        ),
        Registration.Status.PENDING: _(
            "Your registration awaits the organisers' approval. We will email you."
        ),
    }.get(registration.status, registration.get_status_display())


@login_required
def registration(request, slug: str):
    """The participant's own registration: status, answers to change, cancel, badge."""
    event = _event(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None:
        return redirect("events:register", event.slug)
    organisations = list(_member_organisations(request.user))
    action = request.POST.get("action", "")
    form = RegistrationForm(
        request.POST if action == "change" else None,
        event=event,
        organisations=organisations,
        initial=RegistrationForm.initial_for(mine),
    )
    if request.method == "POST":
        try:
            if action == "cancel":
                services.cancel_registration(request.user, mine)
                messages.success(request, _("Your registration is cancelled."))
                return redirect("events:detail", event.slug)
            if action == "change" and form.is_valid():
                services.change_answers(
                    request.user,
                    mine,
                    services.RegistrationInput(
                        country=form.cleaned_data["country"],
                        organisation_id=form.cleaned_data["organisation"],
                        answers=form.answers(),
                        listed=form.cleaned_data["listed"],
                    ),
                )
                messages.success(request, _("Your answers are saved."))
                return redirect("events:registration", event.slug)
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as refusal:
            messages.error(request, refusal.message)
    position = None
    if mine.status == Registration.Status.WAITING:
        position = (
            event.registrations.filter(
                status=Registration.Status.WAITING, waiting_since__lte=mine.waiting_since
            )
            .exclude(pk=mine.pk, waiting_since=mine.waiting_since)
            .count()
            + 1
        )
    return render(
        request,
        "events/registration.html",
        {
            "event": event,
            "registration": mine,
            "form": form,
            "position": position,
            "checked_in": hasattr(mine, "checkin"),
            "show_link": permissions.can_see_online_link(request.user, event),
        },
    )


@login_required
def badge(request, slug: str):
    event = _event(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None or mine.status != Registration.Status.CONFIRMED:
        raise Http404
    content = documents.badges_pdf(event, [mine], translation.get_language())
    return _pdf_response(content, f"badge-{event.slug}.pdf")


@login_required
def certificate(request, slug: str):
    event = _event(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None or not hasattr(mine, "checkin"):
        raise Http404
    content = documents.certificate_pdf(mine, translation.get_language())
    return _pdf_response(content, f"certificate-{event.slug}.pdf")


# --- Organisers' tools --------------------------------------------------------------------------


@login_required
def registrations(request, slug: str):
    event = _managed(request, slug)
    filters = RegistrationFilterForm(request.GET or None)
    selection = queries.RegistrationFilter()
    if filters.is_valid():
        selection = queries.RegistrationFilter(**filters.cleaned_data)
    rows = queries.registrations_for_organisers(event, selection)
    if request.GET.get("format") == "csv":
        return _csv(event, rows)
    message_form = MessageForm(request.POST or None)
    if request.method == "POST" and message_form.is_valid():
        try:
            sent = services.message_participants(
                request.user,
                event,
                message_form.cleaned_data["subject"],
                message_form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_service_errors(message_form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The message is on its way to %(count)d participant.",
                    "The message is on its way to %(count)d participants.",
                    sent,
                )
                % {"count": sent},
            )
            return redirect("events:registrations", event.slug)
    shown = list(rows[:500])
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "filters": filters,
            "rows": [(r, localised_name(r.country_id)) for r in shown],
            "total": rows.count(),
            "csv_query": query.urlencode(),
            "message_form": message_form,
        },
    )


CSV_COLUMNS = [
    "name",
    "email",
    "country",
    "organisation",
    "status",
    "registered_at",
    "checked_in_at",
    "listed",
]


def _csv(event: Event, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.csv"'
    questions = list(event.questions.all())
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS + [q.label for q in questions])
    for row in rows.iterator(chunk_size=2000):
        checkin = getattr(row, "checkin", None)
        values = [
            row.name,
            row.email,
            row.country_id,
            row.organisation.name if row.organisation else "",
            row.status,
            row.created_at.isoformat(),
            checkin.checked_in_at.isoformat() if checkin else "",
            "yes" if row.listed else "no",
        ] + [str(row.answers.get(str(q.pk), "")) for q in questions]
        writer.writerow([spreadsheet_safe(str(value)) for value in values])
    return response


@login_required
def badges(request, slug: str):
    """The sheet of badges of every confirmed participant (or one, with ?registration=)."""
    event = _managed(request, slug)
    chosen = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
        "organisation", "event"
    )
    if request.GET.get("registration", "").isdigit():
        chosen = chosen.filter(pk=int(request.GET["registration"]))
    content = documents.badges_pdf(event, chosen.order_by("name", "pk"), translation.get_language())
    return _pdf_response(content, f"badges-{event.slug}.pdf")


@login_required
def checkin(request, slug: str):
    event = _event(slug)
    if not permissions.can_check_in(request.user, event):
        raise PermissionDenied
    form = CheckInForm(request.POST or None, initial={"door": request.session.get("door", "")})
    outcome = None
    status = 200
    if request.method == "POST" and form.is_valid():
        request.session["door"] = form.cleaned_data["door"]
        try:
            record, created = services.check_in(
                request.user, event, form.cleaned_data["code"], form.cleaned_data["door"]
            )
        except Refused as refusal:
            form.add_error("code", refusal.message)
            status = refusal.status
        else:
            outcome = {
                "registration": record.registration,
                "country": localised_name(record.registration.country_id),
                "created": created,
                "record": record,
            }
            form = CheckInForm(initial={"door": form.cleaned_data["door"]})
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "form": form,
            "outcome": outcome,
            "count": queries.checked_in_count(event),
            "registered": event.registrations.filter(status=Registration.Status.CONFIRMED).count(),
        },
        status=status,
    )


@login_required
def checkin_count(request, slug: str):
    """The live count for the check-in page's script (organisers only)."""
    event = _event(slug)
    if not permissions.can_check_in(request.user, event):
        raise PermissionDenied
    return JsonResponse(
        {
            "checked_in": queries.checked_in_count(event),
            "registered": event.registrations.filter(status=Registration.Status.CONFIRMED).count(),
        }
    )


def ics(request, slug: str):
    event = _event(slug)
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
