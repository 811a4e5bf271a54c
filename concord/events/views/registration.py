"""The participant's own registration: registering, changing answers, cancelling, the badge
and the certificate of attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.events import documents, permissions, queries
from concord.events.forms import RegistrationForm
from concord.events.models import Registration
from concord.events.services import registration as registering
from concord.events.views.shared import event_or_404, member_organisations, pdf_response


def _registration_input(
    form: RegistrationForm, language: str = ""
) -> registering.RegistrationInput:
    return registering.RegistrationInput(
        country=form.cleaned_data["country"],
        organisation_id=form.cleaned_data["organisation"],
        answers=form.answers(),
        listed=form.cleaned_data["listed"],
        language=language,
    )


@login_required
def register(request, slug: str):
    event = event_or_404(slug)
    existing = queries.registration_of(request.user, event)
    if request.method != "POST" and existing is not None and existing.is_active:
        return redirect("events:registration", event.slug)  # registering again is refused
    organisations = list(member_organisations(request.user))
    form = RegistrationForm(request.POST or None, event=event, organisations=organisations)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registration = registering.register(
                request.user,
                event,
                _registration_input(form, language=translation.get_language()),
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
    event = event_or_404(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None:
        return redirect("events:register", event.slug)
    organisations = list(member_organisations(request.user))
    action = request.POST.get("action", "")
    form = RegistrationForm(
        request.POST if action == "change" else None,
        event=event,
        organisations=organisations,
        initial=RegistrationForm.initial_for(mine),
    )
    status = 200
    if request.method == "POST":
        try:
            if action == "cancel":
                registering.cancel_registration(request.user, mine)
                messages.success(request, _("Your registration is cancelled."))
                return redirect("events:detail", event.slug)
            if action == "change" and form.is_valid():
                registering.change_answers(
                    request.user,
                    mine,
                    _registration_input(form),
                )
                messages.success(request, _("Your answers are saved."))
                return redirect("events:registration", event.slug)
            if action == "change":
                status = 422
        except ValidationError as error:
            add_service_errors(form, error)
            status = 422
        except Refused as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
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
        status=status,
    )


@login_required
def badge(request, slug: str):
    event = event_or_404(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None or mine.status != Registration.Status.CONFIRMED:
        raise Http404
    content = documents.badges_pdf(event, [mine], translation.get_language())
    return pdf_response(content, f"badge-{event.slug}.pdf")


@login_required
def certificate(request, slug: str):
    event = event_or_404(slug)
    mine = queries.registration_of(request.user, event)
    if mine is None or not hasattr(mine, "checkin"):
        raise Http404
    content = documents.certificate_pdf(mine, translation.get_language())
    return pdf_response(content, f"certificate-{event.slug}.pdf")
