"""The public declaration page for the crowd that watches its count, and its map as an image.

A conference hall or a press release brings thousands of visitors asking for the same page
many times a second. For visitors without a session the page is rendered once per language
and period (until its statistics are STATS_CACHE_SECONDS old, so the count shown is never
older than the /stats answer), compressed once, and sent from the cache as it is: the same
bytes for everyone, with an ETag so a reload can answer 304.

Nothing in those bytes belongs to one visitor. The choice, weighed against a form in an
iframe or a separate signing page (both cost a slow phone a second page load, and the iframe
a frame the Content-Security-Policy forbids): the signing form stays on the page and, for
a visitor without a session, posts without a CSRF token (`core/csrf.py`: CSRF protects a
session, and an anonymous signature is only a request for a confirmation email, which
anyone can make directly). Signed-in people, and anyone with a session or a pending message,
get the page rendered for them, with their token and their prefilled form. The bot check's
"form shown at" is the time the cached page was rendered, signed: it is at most one period
earlier than the visitor saw it, so a too-fast submission is still flagged (not refused).

The map (28 KB of SVG, most of the page) is an <img> at its own URL, versioned by the counts
it shows, so a browser fetches it again only when they change; its figures are in the
country table on the page.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from concord.core import precompressed
from concord.core.csrf import has_session
from concord.countries.maps import map_size, map_summary, world_map_svg
from concord.declarations import queries
from concord.declarations.models import Declaration
from concord.declarations.queries import Stats
from concord.declarations.views.shared import visible_or_404

# `via`: a member's share link brings its crowd too (the page differs only by the value).
PAGE_QUERY = {"text", "countries", "via"}
HTML = "text/html; charset=utf-8"
SVG = "image/svg+xml"
# What makes the same URL answer differently: the encoding, and a session (a personal page).
PAGE_VARY = ("Accept-Encoding", "Cookie")
# A map URL names the counts it shows, so its answer never changes; a day, not a year,
# so a new translation of the country names reaches browsers soon.
MAP_KEEP_SECONDS = 86400
MAP_CACHE_SECONDS = 3600
# The SVG opened on its own: nothing to run, nothing to load, not to be framed.
MAP_POLICY = "default-src 'none'; frame-ancestors 'none'"


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it must be rendered for the visitor
    (a session, a pending message, an unusual query string, a POST)."""
    if not queries.stats_cached() or request.method not in ("GET", "HEAD"):
        return None
    if has_session(request) or "messages" in request.COOKIES:
        return None
    query = request.GET
    if not set(query) <= PAGE_QUERY or any(len(query.getlist(name)) > 1 for name in query):
        return None
    if query.get("countries", "all") != "all" or len(query.get("text", "")) > 10:
        return None
    if len(query.get("via", "")) > 12:  # no organisation id is longer
        return None
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"declaration-page:{translation.get_language()}:{digest}"


def cached_page(request: HttpRequest, key: str) -> HttpResponse | None:
    body = cache.get(key)
    if body is None:
        return None
    return precompressed.answer(request, body, HTML, vary=PAGE_VARY)


def keep_page(request: HttpRequest, key: str, content: bytes, stats: Stats) -> HttpResponse:
    """Compress the page rendered for anonymous visitors, keep it while its figures are
    fresh, and answer with it."""
    keep = queries.fresh_for(stats)
    body = precompressed.Body.of(content).shared_for(keep)
    if keep:
        cache.set(key, body, timeout=keep)
    return precompressed.answer(request, body, HTML, vary=PAGE_VARY)


# --- The map ----------------------------------------------------------------------------


def _map_version(stats: Stats) -> str:
    counts = repr(sorted(stats.per_country.items())).encode()
    return hashlib.sha256(counts).hexdigest()[:16]


def _map_key(slug: str, version: str) -> str:
    return f"declaration-map:{translation.get_language()}:{slug}:{version}"


def _map_body(declaration: Declaration, stats: Stats, version: str) -> precompressed.Body:
    key = _map_key(declaration.slug, version)
    body = cache.get(key)
    if body is None:
        svg = world_map_svg(
            stats.per_country, title=_("Signatures by country"), legend_title=_("Signatures")
        )
        body = precompressed.Body.of(svg.encode())
        # Never a draft's: a cached map is served without asking who may see it.
        if declaration.status != Declaration.Status.DRAFT:
            cache.set(key, body, timeout=MAP_CACHE_SECONDS)
    return body


def map_image(declaration: Declaration, stats: Stats) -> dict:
    """What the page's <img> of the map needs: its versioned URL, size and text."""
    version = _map_version(stats)
    _map_body(declaration, stats, version)  # ready before the crowd asks for it
    width, height = map_size()
    url = reverse("declarations:map", args=[declaration.slug])
    return {
        "url": f"{url}?v={version}",
        "width": width,
        "height": height,
        "alt": _("Map of signatures by country. %(summary)s")
        % {"summary": map_summary(stats.per_country)},
    }


def world_map(request: HttpRequest, slug: str) -> HttpResponse:
    """The map of a declaration's signatures as an SVG image, in the URL's language."""
    wanted = request.GET.get("v", "")
    if wanted and len(wanted) <= 16:
        body = cache.get(_map_key(slug, wanted))
        if body is not None:
            return _map_answer(request, body, current=True, public=True)
    declaration = visible_or_404(request, slug)
    stats = queries.declaration_stats(declaration)
    version = _map_version(stats)
    body = _map_body(declaration, stats, version)
    public = declaration.status != Declaration.Status.DRAFT
    return _map_answer(request, body, current=wanted == version, public=public)


def _map_answer(
    request: HttpRequest, body: precompressed.Body, *, current: bool, public: bool
) -> HttpResponse:
    if not public:
        cache_control = "private, no-cache"
    elif current:
        cache_control = f"public, max-age={MAP_KEEP_SECONDS}"
    else:  # an old or missing version: the current map, until the figures move on
        cache_control = f"public, max-age={max(int(settings.STATS_CACHE_SECONDS), 0)}"
    response = precompressed.answer(request, body, SVG, cache_control=cache_control)
    response["Content-Security-Policy"] = MAP_POLICY
    return response
