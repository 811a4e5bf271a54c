"""Reads for organisations: the public directory, its filters and its coverage summary, and a
person's own places and applications."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from concord.core.collation import Collated
from concord.countries.queries import Coverage, coverage
from concord.organisations.models import Organisation, Representative
from concord.organisations.permissions import organisations_administered


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    country: str = ""
    region: str = ""
    group: str = ""
    theme: str = ""
    sdg: int | None = None


def _with_details(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.select_related("country", "country__region").prefetch_related("themes", "sdgs")


def members(filters: DirectoryFilters | None = None) -> QuerySet[Organisation]:
    """Approved members matching the filters, ready to list without further queries."""
    filters = filters or DirectoryFilters()
    queryset = Organisation.objects.filter(status=Organisation.Status.MEMBER)
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q)
            | Q(acronym__icontains=filters.q)
            | Q(city__icontains=filters.q)
        )
    if filters.country:
        queryset = queryset.filter(country_id=filters.country.upper())
    if filters.region:
        queryset = queryset.filter(
            Q(country__region_id=filters.region)
            | Q(country__subregion_id=filters.region)
            | Q(country__intermediate_region_id=filters.region)
        )
    if filters.group:
        queryset = queryset.filter(country__groups__slug=filters.group)
    if filters.theme:
        queryset = queryset.filter(themes__slug=filters.theme)
    if filters.sdg:
        queryset = queryset.filter(sdgs__number=filters.sdg)
    # By name in the reader's language, in the database: the directory is cut into pages there.
    return _with_details(queryset.distinct().order_by(Collated("name"), "pk"))


def members_coverage(queryset: QuerySet[Organisation]) -> Coverage:
    """What the listed members represent: countries, UN member states, population, groups."""
    codes = queryset.order_by().values_list("country_id", flat=True).distinct()
    return coverage(codes)


def organisation_for_page(pk: int) -> Organisation | None:
    return (
        _with_details(Organisation.objects.filter(pk=pk))
        .prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.select_related("user").order_by("role", "pk"),
            )
        )
        .first()
    )


def applications_to_review() -> QuerySet[Organisation]:
    return _with_details(
        Organisation.objects.filter(status__in=Organisation.AWAITING_REVIEW).order_by(
            "applied_at", "pk"
        )
    ).select_related("applied_by")


def identity_changes_to_review() -> QuerySet[Organisation]:
    """Members whose admins asked for a new name or country."""
    return Organisation.objects.filter(proposed_at__isnull=False).order_by("proposed_at", "pk")


def organisations_of(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(representatives__user=user)
        .annotate(n_representatives=Count("representatives"))
        .select_related("country")
        .order_by(Collated("name"), "pk")
    )


def representations_of(user) -> QuerySet[Representative]:
    """The person's places in organisations, with each organisation's status (one query)."""
    if not user.is_authenticated:
        return Representative.objects.none()
    return (
        Representative.objects.filter(user=user)
        .select_related("organisation", "organisation__country")
        .order_by("organisation__name", "organisation__pk")
    )


def applications_awaiting_answer(user) -> QuerySet[Organisation]:
    """Applications the secretariat asked a question about, which the person, as an admin,
    may answer and send back (`awaits_information`, `can_edit`)."""
    return (
        organisations_administered(user)
        .filter(status=Organisation.Status.MORE_INFO)
        .order_by("reviewed_at", "pk")
    )


def personal_data(user) -> dict:
    """The organisations the person represents, with their role, for their download."""
    return {
        "organisations": [
            {
                "organisation": representation.organisation.name,
                "country": representation.organisation.country_id,
                "status": representation.organisation.status,
                "role": representation.role,
                "position": representation.title,
                "since": representation.created_at,
            }
            for representation in Representative.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        ]
    }
