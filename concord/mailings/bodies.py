"""A mailing's body: Markdown, rendered into the HTML part and the text part from the same
source. Raw HTML is not Markdown here (shown as typed, and refused by `problems` when it is a
tag), images may only come from the site itself (a remote one tells its owner who opened the
message), and the HTML is cleaned by nh3 whatever the renderer made."""

import re

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_parsing = MarkdownIt("commonmark", {"html": True})

TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "h1", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def _is_own(src: str) -> bool:
    own = src.startswith("/") and not src.startswith("//")
    return own or src.startswith(settings.SITE_URL + "/")


def _walk(tokens):
    for token in tokens:
        yield token
        yield from _walk(token.children or [])


def problems(body: str) -> list[str]:
    """What makes a body unsendable, as messages for its author (empty when it may go)."""
    found = []
    tokens = list(_walk(_parsing.parse(body)))
    if any(token.type in ("html_block", "html_inline") for token in tokens):
        found.append(_("Write the message in Markdown: HTML tags and scripts are not allowed."))
    if any(token.type == "image" and not _is_own(token.attrGet("src") or "") for token in tokens):
        found.append(_("Images must come from this site: remote images are not allowed."))
    return found


def html(body: str) -> SafeString:
    rendered = _markdown.render(body)
    # Safe to insert in a page or a message: nh3 kept only the tags and schemes named here.
    return mark_safe(_clean(rendered))  # noqa: S308 - cleaned by nh3 just above


def _clean(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        attribute_filter=_own_images_only,
    )


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Drops a remote image; makes a link or image on this site absolute (a message is read
    elsewhere)."""
    if tag == "img" and attribute == "src" and not _is_own(value):
        return None
    if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
        return settings.SITE_URL + value
    return value


_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def text(body: str) -> str:
    """The text part: the Markdown as written, each link as "words (address)"."""
    return _LINK.sub(lambda found: f"{found[1]} ({_absolute(found[2])})", body).strip() + "\n"


def _absolute(link: str) -> str:
    own = link.startswith("/") and not link.startswith("//")
    return settings.SITE_URL + link if own else link
