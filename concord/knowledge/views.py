"""Pages for case studies: thin views that parse input, call a service or query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.choices import flatten_choices
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from concord.core import limits
from concord.core.collation import Collated
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.countries.maps import world_map_svg
from concord.knowledge import permissions, queries
from concord.knowledge.embeddings import get_embedder
from concord.knowledge.forms import (
    AdaptationForm,
    ContactForm,
    DocumentForm,
    PhotoForm,
    PracticeForm,
    ReviewForm,
    SearchForm,
    TranslationForm,
)
from concord.knowledge.models import LANGUAGES, Practice
from concord.knowledge.services.adaptations import contact_organisation, record_adaptation
from concord.knowledge.services.media import add_document, add_photo, approve_media
from concord.knowledge.services.review import publish_practice, return_practice, submit_practice
from concord.knowledge.services.writing import create_practice, save_translation, update_practice
from concord.organisations.models import Organisation

PAGE_SIZE = 20


def search(request):
    form = SearchForm(request.GET or None)
    result, error = None, None
    if form.is_bound and not form.is_valid():
        error = " ".join(" ".join(errors) for errors in form.errors.values())
        chosen: dict = {}
    else:
        chosen = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    if chosen.get("q"):
        limits.check("search", request)  # a query costs an embedding and a ranking
    try:
        result = queries.search_practices(queries.PracticeFilters(**chosen))
    except ValidationError as problem:
        error = " ".join(problem.messages)
        result = queries.search_practices(queries.PracticeFilters())
    paginator = Paginator(range(result.count()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    practices = result.page(page.start_index() - 1 if result.count() else 0, PAGE_SIZE)
    names = {
        "theme": dict(form.fields["theme"].choices),
        "language": dict(LANGUAGES),
        "setting": dict(Practice.Setting.choices),
        # The region picker groups sub-regions under their region: its options, not its groups.
        "region": dict(flatten_choices(form.fields["region"].choices)),
    }
    facets = [
        (key, [(value, names[key].get(value, value), n) for value, n in counts])
        for key, counts in result.facets().items()
    ]
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "error": error,
            "result": result,
            "page": page,
            "practices": practices,
            "facets": facets,
            "query": chosen.get("q", ""),
            "semantic_off": get_embedder() is None,
        },
    )


def _practice(request, pk: int) -> Practice:
    practice = queries.practice_for_page(pk)
    if practice is None or not permissions.can_view(request.user, practice):
        raise Http404
    return practice


def _own_member_organisations(user):
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            representatives__user=user, status=Organisation.Status.MEMBER
        ).order_by(Collated("name"), "pk")
    )


def detail(request, pk: int):
    return _render_detail(request, _practice(request, pk))


def _refused(request, pk: int, refusal: Refused):
    """A move the case study's status does not allow: the page as it is now, with the
    reason, answered with the refusal's status (409), as the API answers."""
    messages.error(request, refusal.message)
    return _render_detail(request, _practice(request, pk), status=refusal.status)


def _render_detail(request, practice: Practice, status: int = 200):
    user = request.user
    adapters = [o for o in _own_member_organisations(user) if o.pk != practice.organisation_id]
    counts = queries.adaptation_counts(practice)
    places = len(counts)
    adaptation_map = world_map_svg(
        counts,
        title=_("Where this practice has been adapted"),
        legend_title=_("Adaptations"),
        description=ngettext(
            "Adapted in %(count)s country.", "Adapted in %(count)s countries.", places
        )
        % {"count": places},
        no_data_label=_("none"),
    )
    # Photos and PDFs waiting for review are shown only to those who may see them, marked so.
    unreviewed = permissions.can_see_unreviewed_media(user, practice)
    return render(
        request,
        "knowledge/detail.html",
        {
            "practice": practice,
            "photos": [p for p in practice.photos.all() if unreviewed or not p.awaits_review],
            "documents": [d for d in practice.documents.all() if unreviewed or not d.awaits_review],
            "can_edit": permissions.can_edit(user, practice),
            "can_submit": permissions.can_submit(user, practice),
            "can_review": permissions.can_review(user) and practice.awaits_review,
            "can_contact": permissions.can_contact(user, practice),
            "can_see_note": permissions.can_edit(user, practice)
            or permissions.can_submit(user, practice)
            or permissions.can_review(user),
            "review_form": ReviewForm(),
            "adaptation_form": AdaptationForm(organisations=adapters) if adapters else None,
            "contact_form": ContactForm(),
            "adaptation_map": adaptation_map if practice.is_published else None,
            "similar": queries.similar_practices(practice) if practice.is_published else [],
            "same_themes": queries.organisations_on_same_themes(practice),
        },
        status=status,
    )


@login_required
def create(request):
    organisations = [o for o in _own_member_organisations(request.user)]
    if not organisations:
        raise PermissionDenied
    form = PracticeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            practice = create_practice(request.user, organisation, form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your draft is saved. Submit it for review when it is ready."),
            )
            return redirect("knowledge:detail", practice.pk)
    return render(request, "knowledge/edit.html", {"form": form, "practice": None})


@login_required
def edit(request, pk: int):
    practice = _practice(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        try:
            update_practice(request.user, practice, form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case study has been saved."))
            return redirect("knowledge:detail", practice.pk)
    return render(request, "knowledge/edit.html", {"form": form, "practice": practice})


@login_required
@require_POST
def submit(request, pk: int):
    practice = _practice(request, pk)
    try:
        submit_practice(request.user, practice)
    except Refused as refusal:
        return _refused(request, pk, refusal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted. The secretariat will review your case study."))
    return redirect("knowledge:detail", pk)


@login_required
def review(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied
    return render(
        request,
        "knowledge/review.html",
        {
            "practices": queries.practices_to_review(),
            "with_media": queries.practices_with_unreviewed_media(),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def review_media(request, pk: int):
    """The secretariat approves the photos and PDFs added to a published case study."""
    practice = _practice(request, pk)
    if approve_media(request.user, practice):
        messages.success(request, _("The photos and documents are now public."))
    return redirect("knowledge:review")


@login_required
@require_POST
def review_action(request, pk: int):
    practice = _practice(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("knowledge:detail", pk)
    try:
        if form.cleaned_data["action"] == "publish":
            publish_practice(request.user, practice)
            messages.success(request, _("The case study is published."))
        else:
            return_practice(request.user, practice, form.cleaned_data["comment"])
            messages.success(request, _("The case study was returned to its authors."))
    except Refused as refusal:
        return _refused(request, pk, refusal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("knowledge:detail", pk)
    return redirect("knowledge:review")


@login_required
def mine(request):
    return render(
        request,
        "knowledge/mine.html",
        {
            "practices": queries.practices_of(request.user),
            "can_write": bool(_own_member_organisations(request.user)),
        },
    )


@login_required
@require_POST
def adapt(request, pk: int):
    practice = _practice(request, pk)
    organisations = [
        o for o in _own_member_organisations(request.user) if o.pk != practice.organisation_id
    ]
    form = AdaptationForm(request.POST, organisations=organisations)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("knowledge:detail", pk)
    organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
    try:
        record_adaptation(request.user, practice, organisation, form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: your adaptation is recorded."))
    return redirect("knowledge:detail", pk)


@login_required
@require_POST
def contact(request, pk: int):
    practice = _practice(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        # Per sender network and per receiving organisation, whoever writes to it.
        limits.check("contact", request, address=f"organisation:{practice.organisation_id}")
        try:
            contact_organisation(request.user, practice, form.cleaned_data["message"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your message has been sent to the organisation."))
    else:
        messages.error(request, _("Write a message (up to 3,000 characters)."))
    return redirect("knowledge:detail", pk)


@login_required
def translate(request, pk: int):
    practice = _practice(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_translation(request.user, practice, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The language version has been saved."))
            return redirect("knowledge:detail", pk)
    return render(request, "knowledge/translate.html", {"form": form, "practice": practice})


@login_required
def media(request, pk: int):
    practice = _practice(request, pk)
    if not permissions.can_edit(request.user, practice):
        raise PermissionDenied
    photo_form = PhotoForm()
    document_form = DocumentForm()
    if request.method == "POST":
        try:
            if "image" in request.FILES:
                photo_form = PhotoForm(request.POST, request.FILES)
                if photo_form.is_valid():
                    add_photo(
                        request.user,
                        practice,
                        photo_form.cleaned_data["image"],
                        photo_form.cleaned_data["caption"],
                    )
                    messages.success(request, _("The photo has been added."))
                    return redirect("knowledge:media", pk)
            else:
                document_form = DocumentForm(request.POST, request.FILES)
                if document_form.is_valid():
                    add_document(
                        request.user,
                        practice,
                        document_form.cleaned_data["file"],
                        document_form.cleaned_data["title"],
                    )
                    messages.success(request, _("The document has been added."))
                    return redirect("knowledge:media", pk)
        except ValidationError as error:
            target = photo_form if "image" in request.FILES else document_form
            add_service_errors(target, error)
    return render(
        request,
        "knowledge/media.html",
        {"practice": practice, "photo_form": photo_form, "document_form": document_form},
    )
