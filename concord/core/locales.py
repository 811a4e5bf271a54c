"""The one mapping from a Django language code to a CLDR locale, shared by everything that asks
CLDR (Babel's names, numbers and dates, ICU's collation) so they agree on what "zh-hans" and
"the page's language" mean."""

from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils import translation


@cache
def _parse(language: str) -> Locale | None:
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, LookupError, TypeError, UnknownLocaleError):
        return None


def babel_locale(language: str | None = None) -> Locale | None:
    """Babel's locale for a Django language code ("zh-hans" is Babel's "zh_Hans"); the active
    language when none is given."""
    return _parse(language or translation.get_language() or "en")


def page_locale(language: str | None = None) -> Locale:
    """Like `babel_locale`, falling back to English for a code Babel does not know."""
    return babel_locale(language) or _parse("en") or Locale("en")
