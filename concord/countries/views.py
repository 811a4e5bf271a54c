from django.shortcuts import render

from concord.countries import queries
from concord.countries.models import Region


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
            "countries": countries,
            "regions": Region.objects.filter(level=Region.Level.REGION),
            "groups": queries.list_groups(),
            "region": region,
            "group": group,
            "reference": queries.reference(),
        },
    )
