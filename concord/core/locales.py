"""The one mapping from a Django language code to a CLDR locale, shared by everything that asks
CLDR (Babel's names and formats, ICU's collation) so they agree on what "zh-hans" means."""

from babel import Locale, UnknownLocaleError
from django.utils import translation


def babel_locale(language: str) -> Locale | None:
    """Babel's locale for a Django language code ("zh-hans" is Babel's "zh_Hans")."""
    try:
        return Locale.parse(translation.to_locale(language))
    except (ValueError, LookupError, TypeError, UnknownLocaleError):
        return None
