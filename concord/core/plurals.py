"""A counted phrase in every plural form of the page's language, for a script to choose from.

A script shows "3 waiting to send" in the page's language without a catalogue of its own:
the page carries one text per CLDR plural category (`one`, `few`, `many`, `other`...), each
the gettext translation for a number of that category, with `{count}` where the number goes;
the script picks one with `Intl.PluralRules` and writes the number with `Intl.NumberFormat`.
"""

from collections.abc import Callable

from concord.core.locales import page_locale

# Numbers enough to meet every category of every CLDR language (0, 1, 2, few, many, other).
SAMPLES = (0, 1, 2, 3, 5, 11, 21, 22, 25, 100, 101, 102, 111, 1000000)


def plural_texts(text_for: Callable[[int], str], language: str | None = None) -> dict[str, str]:
    """{category: text} for the categories of `language`; `text_for(n)` is the translated
    text for n (an `ngettext`), with `{count}` in place of the number."""
    locale = page_locale(language)
    texts: dict[str, str] = {}
    for number in SAMPLES:
        category = locale.plural_form(number)
        texts.setdefault(category, text_for(number))
    return texts
