"""The pages of those who manage a declaration (the secretariat, its drafting committee):
creating it, its texts and lifecycle, the invitation list, reviewing and invalidating
signatures, and importing signatures collected on paper (run in the background; its page
refreshes itself until the work is done).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.declarations import imports, permissions, queries
from concord.declarations.forms import (
    DeclarationForm,
    ImportForm,
    InvalidateForm,
    InviteesForm,
    ReviewFilterForm,
    TextForm,
    language_choices,
)
from concord.declarations.models import Declaration, ImportJob
from concord.declarations.services import lifecycle, review
from concord.declarations.views.shared import (
    language_names,
    managed_or_403,
    reader_text,
    texts_by_language,
)
from concord.events.eligibility import link_by_slug

# An import page lists this many bad rows at most (a wrong file can have 100,000).
MAX_ERRORS_SHOWN = 500


@login_required
def create(request):
    if not permissions.can_create_declarations(request.user):
        raise PermissionDenied
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        event_slug = data.pop("event", "")
        try:
            with transaction.atomic():
                declaration = lifecycle.create_declaration(request.user, **data)
                if event_slug:
                    link_by_slug(request.user, event_slug, declaration)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The declaration was created as a draft. Add translations, then open it."),
            )
            return redirect("declarations:manage", declaration.slug)
    return render(request, "declarations/create.html", {"form": form})


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
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in LIFECYCLE:
            try:
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
                        % {"count": added},
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
        },
    )


@login_required
def review_signatures(request, slug: str):
    declaration = managed_or_403(request, slug)
    invalidate_form = None
    if request.method == "POST":
        filter_form = ReviewFilterForm(request.POST)
        invalidate_form = InvalidateForm(request.POST)
        if invalidate_form.is_valid():
            try:
                count = review.invalidate_signatures(
                    request.user,
                    declaration,
                    invalidate_form.selection(),
                    invalidate_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(invalidate_form, error)
            except Refused as refusal:
                invalidate_form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s signature invalidated; the counts already reflect it.",
                        "%(count)s signatures invalidated; the counts already reflect it.",
                        count,
                    )
                    % {"count": count},
                )
                query = QueryDict(mutable=True)
                for name in ReviewFilterForm.base_fields:
                    if request.POST.get(name):
                        query[name] = request.POST[name]
                url = reverse("declarations:review", args=[declaration.slug])
                return redirect(f"{url}?{query.urlencode()}" if query else url)
    else:
        filter_form = ReviewFilterForm(request.GET or None)
    valid = filter_form.is_bound and filter_form.is_valid()
    selection = filter_form.selection() if valid else review.SignatureFilter()
    if invalidate_form is None and not selection.is_empty():
        invalidate_form = InvalidateForm()
    found = queries.signatures_for_review(declaration, selection)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "declarations/review.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "filter_form": filter_form,
            "filtered": not selection.is_empty(),
            "invalidate_form": invalidate_form
            if not selection.is_empty() or request.method == "POST"
            else None,
            "can_invalidate": declaration.status
            in (Declaration.Status.OPEN, Declaration.Status.DRAFT),
            "page": page,
        },
    )


@login_required
def import_signatures(request, slug: str):
    declaration = managed_or_403(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = ImportJob.objects.create(
            declaration=declaration,
            dry_run=request.POST.get("action") != "import",
            content=form.cleaned_data["file"],
            collected_by=form.cleaned_data["collected_by"],
            requested_by=request.user,
        )
        transaction.on_commit(lambda: imports.run_import.enqueue(job.pk))
        return redirect("declarations:import_job", declaration.slug, job.pk)
    return render(
        request,
        "declarations/import.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "form": form,
            "accepting": declaration.status in (Declaration.Status.OPEN, Declaration.Status.DRAFT),
        },
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
