"""Drafting pages: the participants' page (the draft by paragraph, comments, amendments,
supports, co-sponsoring), which becomes the drafting history once the text is frozen; the
committee's page (the comment period, decisions, whether the history is public); the
comparison of two versions; editing one's comment.

A refused field answers 422, a missing right 403, a wrong state 409, as the API does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from concord.core import limits
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.declarations import permissions
from concord.declarations import queries as declaration_queries
from concord.declarations.drafting import queries
from concord.declarations.drafting.forms import (
    AmendmentForm,
    CommentForm,
    DecisionForm,
    EditCommentForm,
    EndorseForm,
    HistoryForm,
    PeriodForm,
    SupportForm,
)
from concord.declarations.drafting.models import Amendment, Comment
from concord.declarations.models import Declaration
from concord.declarations.services import amendments, drafting
from concord.declarations.views.shared import managed_or_403, reader_text
from concord.organisations.models import Organisation


def _seen_or_404(request, slug: str) -> Declaration:
    declaration = declaration_queries.declaration_for_page(slug)
    if declaration is None or not permissions.can_see_drafting(request.user, declaration):
        raise Http404
    return declaration


def _done(request, slug: str, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(reverse("declarations:drafting", args=[slug]) + anchor)


def _handle(request, declaration: Declaration, organisations, forms: dict):
    """Run the posted action; returns a redirect, or the status to render with (the bound
    form, with the service's messages, is put in `forms`)."""
    action, _sep, target = request.POST.get("action", "").partition(":")
    user = request.user
    slug = declaration.slug
    try:
        if action == "comment":
            form = forms[f"c{target}"] = CommentForm(
                request.POST, prefix=f"c{target}", organisations=organisations
            )
            if not form.is_valid():
                return 422
            drafting.add_comment(
                user, declaration, paragraph=target, text=form.cleaned_data["text"],
                organisation=form.cleaned_data.get("organisation"),
            )  # fmt: skip
            return _done(request, slug, _("Your comment was added."), f"#p{target}")
        if action == "amend":
            form = forms[f"a{target}"] = AmendmentForm(
                request.POST, prefix=f"a{target}", organisations=organisations
            )
            if not form.is_valid():
                return 422
            data = form.cleaned_data
            drafting.propose_amendment(
                user, declaration, paragraph=target, kind=data["kind"], text=data["text"],
                reason=data["reason"], language=translation.get_language(),
                organisation=data.get("organisation"),
            )  # fmt: skip
            return _done(request, slug, _("Your amendment was proposed."), f"#p{target}")
        if action == "support":
            amendment = get_object_or_404(Amendment, pk=target, declaration=declaration)
            form = forms[f"s{target}"] = SupportForm(
                request.POST, prefix=f"s{target}", organisations=organisations
            )
            if not form.is_valid():
                return 422
            drafting.support_amendment(user, amendment, form.cleaned_data["organisation"])
            return _done(request, slug, _("Your organisation supports the amendment."))
        if action == "endorse":
            form = forms["endorse"] = EndorseForm(
                request.POST, prefix="endorse", organisations=organisations
            )
            if not form.is_valid():
                return 422
            drafting.endorse(user, declaration, form.cleaned_data["organisation"])
            return _done(request, slug, _("Your organisation co-sponsors the draft."))
    except ValidationError as error:
        add_service_errors(form, error)
        return 422
    except Refused as refusal:
        messages.error(request, refusal.message)
        return refusal.status
    return HttpResponseBadRequest(_("Unknown action."))


def drafting_page(request, slug: str):
    declaration = _seen_or_404(request, slug)
    version = queries.current_version(declaration)
    if version is None:
        raise Http404
    user = request.user
    taking_part = permissions.can_take_part(user, declaration)
    organisations = (
        list(permissions.drafting_organisations(user, declaration)) if taking_part else []
    )
    may_comment = permissions.can_comment(user, declaration)
    forms: dict = {}
    status = 200
    if request.method == "POST":
        if not user.is_authenticated:
            raise PermissionDenied
        answer = _handle(request, declaration, organisations, forms)
        if not isinstance(answer, int):  # a redirect after success, or a bad request
            return answer
        status = answer
    paragraphs = queries.draft_view(declaration, version)
    for paragraph in paragraphs:
        key = paragraph.key
        paragraph.comment_form = forms.get(f"c{key}") or CommentForm(
            prefix=f"c{key}", organisations=organisations
        )
        paragraph.amendment_form = forms.get(f"a{key}") or AmendmentForm(
            prefix=f"a{key}", initial={"text": paragraph.text}, organisations=organisations
        )
        for amendment in paragraph.amendments:
            supporters = {s.organisation_id for s in amendment.support_rows}
            choices = [o for o in organisations if o.pk not in supporters
                       and o.pk != amendment.organisation_id]  # fmt: skip
            amendment.support_form = (
                forms.get(f"s{amendment.pk}")
                or (SupportForm(prefix=f"s{amendment.pk}", organisations=choices) if choices else None)
            )  # fmt: skip
    endorsers = [o for o in organisations if permissions.can_endorse(user, declaration, o)]
    text = reader_text(declaration)
    return render(
        request,
        "declarations/drafting.html",
        {
            "declaration": declaration,
            "text": text,
            "version": version,
            "period": getattr(declaration, "comment_period", None),
            "paragraphs": paragraphs,
            "may_comment": may_comment,
            "taking_part": taking_part,
            "may_decide": permissions.can_decide(user, declaration),
            "user_id": user.pk if user.is_authenticated else None,
            "versions": list(queries.versions(declaration)),
            "cosponsors": queries.cosponsors(declaration),
            "endorse_form": forms.get("endorse")
            or (EndorseForm(prefix="endorse", organisations=endorsers) if endorsers else None),
            "frozen": declaration.texts_frozen,
        },
        status=status,
    )


@login_required
def edit_comment(request, slug: str, pk: int):
    declaration = _seen_or_404(request, slug)
    comment = get_object_or_404(Comment, pk=pk, declaration=declaration)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = EditCommentForm(request.POST or None, initial={"text": comment.text})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                drafting.edit_comment(request.user, comment, form.cleaned_data["text"])
            except ValidationError as error:
                add_service_errors(form, error)
            except Refused as refusal:
                form.add_error(None, refusal.message)
                status = refusal.status
            else:
                return _done(
                    request, slug, _("Your comment was saved."), f"#p{comment.paragraph_key}"
                )
    return render(
        request,
        "declarations/drafting_comment.html",
        {"declaration": declaration, "text": reader_text(declaration), "form": form,
         "comment": comment},
        status=status,
    )  # fmt: skip


def compare(request, slug: str):
    declaration = _seen_or_404(request, slug)
    numbers = [v.number for v in queries.versions(declaration)]
    if not numbers:
        raise Http404
    try:
        new = int(request.GET.get("new", numbers[-1]))
        old = int(request.GET.get("old", max(new - 1, numbers[0])))
    except ValueError:
        raise Http404 from None
    rows = queries.comparison(declaration, old, new)
    if rows is None:
        raise Http404
    return render(
        request,
        "declarations/drafting_compare.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "rows": rows,
            "old": old,
            "new": new,
            "numbers": numbers,
        },
    )


@login_required
def manage(request, slug: str):
    declaration = managed_or_403(request, slug)
    user = request.user
    period = getattr(declaration, "comment_period", None)
    members = Organisation.objects.filter(status=Organisation.Status.MEMBER).order_by("name")
    initial = (
        {"audience": period.audience, "closes_at": period.closes_at,
         "organisations": [str(pk) for pk in period.organisations.values_list("pk", flat=True)]}
        if period else {}
    )  # fmt: skip
    period_form = PeriodForm(prefix="period", organisations=members, initial=initial)
    history_form = HistoryForm(
        prefix="history", initial={"public": declaration.drafting_history_public}
    )
    pending = [a for a in queries.amendments(declaration) if a.awaits_decision]
    decision_forms = {}
    status = 200
    if request.method == "POST":
        action, _sep, target = request.POST.get("action", "").partition(":")
        form = None
        try:
            if action == "period":
                form = period_form = PeriodForm(
                    request.POST, prefix="period", organisations=members
                )
                if form.is_valid():
                    drafting.open_for_comments(user, declaration, **form.cleaned_data)
                    messages.success(request, _("The draft is open for comments."))
                    return redirect("declarations:drafting_manage", slug)
            elif action == "history":
                form = history_form = HistoryForm(request.POST, prefix="history")
                if form.is_valid():
                    drafting.set_history_public(user, declaration, form.cleaned_data["public"])
                    messages.success(request, _("Saved."))
                    return redirect("declarations:drafting_manage", slug)
            elif action == "decide":
                amendment = get_object_or_404(Amendment, pk=target, declaration=declaration)
                others = [a for a in pending if a.pk != amendment.pk]
                form = decision_forms[amendment.pk] = DecisionForm(
                    request.POST, prefix=f"d{amendment.pk}", others=others
                )
                if form.is_valid():
                    limits.check("decide-amendment", request)  # the proposer is emailed
                    data = form.cleaned_data
                    amendments.decide(
                        user, amendment, decision=data["decision"], reason=data["reason"],
                        text=data["text"], merge_into=data["merge_into"] or None,
                    )  # fmt: skip
                    messages.success(request, _("The decision was recorded."))
                    return redirect("declarations:drafting_manage", slug)
            else:
                return HttpResponseBadRequest(_("Unknown action."))
            status = 422
        except ValidationError as error:
            add_service_errors(form, error)
            status = 422
        except Refused as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
    for amendment in pending:
        amendment.decision_form = decision_forms.get(amendment.pk) or DecisionForm(
            prefix=f"d{amendment.pk}",
            initial={"text": amendment.text},
            others=[a for a in pending if a.pk != amendment.pk],
        )
    version = queries.current_version(declaration)
    return render(
        request,
        "declarations/drafting_manage.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "period": period,
            "period_form": period_form if not declaration.texts_frozen else None,
            "history_form": history_form,
            "pending": pending,
            "paragraphs": dict(queries.paragraphs_of(version)) if version else {},
            "versions": list(queries.versions(declaration)),
            "behind": sorted(queries.translations_behind(declaration)),
        },
        status=status,
    )
