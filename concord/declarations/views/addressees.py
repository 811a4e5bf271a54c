"""Addressees' pages: the secretariat's and committee's list of addressees with what was
delivered and answered (one page per addressee to record them), and the image of the
response map on the public declaration page.

A refused field answers 422, a missing right 403, a wrong state 409, as the API does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core import limits, precompressed
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.numbers import figure
from concord.countries.maps import world_map_svg
from concord.declarations.addressees import queries
from concord.declarations.addressees.forms import (
    AddresseeForm,
    DeliveryForm,
    MetForm,
    ResponseForm,
)
from concord.declarations.addressees.models import Addressee, Pledge, Response
from concord.declarations.services import addressees as services
from concord.declarations.views.shared import managed_or_403, reader_text, visible_or_404

MAP_POLICY = "default-src 'none'; frame-ancestors 'none'"


@login_required
def addressees(request, slug: str):
    declaration = managed_or_403(request, slug)
    form = AddresseeForm(request.POST or None, prefix="addressee")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.add_addressee(request.user, declaration, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except Refused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                messages.success(request, _("The addressee was added."))
                return redirect("declarations:addressees", slug)
    return render(
        request,
        "declarations/addressees.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "form": form,
            "addressees": queries.addressees(declaration),
            "cover": queries.response_coverage(declaration),
        },
        status=status,
    )


@login_required
def addressee(request, slug: str, pk: int):
    declaration = managed_or_403(request, slug)
    found = get_object_or_404(Addressee, pk=pk, declaration=declaration)
    delivery_form = DeliveryForm(prefix="delivery")
    response_form = ResponseForm(prefix="response", initial={"language": found.language})
    status = 200
    if request.method == "POST":
        action, _sep, target = request.POST.get("action", "").partition(":")
        status, form = 422, None
        try:
            if action == "delivery":
                form = delivery_form = DeliveryForm(request.POST, prefix="delivery")
                if form.is_valid():
                    services.record_delivery(request.user, found, **form.cleaned_data)
                    return _done(request, slug, pk, _("The delivery was recorded."))
            elif action == "response":
                form = response_form = ResponseForm(request.POST, request.FILES, prefix="response")
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    data.pop("pledge"), data.pop("pledge_deadline")
                    services.record_response(request.user, found, **data, pledges=form.pledges())
                    return _done(request, slug, pk, _("The response was recorded."))
            elif action == "publish":
                response = get_object_or_404(Response, pk=target, addressee=found)
                limits.check("publish-response", request)
                services.publish_response(request.user, response)
                return _done(request, slug, pk, _("The response is published."))
            elif action == "met":
                pledge = get_object_or_404(Pledge, pk=target, response__addressee=found)
                form = MetForm(request.POST, prefix=f"met{pledge.pk}")
                if form.is_valid():
                    services.mark_pledge_met(request.user, pledge, **form.cleaned_data)
                    return _done(request, slug, pk, _("The pledge is marked as met."))
            else:
                return HttpResponseBadRequest(_("Unknown action."))
        except ValidationError as error:
            add_service_errors(form, error)
        except Refused as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
    responses = list(found.responses.prefetch_related("pledges"))
    for response in responses:
        for pledge in response.pledges.all():
            pledge.met_form = MetForm(prefix=f"met{pledge.pk}")
    return render(
        request,
        "declarations/addressee.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "addressee": found,
            "deliveries": list(found.deliveries.all()),
            "responses": responses,
            "delivery_form": delivery_form,
            "response_form": response_form,
        },
        status=status,
    )


def _done(request, slug: str, pk: int, message: str):
    messages.success(request, message)
    return redirect("declarations:addressee", slug, pk)


def responses_map(request, slug: str):
    """The tile map of the governments that responded (published responses only)."""
    declaration = visible_or_404(request, slug)
    cover = queries.response_coverage(declaration)
    svg = world_map_svg(
        cover.per_country,
        title=_("Responses by country"),
        legend_title=_("Responses"),
        description=ngettext(
            "%(count)s government responded.",
            "%(count)s governments responded.",
            cover.responded.countries,
        )
        % {"count": figure(cover.responded.countries)},
        no_data_label=_("No response"),
    )
    body = precompressed.Body.of(svg.encode())
    response = precompressed.answer(request, body, "image/svg+xml", cache_control="private, no-cache"
                                    if declaration.status == "draft" else "public, max-age=300")  # fmt: skip
    response["Content-Security-Policy"] = MAP_POLICY
    return response
