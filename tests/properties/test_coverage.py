"""Properties of `coverage(codes)` over random sets of codes, checked against the tables.

The oracle reads the Country and CountryGroup rows directly, not the in-memory reference
that `coverage` builds, so a mistake in building it shows too.
"""

import os
from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.countries.models import Country, CountryGroup
from concord.countries.queries import UN_MEMBER_STATES, coverage

pytestmark = pytest.mark.django_db

UNKNOWN = ["XX", "ZZ", "QQ", "EU", "UK", "", " ", "SEN", "S", "12", "é", "🌍", " SN", "SN "]


def examples(n: int) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        # In CI the examples are the same every run: a new find should not block a landing;
        # locally (no CI variable) each run explores new examples.
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@dataclass
class Truth:
    codes: list[str]
    un_member: dict[str, bool]
    population: dict[str, int]
    region: dict[str, str | None]
    subregion: dict[str, str | None]
    groups: dict[str, set[str]]  # slug -> member codes


@pytest.fixture
def truth(db) -> Truth:
    rows = list(Country.objects.values("code", "un_member", "population", "region", "subregion"))
    return Truth(
        codes=sorted(row["code"] for row in rows),
        un_member={row["code"]: row["un_member"] for row in rows},
        population={row["code"]: row["population"] or 0 for row in rows},
        region={row["code"]: row["region"] for row in rows},
        subregion={row["code"]: row["subregion"] for row in rows},
        groups={
            group.slug: {member.code for member in group.members.all()}
            for group in CountryGroup.objects.prefetch_related("members")
        },
    )


@st.composite
def code_lists(draw, known: list[str]) -> list[str]:
    """Known codes in any case, repeated, mixed with codes that are not countries."""
    one = st.one_of(
        st.sampled_from(known),
        st.sampled_from(known).map(str.lower),
        st.sampled_from(known).map(str.capitalize),
        st.sampled_from(UNKNOWN),
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    )
    return draw(st.lists(one, max_size=draw(st.sampled_from([5, 40, 300]))))


def _known(truth: Truth, codes: list[str]) -> set[str]:
    return {code.upper() for code in codes} & set(truth.codes)


def _counts(result) -> dict[str, int]:
    """Every count in a coverage answer, keyed, for comparing two answers."""
    counts = {
        "countries": result.countries,
        "un_member_states": result.un_member_states,
        "population": result.population,
    }
    counts.update({f"group:{g.slug}": g.count for g in result.groups})
    counts.update({f"region:{r.code}": r.count for r in result.regions})
    counts.update({f"subregion:{r.code}": r.count for r in result.subregions})
    return counts


@examples(200)
@given(data=st.data())
def test_coverage_counts_what_the_tables_say(truth, data):
    codes = data.draw(code_lists(truth.codes))
    known = _known(truth, codes)
    result = coverage(codes)

    assert result.countries == len(known)
    assert result.un_member_states == sum(truth.un_member[code] for code in known)
    assert result.un_member_states <= result.countries
    assert result.un_member_states_total == UN_MEMBER_STATES
    assert 0 <= result.un_member_states_share <= 1
    assert result.un_member_states_share == pytest.approx(result.un_member_states / 193)

    assert result.population == sum(truth.population[code] for code in known)
    assert result.world_population == sum(truth.population.values())
    assert 0 <= result.population_share <= 1
    assert result.population_share == pytest.approx(result.population / result.world_population)

    assert {g.slug for g in result.groups} == set(truth.groups)
    for group in result.groups:
        assert group.size == len(truth.groups[group.slug])
        assert group.count == len(known & truth.groups[group.slug]) <= group.size
        assert 0 <= group.share <= 1

    regions = Counter(truth.region[code] for code in known if truth.region[code])
    subregions = Counter(truth.subregion[code] for code in known if truth.subregion[code])
    assert {r.code: r.count for r in result.regions} == regions
    assert {r.code: r.count for r in result.subregions} == subregions
    assert sum(r.count for r in result.regions) == sum(1 for c in known if truth.region[c])
    assert all(r.count > 0 for r in result.regions + result.subregions)

    unknown = {code.upper() for code in codes} - set(truth.codes)
    assert result.unknown_codes == sorted(unknown)


@examples(100)
@given(data=st.data())
def test_the_coverage_of_a_union_is_at_least_that_of_each_part(truth, data):
    first = data.draw(code_lists(truth.codes))
    second = data.draw(code_lists(truth.codes))
    union = _counts(coverage(first + second))
    for part in (coverage(first), coverage(second)):
        for key, count in _counts(part).items():
            assert union.get(key, 0) >= count, key
    assert union["countries"] == len(_known(truth, first) | _known(truth, second))


@examples(100)
@given(data=st.data())
def test_order_case_and_repeats_do_not_change_the_answer(truth, data):
    codes = data.draw(code_lists(truth.codes))
    shuffled = data.draw(st.permutations(codes))
    repeats = data.draw(st.lists(st.sampled_from(codes), max_size=20)) if codes else []
    assert coverage(shuffled + repeats) == coverage(codes)
    assert coverage(code.lower() for code in codes) == coverage(codes)
    assert coverage(iter(codes)) == coverage(list(codes))
