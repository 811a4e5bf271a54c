"""Who an audience is: each kind's rows as (address, language acted in, country), read by
the database in address order so the union of several audiences streams with bounded memory
and each address comes once (`recipients`).

The kinds: representatives of member organisations (filtered by country, region, country
group, theme, SDG and role), signatories of a declaration who ticked "keep me informed", an
event's participants by status. Funders are not people in Concord (a funding call names its
funder as text, with no address), so there is no funders' audience. Working groups do not
exist yet: their app adds a kind to `Audience.Kind` and a function to `KINDS`.
"""

from collections.abc import Callable, Iterable, Iterator

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower

from concord.declarations.models import Signature
from concord.events.models import Registration
from concord.mailings.models import Audience
from concord.organisations.models import Organisation, Representative

Row = tuple[str, str, str]  # address (lower case), language acted in, country code

ROLES = ("all", "admins")


def _representatives(filters: dict, organisation_id: int | None) -> QuerySet:
    found = Representative.objects.filter(organisation__status=Organisation.Status.MEMBER)
    if organisation_id:
        found = found.filter(organisation_id=organisation_id)
    if filters.get("countries"):
        found = found.filter(organisation__country_id__in=filters["countries"])
    if filters.get("regions"):
        regions = filters["regions"]
        found = found.filter(
            Q(organisation__country__region_id__in=regions)
            | Q(organisation__country__subregion_id__in=regions)
            | Q(organisation__country__intermediate_region_id__in=regions)
        )
    if filters.get("groups"):
        found = found.filter(organisation__country__groups__slug__in=filters["groups"])
    if filters.get("themes"):
        found = found.filter(organisation__themes__slug__in=filters["themes"])
    if filters.get("sdgs"):
        found = found.filter(organisation__sdgs__number__in=filters["sdgs"])
    if filters.get("role") == "admins":
        found = found.filter(role=Representative.Role.ADMIN)
    return found.annotate(address=Lower("user__email")).values_list(
        "address", "user__language", "organisation__country_id"
    )


def _signatories(filters: dict, organisation_id: int | None) -> QuerySet:
    return (
        Signature.objects.filter(
            declaration_id=filters.get("declaration") or 0,
            status=Signature.Status.CONFIRMED,
            keep_informed=True,
        )
        .annotate(address=Lower("email"))
        .values_list("address", "language", "country_id")
    )


def _participants(filters: dict, organisation_id: int | None) -> QuerySet:
    statuses = filters.get("statuses") or [Registration.Status.CONFIRMED]
    return (
        Registration.objects.filter(event_id=filters.get("event") or 0, status__in=statuses)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .values_list("address", "language", "country_id")
    )


KINDS: dict[str, Callable[[dict, int | None], QuerySet]] = {
    Audience.Kind.REPRESENTATIVES: _representatives,
    Audience.Kind.SIGNATORIES: _signatories,
    Audience.Kind.PARTICIPANTS: _participants,
}


_FIELDS: dict[str, tuple[str, str]] = {
    Audience.Kind.REPRESENTATIVES: ("user__language", "organisation__country_id"),
    Audience.Kind.SIGNATORIES: ("language", "country_id"),
    Audience.Kind.PARTICIPANTS: ("language", "country_id"),
}
_ORDER = {kind: position for position, kind in enumerate(KINDS)}


def rows_of(audience: Audience) -> QuerySet:
    return KINDS[audience.kind](audience.filters or {}, audience.organisation_id)


def recipients(audiences: Iterable[Audience], chunk: int = 2000) -> Iterator[Row]:
    """Every address of the union once, in address order, read `chunk` rows at a time."""
    # Where an address is in several audiences, its row from the first one is kept (a
    # representative's country is their organisation's, a signer's the one they gave).
    parts = [
        rows_of(audience)
        .order_by()
        .annotate(rank=Value(rank))
        .values_list("address", *_FIELDS[audience.kind], "rank")
        for rank, audience in enumerate(sorted(audiences, key=lambda a: _ORDER[a.kind]))
    ]
    if not parts:
        return
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    last = None
    rows = query.order_by("address", "rank").iterator(chunk_size=chunk)
    for address, acted_in, country, _rank in rows:
        if address == last or not address:
            continue
        last = address
        yield address, acted_in or "", country or ""


def batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
