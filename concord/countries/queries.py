"""Reads of the reference data, and the one coverage function every feature calls.

`coverage(codes)` answers, for any set of countries: how many, how many of the 193 UN
member states and what share, their population and its share of the world's, and how
many belong to each group and region. The reference table is small (about 250 rows),
so it is read once per process and kept in memory; statistics never touch it in SQL.
"""

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from concord.countries.models import Country, CountryGroup, DataSource, Region

UN_MEMBER_STATES = 193  # https://www.un.org/en/about-us/member-states
_CACHE_SECONDS = 300


@dataclass(frozen=True)
class CountryFacts:
    code: str
    name: str
    region: str | None
    subregion: str | None
    un_member: bool
    population: int | None
    population_year: int | None
    groups: frozenset[str]
    # The smallest M49 area (e.g. Western Africa), only where M49 has one: Sub-Saharan Africa
    # and Latin America and the Caribbean.
    intermediate_region: str | None = None


@dataclass(frozen=True)
class GroupFacts:
    slug: str
    name: str
    short_name: str
    size: int


@dataclass(frozen=True)
class Reference:
    countries: dict[str, CountryFacts]
    groups: list[GroupFacts]
    regions: dict[str, str]
    world_population: int
    population_year: int | None
    un_member_states: int


@dataclass(frozen=True)
class GroupCoverage:
    slug: str
    name: str
    short_name: str
    count: int
    size: int
    share: float


@dataclass(frozen=True)
class RegionCoverage:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class Coverage:
    countries: int
    un_member_states: int
    un_member_states_total: int
    un_member_states_share: float
    population: int
    world_population: int
    population_share: float
    population_year: int | None
    groups: list[GroupCoverage] = field(default_factory=list)
    regions: list[RegionCoverage] = field(default_factory=list)
    subregions: list[RegionCoverage] = field(default_factory=list)
    unknown_codes: list[str] = field(default_factory=list)


_reference: tuple[float, Reference] | None = None


def forget_reference_cache() -> None:
    global _reference
    _reference = None


def reference() -> Reference:
    """The reference table, built from the database at most every few minutes per process."""
    global _reference
    if _reference is not None and time.monotonic() - _reference[0] < _CACHE_SECONDS:
        return _reference[1]
    memberships: dict[str, set[str]] = {}
    groups = []
    for group in CountryGroup.objects.prefetch_related(
        Prefetch("members", queryset=Country.objects.only("code"))
    ):
        codes = [member.code for member in group.members.all()]
        for code in codes:
            memberships.setdefault(code, set()).add(group.slug)
        groups.append(GroupFacts(group.slug, group.name, group.short_name, len(codes)))
    countries = {
        c.code: CountryFacts(
            code=c.code,
            name=c.name,
            region=c.region_id,
            subregion=c.subregion_id,
            un_member=c.un_member,
            population=c.population,
            population_year=c.population_year,
            groups=frozenset(memberships.get(c.code, ())),
            intermediate_region=c.intermediate_region_id,
        )
        for c in Country.objects.all()
    }
    years = Counter(c.population_year for c in countries.values() if c.population_year)
    built = Reference(
        countries=countries,
        groups=groups,
        regions=dict(Region.objects.values_list("code", "name")),
        world_population=sum(c.population or 0 for c in countries.values()),
        population_year=years.most_common(1)[0][0] if years else None,
        un_member_states=sum(c.un_member for c in countries.values()),
    )
    _reference = (time.monotonic(), built)
    return built


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def coverage(codes: Iterable[str]) -> Coverage:
    """What a set of countries (ISO alpha-2 codes, repeats ignored) represents."""
    ref = reference()
    wanted = {code.upper() for code in codes}
    known = [ref.countries[code] for code in sorted(wanted) if code in ref.countries]
    unknown = sorted(wanted - ref.countries.keys())
    un_members = sum(c.un_member for c in known)
    population = sum(c.population or 0 for c in known)
    group_counts = Counter(slug for c in known for slug in c.groups)
    region_counts = Counter(c.region for c in known if c.region)
    subregion_counts = Counter(c.subregion for c in known if c.subregion)
    return Coverage(
        countries=len(known),
        un_member_states=un_members,
        un_member_states_total=UN_MEMBER_STATES,
        un_member_states_share=share(un_members, UN_MEMBER_STATES),
        population=population,
        world_population=ref.world_population,
        population_share=share(population, ref.world_population),
        population_year=ref.population_year,
        groups=[
            GroupCoverage(
                slug=g.slug,
                name=g.name,
                short_name=g.short_name,
                count=group_counts[g.slug],
                size=g.size,
                share=share(group_counts[g.slug], g.size),
            )
            for g in ref.groups
        ],
        regions=[
            RegionCoverage(code, ref.regions.get(code, code), count)
            for code, count in sorted(region_counts.items())
        ],
        subregions=[
            RegionCoverage(code, ref.regions.get(code, code), count)
            for code, count in sorted(subregion_counts.items())
        ],
        unknown_codes=unknown,
    )


def country_choices() -> list[tuple[str, str]]:
    """(code, English name) for every country, for forms; localised in the template layer."""
    return [(c.code, c.name) for c in sorted(reference().countries.values(), key=lambda c: c.name)]


def region_parents() -> dict[str, str]:
    """Each UN M49 sub-region's region (Sub-Saharan Africa: Africa), as the countries have them."""
    return {
        facts.subregion: facts.region
        for facts in reference().countries.values()
        if facts.region and facts.subregion
    }


def is_country(code: str) -> bool:
    return code.upper() in reference().countries


def list_countries():
    return Country.objects.select_related(
        "region", "subregion", "intermediate_region", "population_source"
    ).prefetch_related(
        Prefetch("groups", queryset=CountryGroup.objects.only("slug", "short_name", "position"))
    )


def list_groups():
    return CountryGroup.objects.select_related("source").prefetch_related(
        Prefetch("members", queryset=Country.objects.only("code"))
    )


def list_sources():
    return DataSource.objects.order_by("key")


def list_regions(level: str = Region.Level.REGION):
    return Region.objects.filter(level=level)
