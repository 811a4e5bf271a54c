"""Template helpers: localised country, region and group names, shares that say what they mean,
links to files."""

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from concord.core import files, numbers
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
        value = number_format(round(share * 100))
    return _("%(value)s%%") % {"value": value}


@register.filter
def figure(value, whole: bool = False) -> str:
    """A figure written as everywhere else (charts included): `value|figure:True` for a count
    of people, which is never shown with decimals."""
    return numbers.figure(value, whole=bool(whole))


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
