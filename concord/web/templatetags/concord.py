"""Template helpers: localised country names, shares that say what they mean, links to files."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from concord.core import files
from concord.countries.names import localised_name

register = template.Library()


@register.filter
def country_name(country) -> str:
    """A Country (or alpha-2 code) named in the current language."""
    code = getattr(country, "code", country) or ""
    return localised_name(code, getattr(country, "name", ""))


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
