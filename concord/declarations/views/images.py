"""A declaration's pictures for other sites: the counter badge members put on their pages
and the share image link previews show (Open Graph's og:image).

Both are in the URL's language and public for a short while (a draft's stay private): a
badge on a busy page or a link going round a messaging app is asked for again and again, so
the badge is a few hundred bytes built from the cached statistics, and the image is drawn
at most once per (declaration, language, title, count bucket) every SHARE_KEEP_SECONDS.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from concord.core import precompressed
from concord.core.numbers import figure
from concord.declarations import queries, share_card
from concord.declarations.models import Declaration
from concord.declarations.views.shared import direction, reader_text, visible_or_404
from concord.declarations.views.watchers import MAP_POLICY, SVG

BADGE_CACHE_SECONDS = 60
SHARE_KEEP_SECONDS = 300
PNG = "image/png"


def signatures_text(count: int) -> str:
    return ngettext("%(shown)s signature", "%(shown)s signatures", count) % {"shown": figure(count)}


def count_line(signatures: int, countries: int) -> str:
    """The share image's line, e.g. "1,023 signatures from 137 countries", translated."""
    shown = signatures_text(signatures)
    if not countries:
        return shown
    where = ngettext("from %(shown)s country", "from %(shown)s countries", countries) % {
        "shown": figure(countries)
    }
    # Translators: "1,023 signatures" and "from 137 countries", in the order the language needs.
    return pgettext("share image", "%(signatures)s %(countries)s") % {
        "signatures": shown,
        "countries": where,
    }


def _cache_control(declaration: Declaration, seconds: int) -> str:
    if declaration.status == Declaration.Status.DRAFT:
        return "private, no-cache"
    return f"public, max-age={seconds}"


def _badge_width(text: str) -> int:
    # No font metrics in the browser's hands: ~7 px a Latin letter at 11 px, 11 px a CJK one.
    return 16 + sum(11 if ord(ch) >= 0x2E80 else 7 for ch in text)


def badge(request: HttpRequest, slug: str) -> HttpResponse:
    declaration = visible_or_404(request, slug)
    stats = queries.declaration_stats(declaration)
    text = signatures_text(stats.signatures)
    title = reader_text(declaration).title
    width = _badge_width(text)
    rtl = ' direction="rtl"' if direction(translation.get_language()) == "rtl" else ""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20"'
        f' viewBox="0 0 {width} 20" role="img" aria-label="{escape(text)}">'
        f"<title>{escape(title)}: {escape(text)}</title>"
        f'<rect width="{width}" height="20" rx="3" fill="#0b6e4f"/>'
        f'<text x="{width / 2:g}" y="14" fill="#fff" text-anchor="middle" font-size="11"'
        f' font-family="Verdana,DejaVu Sans,sans-serif"{rtl}>'
        f"{escape(text)}</text></svg>"
    )
    response = precompressed.answer(
        request,
        precompressed.Body.of(svg.encode()),
        SVG,
        cache_control=_cache_control(declaration, BADGE_CACHE_SECONDS),
    )
    response["Content-Security-Policy"] = MAP_POLICY
    return response


def count_bucket(count: int) -> int:
    """The count rounded down to two significant figures: the image is redrawn when it
    moves on by about a hundredth, not at every signature of a surge."""
    if count < 100:
        return count
    step = 10 ** (len(str(count)) - 2)
    return count // step * step


def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    declaration = visible_or_404(request, slug)
    stats = queries.declaration_stats(declaration)
    text = reader_text(declaration)
    language = translation.get_language()
    title_hash = hashlib.sha256(f"{text.language}:{text.title}".encode()).hexdigest()[:12]
    key = f"declaration-share:{language}:{declaration.pk}:{title_hash}:"
    key += str(count_bucket(stats.signatures))
    png = cache.get(key)
    if png is None:
        png = share_card.draw_card(
            text.title, text.language, count_line(stats.signatures, stats.countries), language
        )
        cache.set(key, png, timeout=SHARE_KEEP_SECONDS)
    etag = f'"{hashlib.sha256(png).hexdigest()[:20]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(png, content_type=PNG)
    response["ETag"] = etag
    response["Cache-Control"] = _cache_control(declaration, SHARE_KEEP_SECONDS)
    response["Content-Security-Policy"] = MAP_POLICY
    return response


# The alternative text of the share image, for the page's og:image:alt.
def share_alt(title: str) -> str:
    return _("%(title)s: the declaration and its signatures") % {"title": title}
