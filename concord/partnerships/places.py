"""Where a candidate works, seen from a request: in one of its countries, in one of its
regions, in a country that faces the same challenges, or next door; and which candidates a
coastal request leaves out.

"Nearby" means a shared land border (`countries.geography`, with its source and date), not
a shared M49 area: Eastern Africa runs from Eritrea to Mozambique and Sub-Saharan Africa
from Senegal to Madagascar, so an area would call Rwanda near Senegal. Island States have
no land neighbour; what they share is counted by the small island developing States group.
"""

from django.utils.translation import gettext as _

from concord.core.collation import sorted_by_name
from concord.countries import geography
from concord.countries.names import localised_name
from concord.countries.queries import reference

# Groups whose members share the same kind of climate challenge, and what that is worth.
CHALLENGE_GROUPS = {"sids": 2.0, "lldc": 2.0, "ldc": 1.0}
IN_COUNTRY, IN_REGION, NEARBY = 4.0, 3.0, 1.5


def _join(items: list[str]) -> str:
    return ", ".join(items)


def _group_label(slug: str) -> str:
    return {
        "sids": _("another small island developing state"),
        "ldc": _("another least developed country"),
        "lldc": _("another landlocked developing country"),
    }[slug]


def _name(code: str) -> str:
    facts = reference().countries.get(code)
    return localised_name(code, facts.name if facts else code)


def geographic_signal(
    countries: set[str], regions: set[str], places: set[str]
) -> tuple[float, str | None]:
    """The best geographic signal between where a request works (`countries`, `regions`)
    and where a candidate does (`places`), with its reason. For IN_COUNTRY the reason is
    the place names alone, so the caller can say "works on mangroves in Mozambique"."""
    ref = reference()
    inside = sorted_by_name([_name(code) for code in places & countries])
    if inside:
        return IN_COUNTRY, _join(inside[:3])
    for code in sorted(places):
        facts = ref.countries.get(code)
        if facts is None:
            continue
        for region in (facts.region, facts.subregion, facts.intermediate_region):
            if region and region in regions:
                return IN_REGION, _("works in %(region)s (%(country)s)") % {
                    "region": localised_name(region, ref.regions.get(region, region)),
                    "country": _name(code),
                }
    best: tuple[float, str | None] = (0.0, None)
    targets = [ref.countries[t] for t in sorted(countries) if t in ref.countries]
    for code in sorted(places - countries):
        facts = ref.countries.get(code)
        if facts is None:
            continue
        for slug, points in CHALLENGE_GROUPS.items():
            if points > best[0] and slug in facts.groups and any(slug in t.groups for t in targets):
                best = (
                    points,
                    _("faces the same challenges in %(group)s (%(country)s)")
                    % {"group": _group_label(slug), "country": _name(code)},
                )
        beside = sorted(geography.neighbours(code) & countries)
        if best[0] < NEARBY and beside:
            best = (
                NEARBY,
                _("works in %(country)s, next to %(neighbour)s")
                % {"country": _name(code), "neighbour": _name(beside[0])},
            )
    return best


def leaves_out_landlocked(coastal: bool, countries: set[str]) -> bool:
    """Whether a request keeps organisations based in landlocked countries out of its
    suggestions: when it is about the coast, unless it works in a landlocked country itself
    (a cyclone reaches Malawi, and a Malawian partner is then what it needs)."""
    return coastal and not any(geography.is_landlocked(code) for code in countries)
