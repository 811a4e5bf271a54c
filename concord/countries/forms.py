"""Country, region and group choices for every app's page forms, named in the reader's
language and in the order that language sorts them (`core.collation`)."""

from collections.abc import Callable

from concord.core.collation import sorted_by_name
from concord.countries.models import CountryGroup, Region
from concord.countries.names import group_short_name, localised_name
from concord.countries.queries import country_choices, region_parents


def _with_blank(blank: str | None, choices: list) -> list:
    return ([("", blank)] if blank is not None else []) + choices


def _by_label(choices) -> list:
    return sorted_by_name(choices, key=lambda choice: choice[1])


def localised_country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    return _with_blank(
        blank, _by_label((code, localised_name(code, name)) for code, name in country_choices())
    )


def localised_region_choices(blank: str | None = None) -> list:
    """The UN M49 regions (Africa, Americas, Asia, Europe, Oceania) in the reader's order, each
    an option group that holds the region itself and then its sub-regions, in the same order.
    The UN's numeric codes (002, 009, 019...) are no order for a person."""
    regions = Region.objects.exclude(level=Region.Level.INTERMEDIATE)
    names = {region.code: localised_name(region.code, region.name) for region in regions}
    parents = region_parents()
    tops = [code for code in names if code not in parents]
    choices: list = []
    for top in sorted_by_name(tops, key=names.__getitem__):
        below = [code for code in names if parents.get(code) == top]
        choices.append(
            (names[top], [(top, names[top]), *_by_label((code, names[code]) for code in below)])
        )
    return _with_blank(blank, choices)


def localised_group_choices(
    blank: str | None = None, label: Callable[[CountryGroup], str] | None = None
) -> list[tuple[str, str]]:
    """The country groups in the reader's order of their labels (the abbreviation unless
    `label` says otherwise)."""
    label = label or (lambda group: group_short_name(group.slug, group.short_name))
    return _with_blank(blank, _by_label((g.slug, label(g)) for g in CountryGroup.objects.all()))
