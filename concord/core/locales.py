"""Babel's locale for a page's language: numbers, dates and CLDR names are all written with it,
so every formatter agrees on what "the page's language" means."""

from functools import cache

from babel import Locale
from django.utils import translation


@cache
def _parse(language: str) -> Locale | None:
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, LookupError, TypeError):
        return None


def babel_locale(language: str | None = None) -> Locale | None:
    """Babel's locale for a Django language code ("zh-hans" is Babel's "zh_Hans"); the active
    language when none is given."""
    return _parse(language or translation.get_language() or "en")


def page_locale(language: str | None = None) -> Locale:
    """Like `babel_locale`, falling back to English for a code Babel does not know."""
    return babel_locale(language) or _parse("en") or Locale("en")
