"""Countries API: the reference table, the groups, and coverage of any set of countries."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from concord.core.api import CountNextPrevious, QueryParams, errors, schema_of
from concord.core.checks import has_nul
from concord.countries import queries
from concord.countries.models import Country, Region
from concord.countries.names import all_names

router = Router(tags=["countries"])


class RegionOut(Schema):
    code: str
    name: str


class SourceOut(Schema):
    key: str
    title: str
    publisher: str
    url: str
    as_of: str
    licence: str


class CountryOut(Schema):
    code: str
    alpha3: str
    numeric: str
    name: str
    names: dict[str, str]
    region: RegionOut | None
    subregion: RegionOut | None
    intermediate_region: RegionOut | None
    un_member: bool
    un_observer: bool
    population: int | None
    population_year: int | None
    population_source: str | None
    groups: list[str]

    @staticmethod
    def resolve_names(obj: Country) -> dict[str, str]:
        return all_names(obj.code, obj.name)

    @staticmethod
    def resolve_population_source(obj: Country) -> str | None:
        return obj.population_source_id

    @staticmethod
    def resolve_groups(obj: Country) -> list[str]:
        return [group.slug for group in obj.groups.all()]


class GroupOut(Schema):
    slug: str
    name: str
    short_name: str
    definition: str
    as_of: str
    count: int
    members: list[str]
    source: SourceOut

    @staticmethod
    def resolve_as_of(obj) -> str:
        return obj.as_of.isoformat()

    @staticmethod
    def resolve_count(obj) -> int:
        return len(obj.members.all())

    @staticmethod
    def resolve_members(obj) -> list[str]:
        return sorted(member.code for member in obj.members.all())


class CountryFilters(QueryParams):
    un_member: bool | None = None
    group: str | None = None
    region: str | None = None


# Described once, by the dataclasses `queries.coverage` returns.
GroupCoverageOut = schema_of(queries.GroupCoverage, "GroupCoverageOut")
RegionCoverageOut = schema_of(queries.RegionCoverage, "RegionCoverageOut")
CoverageOut = schema_of(
    queries.Coverage,
    "CoverageOut",
    groups=list[GroupCoverageOut],
    regions=list[RegionCoverageOut],
    subregions=list[RegionCoverageOut],
)


@router.get(
    "",
    response={200: list[CountryOut], **errors(422)},
    summary="List countries and territories",
)
@paginate(CountNextPrevious, page_size=300)
def list_countries(request, filters: CountryFilters = Query(...)):  # noqa: B008
    """Every ISO 3166-1 entry with codes, M49 regions, UN membership, population
    (with its year and source) and the groups it belongs to. One page holds them all."""
    countries = queries.list_countries()
    if filters.un_member is not None:
        countries = countries.filter(un_member=filters.un_member)
    if filters.group:
        countries = countries.filter(groups__slug=filters.group)
    if filters.region:
        countries = countries.filter(region_id=filters.region) | countries.filter(
            subregion_id=filters.region
        )
    return countries


@router.get("/groups", response=list[GroupOut], summary="List country groups")
def list_groups(request):
    """G77 and China, NAM, LDC, SIDS, LLDC and the platform's Global South, with members,
    source and the date each list is as of."""
    return list(queries.list_groups())


@router.get(
    "/regions", response={200: list[RegionOut], **errors(422)}, summary="List UN M49 regions"
)
def list_regions(request, level: Region.Level = Region.Level.REGION):
    return list(queries.list_regions(level))


@router.get(
    "/coverage",
    response={200: CoverageOut, **errors(422)},
    summary="Coverage of a set of countries",
)
def get_coverage(request, codes: str):
    """`?codes=SN,BD,FJ`: how many countries, UN member states and their share of 193,
    population and its share of the world's, and counts per group and region."""
    return queries.coverage(code.strip() for code in codes.split(",") if code.strip())


@router.get("/{code}", response={200: CountryOut, **errors(404)}, summary="One country")
def get_country(request, code: str):
    if has_nul(code):
        raise Http404
    return get_object_or_404(queries.list_countries(), code=code.upper())
