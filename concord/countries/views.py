from django.shortcuts import render

from concord.core.collation import sorted_by_name
from concord.countries import queries
from concord.countries.models import Region
from concord.countries.names import group_short_name, localised_name


def about(request):
    """Where every reference figure comes from, and as of when."""
    ref = queries.reference()
    return render(
        request,
        "countries/about.html",
        {
            "sources": queries.list_sources(),
            "groups": queries.list_groups(),
            "reference": ref,
            "country_count": len(ref.countries),
        },
    )


def country_table(request):
    """Every country, in the order the page's language sorts their names (the database knows
    only the English ones); the filters' regions and groups in that order too."""
    countries = queries.list_countries()
    region = request.GET.get("region", "")
    group = request.GET.get("group", "")
    if region:
        countries = countries.filter(region_id=region)
    if group:
        countries = countries.filter(groups__slug=group)
    return render(
        request,
        "countries/table.html",
        {
            "countries": sorted_by_name(countries, key=lambda c: localised_name(c.code, c.name)),
            "regions": sorted_by_name(
                queries.list_regions(Region.Level.REGION),
                key=lambda r: localised_name(r.code, r.name),
            ),
            "groups": sorted_by_name(
                queries.list_groups(), key=lambda g: group_short_name(g.slug, g.short_name)
            ),
            "region": region,
            "group": group,
            "reference": queries.reference(),
        },
    )
