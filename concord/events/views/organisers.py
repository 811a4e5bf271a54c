"""The organisers' tools: the registrations list with its CSV and message to participants, the
badge sheet, and check-in at the door (typing the badge code works without JavaScript; a
small static script scans it with the camera where the browser has a BarcodeDetector)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import ngettext

from concord.core.csv import spreadsheet_safe
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.numbers import figure
from concord.countries.names import localised_name
from concord.events import documents, permissions, queries
from concord.events.forms import CheckInForm, MessageForm, RegistrationFilterForm
from concord.events.models import Event, Registration
from concord.events.services.checkin import check_in
from concord.events.services.messages import message_participants
from concord.events.views.shared import event_or_404, managed_event, pdf_response


@login_required
def registrations(request, slug: str):
    event = managed_event(request, slug)
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
            sent = message_participants(
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
                    "The message is on its way to %(count)s participant.",
                    "The message is on its way to %(count)s participants.",
                    sent,
                )
                % {"count": figure(sent)},
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
    writer.writerow(CSV_COLUMNS + [spreadsheet_safe(q.label) for q in questions])
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
    event = managed_event(request, slug)
    chosen = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related(
        "organisation", "event"
    )
    if request.GET.get("registration", "").isdigit():
        chosen = chosen.filter(pk=int(request.GET["registration"]))
    content = documents.badges_pdf(event, chosen.order_by("name", "pk"), translation.get_language())
    return pdf_response(content, f"badges-{event.slug}.pdf")


@login_required
def checkin(request, slug: str):
    event = event_or_404(slug)
    if not permissions.can_check_in(request.user, event):
        raise PermissionDenied
    form = CheckInForm(request.POST or None, initial={"door": request.session.get("door", "")})
    outcome = None
    status = 200
    if request.method == "POST" and form.is_valid():
        request.session["door"] = form.cleaned_data["door"]
        try:
            record, created = check_in(
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
    event = event_or_404(slug)
    if not permissions.can_check_in(request.user, event):
        raise PermissionDenied
    checked_in = queries.checked_in_count(event)
    return JsonResponse(
        {
            "checked_in": checked_in,
            # As the page writes it, so the script shows the count as the server would.
            "checked_in_shown": figure(checked_in),
            "registered": event.registrations.filter(status=Registration.Status.CONFIRMED).count(),
        }
    )
