"""The pages of those who manage a declaration (the secretariat, its drafting committee):
creating it, its texts and lifecycle, the invitation list, reviewing and invalidating
signatures, importing signatures collected on paper (run in the background; its page
refreshes itself until the work is done), and linking it to the event it was adopted at.

A refused field answers 422, a missing right 403, a wrong state 409, as the API does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord.core.confirmation import ask_to_confirm, is_confirmed
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.numbers import figure
from concord.declarations import imports, permissions, queries
from concord.declarations.forms import (
    DeclarationForm,
    ImportForm,
    InvalidateForm,
    InviteesForm,
    OutcomeForm,
    ReviewFilterForm,
    TextForm,
    language_choices,
)
from concord.declarations.models import Declaration, ImportJob
from concord.declarations.services import lifecycle, outcomes, review
from concord.declarations.views.shared import (
    language_names,
    managed_or_403,
    reader_text,
    texts_by_language,
)
from concord.events import permissions as event_permissions
from concord.events.models import Event

# An import page lists this many bad rows at most (a wrong file can have 100,000).
MAX_ERRORS_SHOWN = 500


@login_required
def create(request):
    if not permissions.can_create_declarations(request.user):
        raise PermissionDenied
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = lifecycle.create_declaration(request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The declaration was created as a draft. Add translations, then open it."),
            )
            return redirect("declarations:manage", declaration.slug)
    # A refused field answers 422, as the API does.
    status = 422 if form.is_bound else 200
    return render(request, "declarations/create.html", {"form": form}, status=status)


LIFECYCLE = {
    "open": lifecycle.open_declaration,
    "close": lifecycle.close_declaration,
    "publish": lifecycle.publish_declaration,
}


def _lifecycle_done(action: str) -> str:
    return {
        "open": _("The declaration is open for signature."),
        "close": _("Signing is closed; the final list is fixed."),
        "publish": _("The declaration is published."),
    }[action]


def _text_languages(declaration: Declaration, texts: dict) -> list[tuple[str, str]]:
    """Every language while a draft (to edit or add); after opening, only new languages."""
    choices = language_choices()
    if declaration.texts_frozen:
        return [(code, name) for code, name in choices if code not in texts]
    return choices


def _confirm_close(request, declaration: Declaration):
    text = reader_text(declaration)
    return ask_to_confirm(
        request,
        title=_("Close signing"),
        subject=text.title,
        subject_language=text.language,
        consequence=_(
            "Signing stops for good: no one can sign or withdraw any more, no signature can be"
            " imported or invalidated, and the fingerprint of the final list of signatories is"
            " published."
        ),
        button=_("Close signing for good"),
        back=reverse("declarations:manage", args=[declaration.slug]),
    )


@login_required
def manage(request, slug: str):
    declaration = managed_or_403(request, slug)
    user = request.user
    texts = texts_by_language(declaration)
    editing = request.GET.get("edit", "")
    if declaration.texts_frozen or editing not in texts:
        editing = ""
    initial = (
        {"language": editing, "title": texts[editing].title, "text": texts[editing].body}
        if editing
        else {}
    )
    languages = _text_languages(declaration, texts)
    text_form = TextForm(languages=languages, initial=initial)
    invitees_form = InviteesForm()
    status = 200
    if request.method == "POST":
        status = 422  # unless a refusal says otherwise; a success redirects
        action = request.POST.get("action", "")
        if action in LIFECYCLE:
            try:
                if action == "close" and not is_confirmed(request):
                    lifecycle.check_close(user, declaration)
                    return _confirm_close(request, declaration)
                LIFECYCLE[action](user, declaration)
            except Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _lifecycle_done(action))
            return redirect("declarations:manage", declaration.slug)
        if action == "text":
            text_form = TextForm(request.POST, languages=languages)
            if text_form.is_valid():
                try:
                    lifecycle.set_text(user, declaration, **text_form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(text_form, error)
                except Refused as refusal:
                    text_form.add_error(None, refusal.message)
                    status = refusal.status
                else:
                    messages.success(request, _("The text was saved."))
                    return redirect("declarations:manage", declaration.slug)
        elif action == "invitees":
            invitees_form = InviteesForm(request.POST)
            if invitees_form.is_valid():
                try:
                    added = lifecycle.set_invitees(user, declaration, invitees_form.addresses())
                except ValidationError as error:
                    add_service_errors(invitees_form, error)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s address added to the invitation list.",
                            "%(count)s addresses added to the invitation list.",
                            added,
                        )
                        % {"count": figure(added)},
                    )
                    return redirect("declarations:manage", declaration.slug)
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    names = language_names()
    return render(
        request,
        "declarations/manage.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "texts": [
                (version, names.get(version.language, version.language))
                for version in texts.values()
            ],
            "editing": editing,
            "text_form": text_form if languages else None,
            "invitees_form": invitees_form,
            "invited": declaration.eligibility == Declaration.Eligibility.INVITED,
            "invitees": declaration.invitees.count()
            if declaration.eligibility == Declaration.Eligibility.INVITED
            else 0,
            "channels": queries.signatures_by_channel(declaration),
        },
        status=status,
    )


def _filtered_review(request, declaration: Declaration) -> str:
    """The review page with the filter just posted, to go back to or to land on."""
    query = QueryDict(mutable=True)
    for name in ReviewFilterForm.base_fields:
        if request.POST.get(name):
            query[name] = request.POST[name]
    url = reverse("declarations:review", args=[declaration.slug])
    return f"{url}?{query.urlencode()}" if query else url


def _confirm_invalidation(request, declaration: Declaration, count: int, reason: str):
    text = reader_text(declaration)
    return ask_to_confirm(
        request,
        title=_("Invalidate signatures"),
        subject=text.title,
        subject_language=text.language,
        consequence=ngettext(
            "%(count)s signature matching the filter will be marked invalid and no longer"
            " counted. It is kept, never deleted.",
            "%(count)s signatures matching the filter will be marked invalid and no longer"
            " counted. They are kept, never deleted.",
            count,
        )
        % {"count": figure(count)},
        details=[(_("Reason"), reason.strip())],
        button=ngettext("Invalidate %(count)s signature", "Invalidate %(count)s signatures", count)
        % {"count": figure(count)},
        back=_filtered_review(request, declaration),
    )


@login_required
def review_signatures(request, slug: str):
    declaration = managed_or_403(request, slug)
    invalidate_form = None
    status = 200
    if request.method == "POST":
        status = 422  # unless a refusal says otherwise; a success redirects
        filter_form = ReviewFilterForm(request.POST)
        invalidate_form = InvalidateForm(request.POST)
        if invalidate_form.is_valid():
            selection = invalidate_form.selection()
            reason = invalidate_form.cleaned_data["reason"]
            try:
                if not is_confirmed(request):
                    count = review.check_invalidation(request.user, declaration, selection, reason)
                    if count:
                        return _confirm_invalidation(request, declaration, count, reason)
                    raise ValidationError(
                        _("Every matching signature is already invalidated; nothing changes.")
                    )
                count = review.invalidate_signatures(request.user, declaration, selection, reason)
            except ValidationError as error:
                add_service_errors(invalidate_form, error)
            except Refused as refusal:
                invalidate_form.add_error(None, refusal.message)
                status = refusal.status
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s signature invalidated; the counts already reflect it.",
                        "%(count)s signatures invalidated; the counts already reflect it.",
                        count,
                    )
                    % {"count": figure(count)},
                )
                return redirect(_filtered_review(request, declaration))
    else:
        filter_form = ReviewFilterForm(request.GET or None)
    valid = filter_form.is_bound and filter_form.is_valid()
    selection = filter_form.selection() if valid else review.SignatureFilter()
    if invalidate_form is None and not selection.is_empty():
        invalidate_form = InvalidateForm()
    found = queries.signatures_for_review(declaration, selection)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    offered = not selection.is_empty() or request.method == "POST"
    # Only the rows still counted are offered: invalidated ones stay listed, not offered again.
    to_invalidate = review.still_counted(declaration, selection).count() if offered else 0
    return render(
        request,
        "declarations/review.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "filter_form": filter_form,
            "filtered": not selection.is_empty(),
            "invalidate_form": invalidate_form if offered else None,
            "can_invalidate": declaration.signatures_can_change,
            "to_invalidate": to_invalidate,
            "page": page,
        },
        status=status,
    )


@login_required
def import_signatures(request, slug: str):
    declaration = managed_or_403(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    refusal, status = None, 422 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.start_import(
                request.user,
                declaration,
                form.cleaned_data["file"],
                dry_run=request.POST.get("action") != "import",
                collected_by=form.cleaned_data["collected_by"],
            )
        except Refused as why:
            refusal, status = why, why.status
        else:
            return redirect("declarations:import_job", declaration.slug, job.pk)
    return render(
        request,
        "declarations/import.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "form": form,
            "accepting": declaration.signatures_can_change,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def import_job(request, slug: str, pk: int):
    declaration = managed_or_403(request, slug)
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk, declaration=declaration)
    return render(
        request,
        "declarations/import_job.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "job": job,
            "working": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
            "good_rows": job.valid,
            "errors": job.errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(len(job.errors) - MAX_ERRORS_SHOWN, 0),
        },
    )


@login_required
@require_POST
def link_outcome(request, event: str):
    """Link a declaration to the event it was adopted at; posted from the event's management
    page, which it returns to. A refusal shows this small form again with the reason."""
    found = get_object_or_404(Event, slug=event)
    form = OutcomeForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            outcomes.link_declaration(request.user, found, form.cleaned_data["declaration"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        except Refused as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _("The declaration is linked to the event."))
            return redirect("events:manage", found.slug)
    return render(
        request,
        "declarations/link_outcome.html",
        {
            "event": found,
            "form": form,
            "can_manage_event": event_permissions.can_manage(request.user, found),
        },
        status=status,
    )
