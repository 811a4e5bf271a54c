"""Country, region and group names in the reader's language: countries and most UN M49
areas from the Unicode CLDR (via Babel), the rest through gettext."""

from functools import cache

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concord.core.locales import babel_locale

# M49 areas CLDR does not name, or names as something else: its "419" is "Latin America",
# which leaves out the Caribbean (and its small island States) that M49's area includes.
REGION_NAMES = {
    "202": _("Sub-Saharan Africa"),
    "419": _("Latin America and the Caribbean"),
    "830": _("Channel Islands"),
}
# The country groups (countries/data/groups.json): CLDR has none of them. The short name is
# the abbreviation each language's UN documents use.
GROUP_NAMES = {
    "g77": (_("Group of 77 and China"), pgettext_lazy("country group", "G77+China")),
    "nam": (_("Non-Aligned Movement"), pgettext_lazy("country group", "NAM")),
    "ldc": (_("Least Developed Countries"), pgettext_lazy("country group", "LDCs")),
    "sids": (_("Small Island Developing States"), pgettext_lazy("country group", "SIDS")),
    "lldc": (_("Landlocked Developing Countries"), pgettext_lazy("country group", "LLDCs")),
    "global-south": (_("Global South"), pgettext_lazy("country group", "Global South")),
}


@cache
def _territories(language: str) -> dict[str, str]:
    locale = babel_locale(language)
    return dict(locale.territories) if locale else {}


def localised_name(code: str, fallback: str = "", language: str | None = None) -> str:
    """The name of a country (alpha-2) or M49 area (e.g. "002") in `language`."""
    language = language or translation.get_language() or "en"
    if code in REGION_NAMES:
        with translation.override(language):
            return str(REGION_NAMES[code])
    return _territories(language).get(code) or fallback or code


def group_name(slug: str, fallback: str = "") -> str:
    """A country group's full name in the current language."""
    names = GROUP_NAMES.get(slug)
    return str(names[0]) if names else fallback or slug


def group_short_name(slug: str, fallback: str = "") -> str:
    """A country group's abbreviation in the current language."""
    names = GROUP_NAMES.get(slug)
    return str(names[1]) if names else fallback or slug


def all_names(
    code: str, fallback: str, languages=("en", "fr", "ar", "es", "pt", "ru", "zh", "az", "sw")
):
    return {lang: localised_name(code, fallback, lang) for lang in languages}
