"""The public declaration pages: the list, a declaration with its live count, signing,
confirming, the signatory list and the PDF.

Signing works without JavaScript or an account: the form posts, the service decides, and a
refusal (not open, bad input, too many attempts) comes back on the same page with the HTTP
status the API would answer. Whether the address had signed, or may sign, is never shown:
every well-formed submission lands on the same "check your email" page
(`services/submissions.py`). The PDF is built in the background; its page refreshes itself
with a <meta> refresh until the work is done.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from concord.core import dates, keyset, limits, offline
from concord.core.csrf import csrf_for_sessions
from concord.core.errors import Refused
from concord.core.forms import add_service_errors
from concord.core.network import client_ip
from concord.core.numbers import figure
from concord.declarations import permissions, queries, share_card
from concord.declarations.addressees import queries as addressee_queries
from concord.declarations.drafting import queries as drafting_queries
from concord.declarations.forms import ResendForm, SignatoryFilterForm, SignForm
from concord.declarations.models import Declaration, Export, Signature
from concord.declarations.services import attribution, pdf_exports, resending, submissions
from concord.declarations.services import signing as signatures
from concord.declarations.views import images, watchers
from concord.declarations.views.shared import (
    direction,
    language_names,
    reader_text,
    texts_by_language,
    visible_or_404,
)
from concord.organisations.models import Organisation
from concord.organisations.permissions import is_secretariat, organisations_acted_for
from concord.organisations.queries import organisations_of

# Open declarations first, then the finished ones, then drafts (seen by their managers).
STATUS_ORDER = {"open": 0, "published": 1, "closed": 2, "draft": 3}
TOP_COUNTRIES = 20
OG_DESCRIPTION_CHARS = 200
# og:locale is language_TERRITORY; these are the ones Facebook's previews know.
OG_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "ar": "ar_AR",
    "es": "es_LA",
    "pt": "pt_BR",
    "ru": "ru_RU",
    "zh-hans": "zh_CN",
    "az": "az_AZ",
    "sw": "sw_KE",
}
CHART_DAYS = 60


def _sign_form(request, language: str, data=None) -> SignForm:
    user = request.user
    # The share link's value goes on as given (in form only): the page is the same whether
    # it names a member or not.
    initial = {"language": language, "via": attribution.clean_via(request.GET.get("via", ""))}
    organisations: Iterable[Organisation] = ()
    if user.is_authenticated:
        initial.update(name=user.name, email=user.email)
        organisations = organisations_of(user).filter(status=Organisation.Status.MEMBER)
    return SignForm(data, organisations=organisations, initial=initial)


def _per_day_chart(per_day, title: str) -> SafeString:
    """A bar chart of the last days as inline SVG: presentation attributes only, so it holds
    under the Content-Security-Policy. The table next to it carries the same numbers."""
    days = per_day[-CHART_DAYS:]
    if not days:
        return mark_safe("")
    peak = max(n for _day, n in days) or 1
    bar, gap, height = 8, 2, 60
    bars = []
    for index, (day, n) in enumerate(days):
        size = max(round(n / peak * height, 1), 1)
        tip = f"{dates.when(day, 'short')}: {figure(n)}"
        bars.append(
            f'<rect x="{index * (bar + gap)}" y="{height - size:g}" width="{bar}"'
            f' height="{size:g}" fill="#0b6e4f"><title>{escape(tip)}</title></rect>'
        )
    width = len(days) * (bar + gap) - gap
    return mark_safe(  # noqa: S308 - every interpolated text is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' height="120" preserveAspectRatio="xMinYMax meet" role="img"'
        f' aria-label="{escape(title)}">{"".join(bars)}</svg>'
    )


def declaration_list(request):
    declarations = sorted(
        queries.visible_declarations(request.user), key=lambda d: STATUS_ORDER.get(d.status, 9)
    )
    sections: dict[str, list[dict]] = {"open": [], "finished": [], "draft": []}
    counts = queries.signature_counts([d for d in declarations if d.status == "open"])
    for declaration in declarations:
        if declaration.status == Declaration.Status.OPEN:
            signatures, section = counts.get(declaration.pk, 0), "open"
        elif declaration.status == Declaration.Status.DRAFT:
            signatures, section = None, "draft"
        else:
            signatures, section = declaration.final_signature_count, "finished"
        sections[section].append(
            {
                "declaration": declaration,
                "text": reader_text(declaration),
                "signatures": signatures,
            }
        )
    return render(
        request,
        "declarations/list.html",
        {
            "sections": sections,
            "can_create": permissions.can_create_declarations(request.user),
        },
    )


def detail(request, slug: str):
    """The declaration with its live count; for visitors without a session, from the cache
    (`watchers.py` says what is cached and why the form needs no per-visitor value)."""
    key = watchers.page_key(request)
    if key is not None:
        cached = watchers.cached_page(request, key)
        if cached is not None:
            return cached
    declaration = visible_or_404(request, slug)
    wanted = request.GET.get("text", "")
    if (
        key is None
        or declaration.status == Declaration.Status.DRAFT
        or (wanted and wanted not in texts_by_language(declaration))
    ):
        return _render_detail(request, declaration, wanted)
    response = _render_detail(request, declaration, wanted, for_cache=True)
    if response.status_code != 200:
        return response
    stats = queries.declaration_stats(declaration)
    return watchers.keep_page(request, key, response.content, stats)


def _render_detail(
    request,
    declaration: Declaration,
    language: str,
    *,
    form=None,
    refusal=None,
    status=200,
    for_cache=False,
):
    text = declaration.text_for(language, translation.get_language())
    stats = queries.declaration_stats(declaration)
    per_day = queries.signatures_per_day(declaration)
    closed_reason = ""
    try:
        signatures.check_open(declaration)
    except Refused as why:
        closed_reason = why.message
    if form is None and not closed_reason:
        form = _sign_form(request, text.language)
    all_countries = request.GET.get("countries") == "all"
    languages = language_names()
    context = {
        "declaration": declaration,
        "text": text,
        "text_dir": direction(text.language),
        "texts": [
            (version, languages.get(version.language, version.language))
            for version in declaration.texts.all()
        ],
        "stats": stats,
        "cover": stats.coverage,
        "goal_share": (
            min(stats.signatures / declaration.goal_signatures, 1)
            if declaration.goal_signatures
            else None
        ),
        "countries": stats.by_country if all_countries else stats.by_country[:TOP_COUNTRIES],
        "more_countries": not all_countries and len(stats.by_country) > TOP_COUNTRIES,
        "map": watchers.map_image(declaration, stats),
        "per_day": per_day,
        "per_day_chart": _per_day_chart(per_day, _("Signatures per day")),
        "can_sign": not closed_reason,
        "closed_reason": closed_reason,
        "form": form,
        "refusal": refusal,
        "can_manage": permissions.can_manage(request.user, declaration),
        "api": f"/api/v1/declarations/{declaration.slug}",
        "share": _share_tags(declaration, text),
        # Links to the "brought by" pages of the organisations the person acts for.
        "my_organisations": list(organisations_acted_for(request.user)) if not for_cache else [],
        "see_all_brought": is_secretariat(request.user),
        # Both the same for every visitor, so the cached page may hold them.
        "cosponsors": drafting_queries.cosponsors(declaration),
        "answers": addressee_queries.response_coverage(declaration),
    }
    if for_cache:  # the same bytes for every anonymous visitor: no token in its forms
        context["csrf_token"] = "NOTPROVIDED"  # noqa: S105 - Django's "no token" marker
    return render(request, "declarations/detail.html", context, status=status)


def _share_tags(declaration: Declaration, text) -> dict:
    """What link previews (Open Graph, Twitter cards) show: absolute URLs on SITE_URL, in
    the page's language, so a link shared in French previews in French."""
    site = settings.SITE_URL
    return {
        "url": site + reverse("declarations:detail", args=[declaration.slug]),
        "image": site + reverse("declarations:share_image", args=[declaration.slug]),
        "width": share_card.WIDTH,
        "height": share_card.HEIGHT,
        "alt": images.share_alt(text.title),
        "description": Truncator(" ".join(text.body.split())).chars(OG_DESCRIPTION_CHARS),
        "locale": OG_LOCALES.get(translation.get_language(), "en_GB"),
    }


@require_POST
@csrf_for_sessions  # the cached page's form has no token: see watchers.py
def sign(request, slug: str):
    declaration = visible_or_404(request, slug)
    language = request.POST.get("language", "")
    form = _sign_form(request, language, request.POST)
    try:  # before any work: each attempt may mail the address typed in
        limits.check("sign", request, address=request.POST.get("email", ""))
    except limits.TooMany as refusal:
        return _render_detail(
            request, declaration, language, form=form, refusal=refusal, status=refusal.status
        )
    if not form.is_valid():
        return _render_detail(request, declaration, language, form=form, status=422)
    signed_on_device_at = offline.device_time(request)  # a form kept offline, sent later
    context = signatures.Context(
        user=request.user,
        ip=client_ip(request),
        started_at=form.started_at(),
        honeypot=form.cleaned_data["website"],
        language=translation.get_language(),  # the page's (its /fr/, /ar/ prefix)
        source=Signature.Source.SYNCED if signed_on_device_at else Signature.Source.WEB,
        signed_on_device_at=signed_on_device_at,
    )
    try:
        status = submissions.submit(declaration, form.signature_input(), context)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_detail(request, declaration, language, form=form, status=422)
    except Refused as refusal:
        return _render_detail(
            request, declaration, language, form=form, refusal=refusal, status=refusal.status
        )
    url = reverse("declarations:signed", args=[declaration.slug])
    return redirect(f"{url}?status={status}")


def signed(request, slug: str):
    declaration = visible_or_404(request, slug)
    status = request.GET.get("status", "")
    return render(
        request,
        "declarations/signed.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "status": status if status in ("pending", "confirmed") else "",
            "resend_form": ResendForm(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, slug: str, token: str):
    """The emailed link shows a button; only the button's POST confirms (scanners only GET)."""
    declaration = visible_or_404(request, slug)
    context = {"declaration": declaration, "text": reader_text(declaration), "token": token}
    if request.method == "POST":
        try:
            signatures.confirm_signature(declaration, token)
        except Refused as refusal:
            context["refusal"] = refusal
            if refusal.code == "expired":
                context["resend_form"] = ResendForm()
            return render(request, "declarations/confirm.html", context, status=refusal.status)
        context["confirmed"] = True
    return render(request, "declarations/confirm.html", context)


@require_POST
def resend(request, slug: str):
    declaration = visible_or_404(request, slug)
    form = ResendForm(request.POST)
    limits.check("resend", request, address=request.POST.get("email", ""))
    if form.is_valid():
        resending.resend_confirmation(
            declaration, form.cleaned_data["email"], translation.get_language()
        )
    # The same answer whatever the address, so the page never tells who signed.
    messages.success(
        request, _("If this address has a pending signature, a new link is on its way.")
    )
    return redirect("declarations:signed", declaration.slug)


def signatories(request, slug: str):
    """The public list, a page at a time by cursor (`?after=`/`?before=`, `?page=last`):
    links only, so it works without JavaScript, and any page costs the same."""
    declaration = visible_or_404(request, slug)
    form = SignatoryFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = {
        "declaration": declaration,
        "text": reader_text(declaration),
        "form": form,
        "filtered": bool(chosen.get("q") or chosen.get("country")),
        "api": f"/api/v1/declarations/{declaration.slug}",
    }
    try:
        at = keyset.position_of(request.GET)
        page = queries.signatory_page(
            declaration,
            q=chosen.get("q", ""),
            country=chosen.get("country", ""),
            after=at.after,
            before=at.before,
            last=at.last,
        )
    except Refused as refusal:
        context.update(refusal=refusal, first=keyset.link(request.GET))
        return render(request, "declarations/signatories.html", context, status=refusal.status)
    query = request.GET
    paged = bool(page.after or page.before)
    context.update(
        page=page,
        links={
            "first": keyset.link(query) if page.before else None,
            "previous": keyset.link(query, before=page.before) if page.before else None,
            "next": keyset.link(query, after=page.after) if page.after else None,
            "last": keyset.link(query, page="last") if page.after else None,
        }
        if paged
        else None,
    )
    return render(request, "declarations/signatories.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def pdf(request, slug: str):
    """Everyone may download the latest finished PDF; only managers ask for a new one (a
    build takes time, so a visitor cannot make the site build PDFs)."""
    declaration = visible_or_404(request, slug)
    texts = texts_by_language(declaration)
    language = request.POST.get("lang") or request.GET.get("lang") or ""
    if language not in texts:
        language = reader_text(declaration).language
    if request.method == "POST":
        pdf_exports.request_pdf(request.user, declaration, language)
        return redirect(f"{reverse('declarations:pdf', args=[declaration.slug])}?lang={language}")
    can_manage = permissions.can_manage(request.user, declaration)
    exports = Export.objects.filter(
        declaration=declaration, kind=Export.Kind.PDF, language=language
    ).order_by("-created_at", "-pk")
    if not can_manage:
        exports = exports.filter(status=Export.Status.DONE)
    export = exports.first()
    names = language_names()
    return render(
        request,
        "declarations/export.html",
        {
            "declaration": declaration,
            "text": texts[language],
            "language": language,
            "pdf_languages": [(code, names.get(code, code)) for code in texts],
            "export": export,
            "can_request": can_manage,
            "working": export is not None
            and export.status in (Export.Status.QUEUED, Export.Status.RUNNING),
        },
    )
