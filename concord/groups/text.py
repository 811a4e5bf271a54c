"""A post's text: Markdown rendered and cleaned by nh3 (no raw HTML, no remote images), and
its language, given or detected offline by Lingua among the interface languages."""

import re
import threading
from functools import lru_cache

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})

TAGS = {
    "a", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


def _is_own(src: str) -> bool:
    return (src.startswith("/") and not src.startswith("//")) or src.startswith(
        settings.SITE_URL + "/"
    )


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _is_own(value):
        return None
    return value


def html(body: str) -> SafeString:
    cleaned = nh3.clean(
        _markdown.render(body),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
        attribute_filter=_own_images_only,
    )
    # Safe to insert: nh3 kept only the tags, attributes and schemes named here.
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above


def _interface_languages() -> dict[Language, str]:
    found = {}
    for code, _name in settings.LANGUAGES:
        iso = getattr(IsoCode639_1, code.split("-")[0].upper(), None)
        if iso is not None:
            found[Language.from_iso_code_639_1(iso)] = code
    return found


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():
    # Built once per process, for the interface languages only, in low-accuracy mode: the
    # full models of nine languages would hold hundreds of megabytes in every process.
    languages = _interface_languages()
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build(),
        languages,
    )


_MARKUP = re.compile(r"[`*_#>\[\]()!]|https?://\S+")


def detect_language(body: str) -> str:
    """The interface language `body` is written in, or "" when Lingua cannot tell."""
    words = _MARKUP.sub(" ", body).strip()
    if len(words) < 12:
        return ""
    with _lock:
        detector, languages = _detector()
    found = detector.detect_language_of(words)
    return languages.get(found, "") if found is not None else ""
