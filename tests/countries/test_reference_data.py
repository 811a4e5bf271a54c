"""The shipped reference data holds the official counts, each with a source and date."""

import csv
import json

import pytest

from concord.countries import geography
from concord.countries.loader import DATA_DIR
from concord.countries.models import Country, CountryGroup, DataSource

pytestmark = pytest.mark.django_db

# Official sizes as of each list's stated date (see countries/data/groups.json).
GROUP_SIZES = {"g77": 134, "nam": 120, "ldc": 44, "sids": 58, "lldc": 32, "global-south": 134}


def test_every_iso_entry_is_loaded_with_unique_codes():
    assert Country.objects.count() == 249
    assert Country.objects.values("alpha3").distinct().count() == 249
    assert Country.objects.values("numeric").distinct().count() == 249


def test_exactly_193_un_member_states_and_two_observers():
    assert Country.objects.filter(un_member=True).count() == 193
    observers = set(Country.objects.filter(un_observer=True).values_list("code", flat=True))
    assert observers == {"VA", "PS"}
    assert not Country.objects.filter(un_member=True, un_observer=True).exists()


def test_every_member_and_observer_has_a_population_with_year_and_source():
    states = Country.objects.filter(un_member=True) | Country.objects.filter(un_observer=True)
    assert states.count() == 195
    assert not states.filter(population__isnull=True).exists()
    assert not states.filter(population_year__isnull=True).exists()
    assert not states.filter(population_source__isnull=True).exists()


@pytest.mark.parametrize(("slug", "size"), GROUP_SIZES.items())
def test_group_sizes_match_the_official_counts(slug, size):
    group = CountryGroup.objects.get(slug=slug)
    assert group.members.count() == size
    assert group.as_of is not None
    assert group.source.url.startswith("https://")


def test_groups_file_states_the_count_it_lists():
    for group in json.loads((DATA_DIR / "groups.json").read_text()):
        assert group["count"] == len(set(group["members"])), group["slug"]


def test_global_south_is_the_g77_and_china():
    g77 = set(CountryGroup.objects.get(slug="g77").members.values_list("code", flat=True))
    south = set(
        CountryGroup.objects.get(slug="global-south").members.values_list("code", flat=True)
    )
    assert south == g77
    assert {"CN", "PS", "BR", "SN"} <= south
    assert "FR" not in south


def test_every_source_has_an_as_of_date_and_publisher():
    for source in DataSource.objects.all():
        assert source.as_of, source.key
        assert source.publisher, source.key


def test_regions_follow_m49():
    senegal = Country.objects.get(code="SN")
    assert (senegal.region_id, senegal.subregion_id, senegal.intermediate_region_id) == (
        "002",
        "202",
        "011",
    )
    assert Country.objects.get(code="FJ").subregion.name == "Melanesia"
    assert not Country.objects.filter(un_member=True, region__isnull=True).exists()


def test_loading_again_changes_nothing():
    from concord.countries.loader import load_reference_data

    before = list(Country.objects.order_by("code").values())
    load_reference_data()
    assert list(Country.objects.order_by("code").values()) == before


def test_csv_and_database_agree_on_populations():
    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as handle:
        rows = {row["alpha2"]: row for row in csv.DictReader(handle)}
    for country in Country.objects.filter(population__isnull=False):
        assert country.population == int(rows[country.code]["population"])


def test_borders_are_listed_from_both_sides_and_landlocked_matches_the_lldcs():
    codes = set(Country.objects.values_list("code", flat=True))
    for code in codes:
        for other in geography.neighbours(code):
            assert other in codes and code in geography.neighbours(other), (code, other)
    lldc = set(CountryGroup.objects.get(slug="lldc").members.values_list("code", flat=True))
    assert lldc <= {code for code in codes if geography.is_landlocked(code)}
    assert geography.neighbours("SN") == {"GM", "GN", "GW", "ML", "MR"}
    assert not geography.is_landlocked("SN") and geography.is_landlocked("RW")
    source = DataSource.objects.get(key=geography.SOURCE_KEY)
    assert source.as_of == geography.source().as_of and source.url.startswith("https://")
