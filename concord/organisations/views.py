"""Pages for organisations: thin views that parse input, call a service or query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core import bidi, limits
from concord.core.confirmation import ask_to_confirm, is_confirmed
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.organisations import permissions, queries, services
from concord.organisations.forms import (
    DirectoryFilterForm,
    InvitationForm,
    OrganisationForm,
    ReviewForm,
)
from concord.organisations.models import Organisation


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = queries.DirectoryFilters(**{key: value for key, value in chosen.items() if value})
    members = queries.members(filters)
    page = Paginator(members, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/directory.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "coverage": queries.members_coverage(members),
            "filtered": any(filters.__dict__.values()),
        },
    )


def _organisation(request, pk: int) -> Organisation:
    organisation = queries.organisation_for_page(pk)
    if organisation is None or not permissions.can_view(request.user, organisation):
        raise Http404
    return organisation


def detail(request, pk: int):
    return _render_detail(request, _organisation(request, pk))


def _render_detail(request, organisation: Organisation, status: int = 200):
    user = request.user
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "can_edit": permissions.can_edit(user, organisation),
            "can_review": permissions.can_review_applications(user) and organisation.awaits_review,
            "review_form": ReviewForm(),
            "invitation_form": InvitationForm(),
        },
        status=status,
    )


def _refused(request, pk: int, refusal: Refused):
    """A move the application's status does not allow: the page as it is now, with the
    reason, answered with the refusal's status (409), as the API answers."""
    messages.error(request, refusal.message)
    response = _render_detail(request, _organisation(request, pk), status=refusal.status)
    return limits.with_retry_after(response, refusal)


def apply(request):
    if not request.user.is_authenticated:
        return _apply_signed_out(request)
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        limits.check("apply", request, address=request.user.email)
        try:
            organisation = services.apply_for_membership(
                request.user, form.service_data(), logo=form.cleaned_data.get("logo")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your application has been sent to the secretariat for review."),
            )
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/apply.html", {"form": form})


def _apply_signed_out(request):
    """An application is sent from an account: say so and offer both ways in, each coming
    back here, rather than a bare sign-in page. A form sent without an account still goes to
    signing in."""
    if request.method != "GET":
        return redirect_to_login(request.get_full_path())
    back = urlencode({"next": request.get_full_path()})
    return render(
        request,
        "organisations/apply_signed_out.html",
        {
            "signup_url": f"{reverse('account_signup')}?{back}",
            "login_url": f"{reverse('account_login')}?{back}",
        },
    )


@login_required
def edit(request, pk: int):
    organisation = _organisation(request, pk)
    if not permissions.can_edit(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_organisation(
                request.user, organisation, form.service_data(), logo=form.cleaned_data.get("logo")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation's profile has been saved."))
            if saved.awaits_identity_review:
                messages.info(
                    request,
                    _(
                        "The new name or country is shown once the secretariat approves it;"
                        " until then the profile keeps the current ones."
                    ),
                )
            return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
def review(request):
    if not permissions.can_review_applications(request.user):
        raise PermissionDenied
    return render(
        request,
        "organisations/review.html",
        {
            "applications": queries.applications_to_review(),
            "identity_changes": queries.identity_changes_to_review(),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def review_identity(request, pk: int, action: str):
    """The secretariat approves or declines a member's new name or country."""
    if action not in ("approve", "decline"):
        raise Http404
    organisation = _organisation(request, pk)
    try:
        services.review_identity_change(request.user, organisation, approve=action == "approve")
    except Refused as refusal:
        return _refused(request, pk, refusal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("organisations:review")
    messages.success(request, _("Saved."))
    return redirect("organisations:review")


@login_required
@require_POST
def review_action(request, pk: int):
    organisation = _organisation(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("organisations:detail", pk)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        if action == "approve":
            services.approve_membership(request.user, organisation)
            # The name may be written in the other direction than the sentence around it.
            name = bidi.isolate(organisation.name)
            messages.success(request, bidi.fill(_("%(name)s is now a member."), {"name": name}))
        elif action == "reject":
            if not is_confirmed(request):
                services.check_review_with_note(
                    request.user, organisation, Organisation.Status.REJECTED, note
                )
                return _confirm_decline(request, organisation, note)
            services.review_with_note(
                request.user, organisation, Organisation.Status.REJECTED, note
            )
            messages.success(request, _("The application was declined; the applicant is told why."))
        else:
            services.review_with_note(
                request.user, organisation, Organisation.Status.MORE_INFO, note
            )
            messages.success(request, _("Your question has been sent to the applicant."))
    except Refused as refusal:
        return _refused(request, pk, refusal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("organisations:detail", pk)
    return redirect("organisations:review")


def _confirm_decline(request, organisation: Organisation, note: str):
    return ask_to_confirm(
        request,
        title=_("Decline the application"),
        subject=organisation.name,
        consequence=_(
            "The application of %(name)s will be declined, and its admins will be emailed"
            " your reason. A declined application cannot be reviewed again."
        )
        % {"name": organisation.name},
        details=[(_("Reason given to the applicant"), note.strip())],
        button=_("Decline the application"),
        back=reverse("organisations:detail", args=[organisation.pk]),
    )


@login_required
@require_POST
def resubmit(request, pk: int):
    organisation = _organisation(request, pk)
    try:
        services.resubmit_application(request.user, organisation)
    except Refused as refusal:
        return _refused(request, pk, refusal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application is back with the secretariat."))
    return redirect("organisations:detail", pk)


@login_required
@require_POST
def invite(request, pk: int):
    organisation = _organisation(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            limits.check("invite", request, address=form.cleaned_data["email"])
            services.invite_representative(
                request.user, organisation, form.cleaned_data["email"], form.cleaned_data["role"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except Refused as refusal:
            return _refused(request, pk, refusal)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("organisations:detail", pk)


@login_required
@require_POST
def remove_representative(request, pk: int, user_id: int):
    organisation = _organisation(request, pk)
    try:
        services.remove_representative(request.user, organisation, user_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The representative was removed."))
    return redirect("organisations:detail", pk)


@login_required
def accept(request, token: str):
    """The invitation link shows a button; only the button's POST accepts (scanners only GET)."""
    if request.method == "POST":
        try:
            representative = services.accept_invitation(request.user, token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:home")
        messages.success(
            request,
            _("You now represent %(name)s.") % {"name": representative.organisation.name},
        )
        return redirect("organisations:detail", representative.organisation_id)
    return render(request, "organisations/accept.html", {"token": token})
