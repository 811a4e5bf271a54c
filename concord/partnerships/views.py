"""Pages for partnerships: thin views that parse input, call a service or query, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core.errors import Refused
from concord.organisations.models import Organisation
from concord.organisations.permissions import can_edit, is_secretariat
from concord.partnerships import digests, eligibility, permissions, queries
from concord.partnerships.digests import local_deadline
from concord.partnerships.forms import (
    DeliverableForm,
    DigestForm,
    FundingCallForm,
    InterestForm,
    ReportForm,
    RequestForm,
    TrackForm,
    WorkingLanguagesForm,
    add_service_errors,
)
from concord.partnerships.matching import language_name
from concord.partnerships.models import (
    DigestSubscription,
    PartnershipRequest,
)
from concord.partnerships.services import consent, funding, interests, partnerships, requests
from concord.partnerships.suggestions import suggestions_for


def overview(request):
    kind = request.GET.get("kind", "")
    if kind not in PartnershipRequest.Kind.values:
        kind = ""
    page = Paginator(queries.open_requests(kind), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/overview.html",
        {"page": page, "kind": kind, "kinds": PartnershipRequest.Kind.choices},
    )


@login_required
def post_request(request):
    organisations = queries.member_organisations_of(request.user)
    if not organisations:
        raise PermissionDenied
    form = RequestForm(request.POST or None, organisations=organisations)
    posted = _submit(
        form,
        lambda data: requests.post_request(request.user, _chosen(organisations, data), data),
    )
    if posted is not None:
        messages.success(request, _("Posted. Here are the organisations that match it."))
        return redirect("partnerships:request", posted.pk)
    return render(request, "partnerships/post.html", {"form": form})


def _submit(form, act: Callable[[dict], Any]) -> Any:
    """Run the service `act(cleaned_data)` when the bound form is valid; the service's field
    errors go on the form. Returns what the service returned, or None when it did not run or
    refused a field."""
    if form.is_valid():
        try:
            return act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    return None


def _chosen(organisations: list[Organisation], data: dict) -> Organisation:
    """The organisation a form's `organisation` field names among the user's own."""
    return next(o for o in organisations if o.pk == data["organisation"])


def _request(pk: int) -> PartnershipRequest:
    posted = queries.request_for_page(pk)
    if posted is None:
        raise Http404
    return posted


def request_detail(request, pk: int, interest_form=None, status: int = 200):
    posted = _request(pk)
    user = request.user
    manages = permissions.can_manage_request(user, posted)
    own_orgs = [o for o in queries.member_organisations_of(user) if o.pk != posted.organisation_id]
    return render(
        request,
        "partnerships/request.html",
        {
            "posted": posted,
            "working_languages": [language_name(code) for code in posted.languages],
            "matches": suggestions_for(posted)
            if posted.kind == PartnershipRequest.Kind.REQUEST
            else None,
            "manages": manages,
            "interests": list(queries.interests_in(posted)) if manages else [],
            "interest_form": interest_form
            or (InterestForm(organisations=own_orgs) if own_orgs and posted.is_open else None),
        },
        status=status,
    )


@login_required
@require_POST
def express_interest(request, pk: int):
    posted = _request(pk)
    organisations = queries.member_organisations_of(request.user)
    form = InterestForm(request.POST, organisations=organisations)
    try:
        sent = _submit(
            form,
            lambda data: interests.express_interest(
                request.user, _chosen(organisations, data), posted, data["message"]
            ),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return request_detail(request, pk, status=refusal.status)
    if sent is None:
        return request_detail(request, pk, interest_form=form)
    messages.success(request, _("Your interest has been sent. You will hear back by email."))
    return redirect("partnerships:request", posted.pk)


@login_required
@require_POST
def answer_interest(request, pk: int, action: str):
    if action not in ("accept", "decline"):
        raise Http404
    interest = queries.interest_for_action(pk)
    if interest is None or not permissions.can_see_interest(request.user, interest):
        raise Http404
    try:
        if action == "accept":
            partnership = interests.accept_interest(request.user, interest)
            messages.success(
                request, _("Accepted. The partnership is recorded: add its deliverables below.")
            )
            return redirect("partnerships:partnership", partnership.pk)
        interests.decline_interest(request.user, interest)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return request_detail(request, interest.request_id, status=refusal.status)
    messages.success(request, _("Declined. The organisation has been told."))
    return redirect("partnerships:request", interest.request_id)


@login_required
@require_POST
def close_request(request, pk: int):
    requests.close_request(request.user, _request(pk))
    messages.success(request, _("Closed."))
    return redirect("partnerships:request", pk)


def _partnership(request, pk: int):
    """A partnership the person may see: public once agreed, before only to those involved."""
    partnership = queries.partnership_for_page(pk)
    if partnership is None or not permissions.can_see_partnership(request.user, partnership):
        raise Http404
    return partnership


def partnership_list(request):
    status = request.GET.get("status", "")
    if status not in queries.STATUS_LABELS:
        status = ""
    page = Paginator(queries.partnerships(status), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/partnerships.html",
        {
            "page": page,
            "status": status,
            "labels": queries.STATUS_LABELS,
            "awaiting": list(queries.awaiting_answers(request.user)),
        },
    )


def partnership_detail(
    request, pk: int, deliverable_form=None, report_form=None, status: int = 200
):
    partnership = _partnership(request, pk)
    can_work = permissions.can_work_on(request.user, partnership)
    deliverables = list(partnership.deliverables.all())
    involved = permissions.is_involved(request.user, partnership)
    members = [
        member
        for member in partnership.members.all()
        if involved or member.answer == member.Answer.ACCEPTED
    ]
    return render(
        request,
        "partnerships/partnership.html",
        {
            "partnership": partnership,
            "members": members,
            "involved": involved,
            "to_answer": [
                member
                for member in members
                if member.awaits_answer
                and permissions.can_answer_for(request.user, member.organisation)
            ],
            "status_label": queries.STATUS_LABELS[partnership.report_status],
            "deliverables": deliverables,
            "can_work": can_work,
            "deliverable_form": deliverable_form or DeliverableForm(),
            "report_form": report_form
            or ReportForm(deliverables=deliverables, initial={"year": timezone.localdate().year}),
        },
        status=status,
    )


@login_required
@require_POST
def answer_partnership(request, pk: int, organisation: int, action: str):
    """An admin of a named organisation accepts or declines its place in the partnership."""
    if action not in ("accept", "decline"):
        raise Http404
    partnership = _partnership(request, pk)
    member = next((m for m in partnership.members.all() if m.organisation_id == organisation), None)
    if member is None:
        raise Http404
    try:
        consent.answer_partnership(
            request.user, partnership, member.organisation, accept=action == "accept"
        )
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return partnership_detail(request, pk, status=403)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return partnership_detail(request, pk, status=refusal.status)
    if action == "accept":
        messages.success(request, _("Accepted. Your organisation is listed as a partner."))
    else:
        messages.success(request, _("Declined. Your organisation will not be listed."))
    return redirect("partnerships:partnership", pk)


@login_required
@require_POST
def add_deliverable(request, pk: int):
    partnership = _partnership(request, pk)
    form = DeliverableForm(request.POST)
    if _submit(form, lambda data: partnerships.add_deliverable(request.user, partnership, data)):
        messages.success(request, _("Deliverable added."))
        return redirect("partnerships:partnership", pk)
    return partnership_detail(request, pk, deliverable_form=form)


@login_required
@require_POST
def file_report(request, pk: int):
    partnership = _partnership(request, pk)
    form = ReportForm(request.POST, deliverables=list(partnership.deliverables.all()))
    report = _submit(
        form,
        lambda data: partnerships.file_progress_report(
            request.user,
            partnership,
            year=data["year"],
            summary=data["summary"],
            achieved=form.achieved(),
        ),
    )
    if report is not None:
        messages.success(request, _("Progress report filed. Thank you."))
        return redirect("partnerships:partnership", pk)
    return partnership_detail(request, pk, report_form=form)


def funding_calls(request):
    page = Paginator(queries.open_calls(), 20).get_page(request.GET.get("page"))
    calls = [(call, local_deadline(call)) for call in page]
    return render(
        request,
        "partnerships/calls.html",
        {
            "page": page,
            "calls": calls,
            "can_enter": permissions.can_enter_funding_calls(request.user),
            "organisations": queries.member_organisations_of(request.user),
        },
    )


@login_required
def new_call(request):
    if not permissions.can_enter_funding_calls(request.user):
        raise PermissionDenied
    form = FundingCallForm(request.POST or None)
    call = _submit(
        form, lambda _data: funding.create_funding_call(request.user, form.service_data())
    )
    if call is not None:
        messages.success(request, _("The funding call is published."))
        return redirect("partnerships:call", call.pk)
    return render(request, "partnerships/call_form.html", {"form": form})


def _call(pk: int):
    call = queries.call_for_page(pk)
    if call is None:
        raise Http404
    return call


def call_detail(request, pk: int, track_form=None):
    call = _call(pk)
    organisations = queries.member_organisations_of(request.user)
    eligible = [
        (org, reason)
        for org in organisations
        if (reason := eligibility.eligibility_reason(call, org.country_id))
    ]
    return render(
        request,
        "partnerships/call.html",
        {
            "call": call,
            "deadline": local_deadline(call),
            "eligible": eligible,
            "track_form": track_form
            or (TrackForm(organisations=[o for o, _r in eligible]) if eligible else None),
        },
    )


@login_required
@require_POST
def track(request, pk: int):
    call = _call(pk)
    organisations = queries.member_organisations_of(request.user)
    form = TrackForm(request.POST, organisations=organisations)
    application = _submit(
        form,
        lambda data: funding.track_application(
            request.user, _chosen(organisations, data), call, data["status"]
        ),
    )
    if application is None:
        return call_detail(request, pk, track_form=form)
    messages.success(request, _("Saved."))
    return redirect("partnerships:funding_matches", application.organisation_id)


def funding_matches(request, pk: int, languages_form=None):
    organisation = queries.organisation_for_funding(pk)
    if organisation is None or not permissions.can_see_funding_matches(request.user, organisation):
        raise Http404
    matches = [(m, local_deadline(m.call)) for m in queries.funding_matches(organisation)]
    tracks = permissions.can_track_applications(request.user, organisation) or is_secretariat(
        request.user
    )
    return render(
        request,
        "partnerships/funding_matches.html",
        {
            "organisation": organisation,
            "matches": matches,
            "applications": list(queries.applications_of(organisation)) if tracks else None,
            "languages_form": languages_form
            or (
                WorkingLanguagesForm(
                    initial={"languages": queries.declared_languages(organisation)}
                )
                if can_edit(request.user, organisation)
                else None
            ),
        },
    )


@login_required
@require_POST
def working_languages(request, pk: int):
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    form = WorkingLanguagesForm(request.POST)
    if _submit(
        form,
        lambda data: requests.set_working_languages(request.user, organisation, data["languages"]),
    ):
        messages.success(request, _("Saved."))
        return redirect("partnerships:funding_matches", pk)
    return funding_matches(request, pk, languages_form=form)


@login_required
def digest_settings(request):
    subscription = digests.digest_subscription(request.user)
    # An unticked box posts nothing: bind on the method, not on the data.
    form = DigestForm(
        request.POST if request.method == "POST" else None,
        initial={"weekly_digest": subscription.weekly_digest},
    )
    if request.method == "POST" and form.is_valid():
        digests.set_weekly_digest(request.user, form.cleaned_data["weekly_digest"])
        messages.success(request, _("Your choice is saved."))
        return redirect("partnerships:digest")
    return render(request, "partnerships/digest.html", {"form": form})


def unsubscribe(request, token: str):
    """Opening the emailed link changes nothing (mail scanners follow links); the button does."""
    subscription = DigestSubscription.objects.filter(token=token).first()
    if subscription is None:
        raise Http404
    done = False
    if request.method == "POST":
        digests.unsubscribe(token)
        done = True
    return render(
        request, "partnerships/unsubscribe.html", {"done": done, "subscription": subscription}
    )
