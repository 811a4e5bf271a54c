"""Reads for projects, dashboards and platform totals, shaped for a fixed number of queries.

How figures add up (the same everywhere, and said on the pages):
- a period's actual comes from its approved updates only: the latest value when the indicator
  is cumulative, else their sum (kept on the period by `services.refresh_actual`);
- an indicator's achievement is its latest period's actual when cumulative, else the sum of
  its periods' actuals;
- a project's achievement on a shared indicator is attributed to its countries by their
  percentages (60 % Senegal, 40 % Gambia: 60 % of the value counts for Senegal); regions and
  country groups sum their countries; a project counts under each of its SDG goals.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from concord.core.collation import Collated
from concord.countries.queries import Coverage, coverage, reference
from concord.organisations.models import Organisation, Representative
from concord.results.models import (
    Indicator,
    Period,
    Project,
    ProjectCountry,
    Report,
    Result,
    SharedIndicator,
    Update,
)

UNSPECIFIED = ""  # the country key of a project that lists no country


def projects(organisation: Organisation | None = None, q: str = "") -> QuerySet[Project]:
    """Projects of member organisations, newest first, ready for a list (fixed queries)."""
    rows = Project.objects.filter(organisation__status=Organisation.Status.MEMBER)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return (
        rows.select_related("organisation")
        .prefetch_related("countries", "sdgs", "themes", "partners")
        .annotate(indicator_count=Count("results__indicators", distinct=True))
        .order_by("-created_at", "-id")
    )


def projects_of_person(user) -> QuerySet[Project]:
    """Projects of the organisations the person represents, member or not (their people see
    them either way), the newest first, ready for a short list (one query)."""
    if not (user and user.is_authenticated):
        return Project.objects.none()
    represented = Representative.objects.filter(user=user).values("organisation")
    return (
        Project.objects.filter(organisation__in=represented)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def project_for_page(pk: int) -> Project | None:
    return (
        Project.objects.select_related("organisation", "organisation__reporting_profile")
        .prefetch_related("countries", "sdgs", "themes", "partners")
        .filter(pk=pk)
        .first()
    )


def latest_report(project: Project, language: str) -> Report | None:
    """The newest built PDF report, the only one pages link to."""
    return (
        Report.objects.filter(project=project, language=language, status=Report.Status.DONE)
        .exclude(file="")
        .first()
    )


def framework(project: Project, *, with_unapproved: bool) -> list[Result]:
    """The project's results → indicators → periods → updates (approved ones only unless
    `with_unapproved`), in five queries whatever their number."""
    updates = Update.objects.select_related("author").prefetch_related(
        "disaggregations", "evidence"
    )
    if not with_unapproved:
        updates = updates.filter(status=Update.Status.APPROVED)
    return list(
        project.results.prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("shared").prefetch_related(
                    Prefetch(
                        "periods",
                        queryset=Period.objects.prefetch_related(
                            Prefetch("updates", queryset=updates.order_by("created_at", "id"))
                        ),
                    )
                ),
            )
        )
    )


def updates_to_review(user) -> QuerySet[Update]:
    """Submitted updates of the organisations the user administers, not their own."""
    administered = Representative.objects.filter(user=user, role=Representative.Role.ADMIN).values(
        "organisation"
    )
    return (
        Update.objects.filter(
            status=Update.Status.SUBMITTED,
            period__indicator__result__project__organisation__in=administered,
        )
        .exclude(author=user)
        .select_related("period__indicator__result__project", "author")
        .order_by("submitted_at", "id")
    )


def indicator_achievement(indicator: Indicator, periods: list[tuple]) -> Decimal | None:
    """`periods` as (end, actual): the indicator's achievement over all its periods."""
    known = sorted((end, actual) for end, actual in periods if actual is not None)
    if not known:
        return None
    return known[-1][1] if indicator.cumulative else sum((a for _, a in known), Decimal(0))


@dataclass
class SharedTotal:
    indicator: SharedIndicator
    total: Decimal = Decimal(0)
    projects: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    by_country: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_region: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_group: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_sdg: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    coverage: Coverage | None = None

    def rows(self, mapping: dict) -> list[tuple]:
        return sorted(mapping.items(), key=lambda item: (-item[1], str(item[0])))


def contributions(project_ids=None) -> dict[int, dict[str, Decimal]]:
    """{project: {shared indicator slug: achievement}} over adopted shared indicators of
    member organisations' projects, from the periods' approved actuals."""
    periods = Period.objects.filter(
        indicator__shared__isnull=False,
        indicator__result__project__organisation__status=Organisation.Status.MEMBER,
    )
    if project_ids is not None:
        periods = periods.filter(indicator__result__project__in=project_ids)
    per_indicator: dict[int, list] = defaultdict(list)
    meta: dict[int, tuple[int, str, bool]] = {}
    for indicator_id, project_id, slug, cumulative, end, actual in periods.values_list(
        "indicator_id",
        "indicator__result__project_id",
        "indicator__shared_id",
        "indicator__cumulative",
        "end",
        "actual",
    ):
        per_indicator[indicator_id].append((end, actual))
        meta[indicator_id] = (project_id, slug, cumulative)
    result: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for indicator_id, rows in per_indicator.items():
        project_id, slug, cumulative = meta[indicator_id]
        value = indicator_achievement(Indicator(cumulative=cumulative), rows)
        if value is not None:
            result[project_id][slug] += value
    return result


def platform_totals(
    organisation: Organisation | None = None, *, fresh: bool = False
) -> list[SharedTotal]:
    """Every shared indicator's total, by country, region, group and SDG (see the module's
    docstring for how values are attributed). Four queries whatever the number of projects.
    The platform-wide answer is reused for STATS_CACHE_SECONDS (as declaration statistics
    are), so a crowd on the dashboard costs one computation per interval."""
    seconds = settings.STATS_CACHE_SECONDS
    if organisation is None and not fresh and seconds > 0:
        cached = cache.get("results:platform-totals")
        if cached is None:
            cached = _platform_totals(None)
            cache.set("results:platform-totals", cached, timeout=seconds)
        return cached
    return _platform_totals(organisation)


def _platform_totals(organisation: Organisation | None) -> list[SharedTotal]:
    ref = reference()
    totals = {s.slug: SharedTotal(s) for s in SharedIndicator.objects.select_related("sdg")}
    # Filters by join rather than by a list of ids: a list of thousands of ids costs more to
    # compile into SQL than the query costs to run.
    scope = Project.objects.filter(organisation__status=Organisation.Status.MEMBER)
    if organisation is not None:
        scope = scope.filter(organisation=organisation)
    by_project = contributions(None if organisation is None else scope.values("pk"))
    shares: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for project_id, code, percentage in ProjectCountry.objects.filter(
        project__in=scope.values("pk")
    ).values_list("project_id", "country_id", "percentage"):
        shares[project_id].append((code, percentage))
    owners = dict(scope.values_list("pk", "organisation_id"))
    sdgs: dict[int, list[int]] = defaultdict(list)
    for project_id, number in Project.sdgs.through.objects.filter(
        project__in=scope.values("pk")
    ).values_list("project_id", "sdg_id"):
        sdgs[project_id].append(number)
    for project_id, values in by_project.items():
        for slug, value in values.items():
            total = totals[slug]
            total.total += value
            total.projects.add(project_id)
            total.organisations.add(owners[project_id])
            for number in sdgs[project_id]:
                total.by_sdg[number] += value
            for code, percentage in shares[project_id] or [(UNSPECIFIED, Decimal(100))]:
                part = value * percentage / 100
                total.by_country[code] += part
                facts = ref.countries.get(code)
                if facts is None:
                    continue
                if facts.region:
                    total.by_region[facts.region] += part
                for group in facts.groups:
                    total.by_group[group] += part
    for total in totals.values():
        total.coverage = coverage(code for code in total.by_country if code != UNSPECIFIED)
        # Plain dicts (a defaultdict's factory cannot be cached).
        total.by_country, total.by_region = dict(total.by_country), dict(total.by_region)
        total.by_group, total.by_sdg = dict(total.by_group), dict(total.by_sdg)
    return list(totals.values())


def summary_as_dict(totals: list[SharedTotal]) -> dict:
    """The platform totals as JSON-ready data (numbers as strings, exact)."""
    ref = reference()

    def plain(value: Decimal) -> str:
        return format(value.quantize(Decimal("0.0001")).normalize(), "f")

    return {
        "attribution": "A project's value is attributed to its countries by their percentages.",
        "indicators": [
            {
                "slug": t.indicator.slug,
                "title": t.indicator.title,
                "unit": t.indicator.unit,
                "total": plain(t.total),
                "projects": len(t.projects),
                "organisations": len(t.organisations),
                "countries": t.coverage.countries if t.coverage else 0,
                "by_country": {code or "unspecified": plain(v) for code, v in t.rows(t.by_country)},
                "by_region": {
                    ref.regions.get(code, code): plain(v) for code, v in t.rows(t.by_region)
                },
                "by_group": {slug: plain(v) for slug, v in t.rows(t.by_group)},
                "by_sdg": {str(number): plain(v) for number, v in t.rows(t.by_sdg)},
            }
            for t in totals
        ],
    }


def organisations_with_projects(user) -> list[Organisation]:
    """The member organisations the user acts for (to choose the owner of a new project)."""
    if not (user and user.is_authenticated):
        return []
    return list(
        Organisation.objects.filter(
            status=Organisation.Status.MEMBER, representatives__user=user
        ).order_by(Collated("name"), "pk")
    )


def personal_data(user) -> dict:
    """The results updates the person wrote (the project's organisation keeps them)."""
    return {
        "results_updates": [
            {
                "project": update.period.indicator.result.project.title,
                "indicator": update.period.indicator.title,
                "value": update.value,
                "narrative": update.narrative,
                "status": update.status,
                "created": update.created_at,
            }
            for update in Update.objects.filter(author=user)
            .select_related("period__indicator__result__project")
            .order_by("created_at", "pk")
        ]
    }


def projects_of(organisation: Organisation, limit: int) -> list[Project]:
    """The newest projects of a member organisation, for its page (one query); an
    applicant's projects are not public."""
    rows = Project.objects.filter(
        organisation=organisation, organisation__status=Organisation.Status.MEMBER
    )
    return list(rows.only("pk", "title")[:limit])
