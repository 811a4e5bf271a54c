"""Country and region names in the reader's language, from the Unicode CLDR (via Babel)."""

from functools import cache

from babel import Locale
from django.utils import translation


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (ValueError, LookupError):
        return {}


def localised_name(code: str, fallback: str = "", language: str | None = None) -> str:
    """The name of a country (alpha-2) or M49 area (e.g. "002") in `language`."""
    language = language or translation.get_language() or "en"
    return _territories(language).get(code) or fallback or code


def all_names(code: str, fallback: str, languages=("en", "fr", "ar", "es", "pt", "ru", "zh")):
    return {lang: localised_name(code, fallback, lang) for lang in languages}
