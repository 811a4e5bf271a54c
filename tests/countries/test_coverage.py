"""The coverage function: counts, UN shares, population shares, groups and regions."""

import csv

import pytest

from concord.countries.loader import DATA_DIR
from concord.countries.queries import coverage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def table():
    with (DATA_DIR / "countries.csv").open(encoding="utf-8") as handle:
        return {row["alpha2"]: row for row in csv.DictReader(handle)}


def test_hand_checked_set(table):
    # Senegal, Bangladesh, Fiji: World Bank 2022 figures 17,316,449 + 171,186,372 + 929,766.
    result = coverage(["SN", "BD", "FJ"])
    assert result.countries == 3
    assert result.un_member_states == 3
    assert result.un_member_states_share == pytest.approx(3 / 193)
    assert result.population == 17_316_449 + 171_186_372 + 929_766
    world = sum(int(row["population"] or 0) for row in table.values())
    assert result.world_population == world
    assert result.population_share == pytest.approx(result.population / world)
    assert result.population_year == 2022
    groups = {group.slug: group.count for group in result.groups}
    # Senegal and Bangladesh are both LDCs (as of 2025-01-01); Fiji is a SIDS.
    assert groups == {"g77": 3, "nam": 3, "ldc": 2, "sids": 1, "lldc": 0, "global-south": 3}
    assert {region.name: region.count for region in result.regions} == {
        "Africa": 1, "Asia": 1, "Oceania": 1,
    }  # fmt: skip


def test_repeats_case_and_unknown_codes():
    result = coverage(["sn", "SN", "Sn", "XX"])
    assert result.countries == 1
    assert result.unknown_codes == ["XX"]


def test_territories_and_observers_are_countries_but_not_un_member_states():
    result = coverage(["PR", "VA", "PS"])
    assert result.countries == 3
    assert result.un_member_states == 0
    assert result.un_member_states_share == 0
    assert result.population > 0


def test_all_un_members_cover_the_193_and_most_of_the_world(table):
    members = [code for code, row in table.items() if row["un_member"] == "1"]
    result = coverage(members)
    assert result.un_member_states == 193
    assert result.un_member_states_share == 1.0
    assert 0.98 < result.population_share < 1.0


def test_empty_set_is_all_zero():
    result = coverage([])
    assert (result.countries, result.population, result.population_share) == (0, 0, 0)
    assert all(group.count == 0 for group in result.groups)


def test_share_of_countries_is_not_share_of_population():
    # Tuvalu, Nauru and Palau: three UN members, a tiny share of people.
    result = coverage(["TV", "NR", "PW"])
    assert result.un_member_states_share == pytest.approx(3 / 193)
    assert result.population_share < 0.0001
