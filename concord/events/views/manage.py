"""Creating and managing an event: its details, programme, registration questions and the
approval of registrations awaiting it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.events import permissions, queries
from concord.events.forms import EventForm, QuestionForm, SessionForm
from concord.events.models import Registration
from concord.events.services import programme
from concord.events.services.registration import decide_registration
from concord.events.views.shared import event_or_404, managed_event, member_organisations


def _event_input(data: dict, slug: str) -> programme.EventInput:
    return programme.EventInput(
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
    organisations = list(member_organisations(request.user))
    form = EventForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            event = programme.create_event(
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
    event = managed_event(request, slug)
    organisations = {o.pk: o for o in member_organisations(request.user)}
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
            programme.update_event(request.user, event, _event_input(form.cleaned_data, event.slug))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:manage", event.slug)
    return render(request, "events/edit.html", {"form": form, "event": event})


@login_required
def manage(request, slug: str):
    event = managed_event(request, slug)
    action = request.POST.get("action", "")
    session_form = SessionForm(request.POST if action == "session" else None, prefix="session")
    question_form = QuestionForm(request.POST if action == "question" else None, prefix="question")
    status = 200
    if request.method == "POST":
        try:
            done = _manage_action(request, event, action, session_form, question_form)
        except Refused as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
        else:
            if done:
                messages.success(request, done)
                return redirect("events:manage", event.slug)
            if session_form.errors or question_form.errors:
                status = 422
        event = event_or_404(slug)
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
        status=status,
    )


def _manage_action(request, event, action, session_form, question_form) -> str:
    user = request.user
    try:
        if action == "session" and session_form.is_valid():
            data = session_form.cleaned_data
            programme.add_session(
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
            programme.add_question(
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
            decide_registration(user, registration, approve=action == "approve")
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
