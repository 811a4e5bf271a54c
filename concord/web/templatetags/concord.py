"""Template helpers: localised country, region and group names, shares that say what they mean,
numbers and dates in the page's language (`core/numbers.py`, `core/dates.py`), links to files."""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from concord.core import bidi, dates, files, numbers
from concord.core.collation import sorted_by_name
from concord.countries.names import group_name as localised_group_name
from concord.countries.names import group_short_name, localised_name
from concord.web.organisation_links import links_for

register = template.Library()


@register.filter
def country_name(country) -> str:
    """A Country (or alpha-2 code) named in the current language."""
    code = getattr(country, "code", country) or ""
    return localised_name(code, getattr(country, "name", ""))


@register.filter
def in_name_order(places) -> list:
    """Countries or regions (rows, or their codes) in the order the page's language sorts
    their names: a list the database gives in English or code order."""
    return sorted_by_name(places, key=country_name)


@register.filter
def group_name(group) -> str:
    """A country group (a CountryGroup, its facts, or a slug) named in the current language."""
    return localised_group_name(getattr(group, "slug", group), getattr(group, "name", ""))


@register.filter
def group_abbreviation(group) -> str:
    """A country group's abbreviation in the current language."""
    return group_short_name(getattr(group, "slug", group), getattr(group, "short_name", ""))


@register.simple_tag
def interface_languages() -> list[tuple[str, str]]:
    """(code, name) of each interface language, named in itself: Django's own
    `get_available_languages` passes the names through gettext, which turns "English" into
    "Anglais" on French pages."""
    return list(settings.LANGUAGES)


@register.filter
def percent(share: float) -> str:
    """A share as a whole percentage that never rounds to a misleading 0% or 100%."""
    if share <= 0:
        value = "0"
    elif share < 0.005:
        return _("under 1%")
    elif share >= 1:
        value = "100"
    elif share > 0.995:
        return _("over 99%")
    else:
        value = numbers.figure(round(share * 100))
    return _("%(value)s%%") % {"value": value}


@register.filter
def figure(value, whole: bool = False) -> str:
    """A figure written as everywhere else (charts included): `value|figure:True` for a count
    of people, which is never shown with decimals."""
    return numbers.figure(value, whole=bool(whole))


# CLDR starts Arabic amounts with a right-to-left mark; inside a left-to-right piece it would
# move the currency code to the wrong end.
_DIRECTION_MARKS = "\u200e\u200f\u061c"


@register.simple_tag
def money(value, currency: str) -> str:
    """`{% money project.budget project.currency %}`: an amount with its currency code, kept
    whole and left to right on a right-to-left page."""
    return bidi.ltr(numbers.money(value, currency or "").strip(_DIRECTION_MARKS))


@register.simple_tag
def money_range(low, high, currency: str) -> str:
    """`{% money_range call.amount_min call.amount_max call.currency %}`, one left-to-right
    piece ("20,000–100,000 USD" never turns into "USD 100,000–20,000")."""  # noqa: RUF002
    return bidi.ltr(numbers.money_range(low, high, currency or "").strip(_DIRECTION_MARKS))


@register.filter
def file_size(size) -> str:
    """A file's size with the language's unit ("1,5 Mo")."""
    return numbers.file_size(size)


@register.filter(expects_localtime=True)
def when(value, style: str = "date") -> str:
    """A date or datetime in the page's language: `value|when` ("1 décembre 2025"),
    `value|timezone:zone|when:"weekday"` ("lun. 1 déc. 2025, 14:05"); the styles are
    `core.dates.STYLES`. In place of Django's `date` filter, whose month and weekday
    abbreviations and patterns are not the language's."""
    return dates.when(value, style) if value not in (None, "") else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@register.filter
def media_url(field_file) -> str:
    """The link to a user's file (a FieldFile), signed when files live on another origin."""
    return files.url_for(field_file.name) if field_file else ""


@register.inclusion_tag("web/includes/organisation_links.html")
def organisation_links(organisation) -> dict:
    """The organisation's public work in the other apps, linked from its page."""
    return {"links": links_for(organisation)}
