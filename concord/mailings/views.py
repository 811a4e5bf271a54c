"""The secretariat's (and organisation admins') mailing pages, and the public news archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concord.core import limits
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.mailings import bodies, permissions, queries
from concord.mailings.forms import AudienceForm, MailingForm, SendForm, languages
from concord.mailings.models import Mailing
from concord.mailings.services import composing, sending
from concord.organisations.permissions import is_secretariat


def _writer(request):
    if not permissions.can_write_mailings(request.user):
        raise PermissionDenied


def _managed(request, pk: int) -> Mailing:
    mailing = get_object_or_404(Mailing, pk=pk)
    if not permissions.can_manage(request.user, mailing):
        raise PermissionDenied
    return mailing


@login_required
def mailing_list(request):
    _writer(request)
    mailings = queries.mailings_for(request.user).prefetch_related("texts")
    return render(request, "mailings/list.html", {"mailings": mailings})


def _organisation(request) -> int | None:
    """An organisation admin writes for their (first) organisation; the secretariat for none."""
    if is_secretariat(request.user):
        return None
    organisations = permissions.admin_organisations(request.user)
    return organisations[0].pk if organisations else None


@login_required
def compose(request, pk: int | None = None):
    _writer(request)
    mailing = _managed(request, pk) if pk else None
    if mailing is not None and not mailing.is_editable:
        messages.error(
            request, _("This mailing is being sent or was sent: it can no longer be changed.")
        )
        return redirect("mailings:detail", mailing.pk)
    initial = (
        MailingForm.initial_for(mailing)
        if mailing
        else {"original_language": translation.get_language()}
    )
    form = MailingForm(
        request.POST if request.method == "POST" else None,
        audiences=queries.audiences_for(request.user),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.mailing_input()
            data.organisation = mailing.organisation_id if mailing else _organisation(request)
            try:
                saved = composing.save_mailing(request.user, data, mailing)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The mailing was saved. Check the counts, then send a test.")
                )
                return redirect("mailings:detail", saved.pk)
        status = 422
    return render(
        request, "mailings/compose.html", {"form": form, "mailing": mailing}, status=status
    )


@login_required
def detail(request, pk: int):
    return _detail(request, _managed(request, pk))


def _refused(request, mailing: Mailing, refusal: Refused):
    """The mailing's page again, with the refusal said and answered with its status (409
    wrong state or a large audience to confirm, 422 an empty audience, 429 too many)."""
    messages.error(request, refusal.message)
    return limits.with_retry_after(_detail(request, mailing, status=refusal.status), refusal)


def _detail(request, mailing: Mailing, status: int = 200):
    mailing.refresh_from_db()
    counts = sending.preview(mailing) if mailing.is_editable else None
    names = dict(languages())
    return render(
        request,
        "mailings/detail.html",
        {
            "mailing": mailing,
            "counts": counts,
            # Lists, not Counters: a template looks a name up as a key first (a Counter's 0).
            "by_language": [
                (code, names.get(code, code), number)
                for code, number in (counts.by_language.most_common() if counts else [])
            ],
            "by_country": counts.by_country.most_common() if counts else [],
            "versions": [
                (text, names.get(text.language, text.language)) for text in mailing.texts.all()
            ],
            "progress": sending.progress(mailing),
            "send_form": SendForm(),
            # The progress page reloads itself (no script) while the mailing is going out.
            "refresh": mailing.status in (Mailing.Status.QUEUEING, Mailing.Status.SENDING),
        },
        status=status,
    )


@login_required
@require_POST
def send_test(request, pk: int):
    mailing = _managed(request, pk)
    try:
        limits.check("mailing-test", request, address=request.user.email)
        count = sending.send_test(request.user, mailing)
    except Refused as refusal:
        return _refused(request, mailing, refusal)
    messages.success(
        request, _("A test of each version (%(count)s) is on its way to you.") % {"count": count}
    )
    return redirect("mailings:detail", mailing.pk)


@login_required
@require_POST
def send(request, pk: int):
    mailing = _managed(request, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date and time."))
        return redirect("mailings:detail", mailing.pk)
    at = form.cleaned_data["send_at"]
    try:
        limits.check("mailing-send", request)
        sending.send(request.user, mailing, at=at, confirmed=form.cleaned_data["confirm"])
    except Refused as refusal:
        return _refused(request, mailing, refusal)
    if at and at > timezone.now():
        messages.success(request, _("The mailing is scheduled."))
    else:
        messages.success(request, _("The mailing is being sent."))
    return redirect("mailings:detail", mailing.pk)


@login_required
@require_POST
def pause(request, pk: int):
    mailing = _managed(request, pk)
    try:
        sending.pause(request.user, mailing)
    except Refused as refusal:
        return _refused(request, mailing, refusal)
    else:
        messages.success(request, _("The mailing is paused."))
    return redirect("mailings:detail", mailing.pk)


@login_required
@require_POST
def resume(request, pk: int):
    mailing = _managed(request, pk)
    try:
        sending.resume(request.user, mailing)
    except Refused as refusal:
        return _refused(request, mailing, refusal)
    else:
        messages.success(request, _("The mailing goes on."))
    return redirect("mailings:detail", mailing.pk)


@login_required
def audiences(request):
    _writer(request)
    form = AudienceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                composing.save_audience(request.user, form.audience_input(_organisation(request)))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The audience was saved."))
                return redirect("mailings:audiences")
        status = 422
    return render(
        request,
        "mailings/audiences.html",
        {"form": form, "audiences": queries.audiences_for(request.user)},
        status=status,
    )


def news(request):
    """The public archive, each mailing in the reader's language where it has a version."""
    language = translation.get_language()
    items = [(mailing, mailing.text_for(language)) for mailing in queries.archive()[:50]]
    return render(request, "mailings/news.html", {"items": items})


def public(request, pk: int):
    mailing = get_object_or_404(queries.archive(), pk=pk)
    text = mailing.text_for(translation.get_language())
    if text is None:
        raise Http404
    return render(
        request,
        "mailings/public.html",
        {"mailing": mailing, "text": text, "body": bodies.html(text.body)},
    )


class NewsFeed(Feed):
    """The archive as an Atom feed, in the language of its address (/fr/mailings/news/feed/)."""

    feed_type = Atom1Feed

    def title(self):
        return _("Coalition news")

    def link(self):
        return reverse("mailings:news")

    def items(self):
        return queries.archive()[:30]

    def _text(self, mailing):
        return mailing.text_for(translation.get_language())

    def item_title(self, mailing):
        return self._text(mailing).subject

    def item_description(self, mailing):
        return bodies.html(self._text(mailing).body)

    def item_link(self, mailing):
        return reverse("mailings:public", args=[mailing.pk])

    def item_pubdate(self, mailing):
        return mailing.send_at

    def item_author_name(self, mailing):
        return mailing.sender_name


feed = NewsFeed()
