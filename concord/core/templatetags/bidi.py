"""Template helpers that keep text of the other direction whole (see `concord.core.bidi`).

Loaded in every template as a builtin (`TEMPLATES` in settings), so no `{% load %}` is needed:
`{{ organisation.name|bdi }}`, `{{ code|ltr }}`, `{{ amount|ltr:currency }}`, `{% ltr_range call.amount_min call.amount_max
call.currency %}`. They wrap the value as it was formatted; which filter writes a number stays
the template's choice."""

from django import template

from concord.core import bidi as isolation

register = template.Library()


@register.filter(is_safe=True)
def bdi(value):
    """User text set apart, in the direction of its own first strong letter."""
    return isolation.isolate(value)


@register.filter(is_safe=True)
def ltr(value, unit=""):
    """A code or a date in digits, or a figure with its Latin unit
    (`{{ budget|figure|ltr:currency }}`): one left-to-right piece."""
    return isolation.ltr(value, unit)


@register.simple_tag
def ltr_range(low, high, unit=""):
    """Two ends joined by an en dash, then the unit: one left-to-right piece."""
    return isolation.ltr_range(low, high, unit)
