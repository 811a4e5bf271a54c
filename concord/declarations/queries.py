"""Reads for declarations: statistics (from tallies), history, the public signatory list."""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from concord.accounts.queries import verified_addresses
from concord.core.keyset import Keyset
from concord.countries.queries import Coverage, coverage, reference
from concord.declarations.models import Attribution, Declaration, HourlyTally, Signature, Tally
from concord.organisations.models import Organisation
from concord.organisations.permissions import is_secretariat


@dataclass(frozen=True)
class CountryRow:
    country: str
    name: str
    signatures: int
    organisations: int
    individuals: int


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    countries: int
    signatures: int


@dataclass(frozen=True)
class BroughtRow:
    """A member organisation and the confirmed signatures its share link brought."""

    organisation: int
    name: str
    signatures: int


@dataclass(frozen=True)
class Stats:
    signatures: int
    organisations: int
    individuals: int
    coverage: Coverage
    by_country: list[CountryRow]
    by_region: list[RegionRow]
    as_of: datetime
    per_country: dict[str, int] = field(default_factory=dict)
    brought_by: list[BroughtRow] = field(default_factory=list)

    @property
    def countries(self) -> int:
        return self.coverage.countries


# An answer that would stay fresh for less than this is not worth keeping.
MIN_KEEP_SECONDS = 0.05


def stats_cached() -> bool:
    """Whether statistics, and the answers built from them, are kept at all."""
    return settings.STATS_CACHE_SECONDS > 0


def fresh_for(stats: Stats) -> float:
    """How long an answer built from `stats` (the page, the /stats body) may be kept: until
    the figures are STATS_CACHE_SECONDS old, so it is never staler than they are. 0 when it
    must not be kept (caching is off, or too little time is left)."""
    if not stats_cached():
        return 0
    left = stats.as_of.timestamp() + settings.STATS_CACHE_SECONDS - time.time()
    return left if left > MIN_KEEP_SECONDS else 0


def declaration_stats(declaration: Declaration, *, fresh: bool = False) -> Stats:
    """Live statistics, read from the tallies: one small query whatever the number of
    signatures. Cached for STATS_CACHE_SECONDS so a crowd of watchers costs one read."""
    # Versioned by the shape of `Stats`: one kept by the release before has no `brought_by`.
    key = f"declaration-stats:2:{declaration.pk}"
    if not fresh and stats_cached():
        cached = cache.get(key)
        if cached is not None:
            return cached
    per_kind: dict[str, Counter] = defaultdict(Counter)
    rows = Tally.objects.filter(declaration=declaration).values_list("country_id", "kind", "count")
    for country, kind, count in rows:
        per_kind[country][kind] += count
    per_country = {code: sum(kinds.values()) for code, kinds in per_kind.items()}
    per_country = {code: n for code, n in per_country.items() if n > 0}
    ref = reference()
    by_country = sorted(
        (
            CountryRow(
                country=code,
                name=ref.countries[code].name if code in ref.countries else code,
                signatures=n,
                organisations=per_kind[code]["organisation"],
                individuals=per_kind[code]["individual"],
            )
            for code, n in per_country.items()
        ),
        key=lambda row: (-row.signatures, row.name),
    )
    region_countries: Counter = Counter()
    region_signatures: Counter = Counter()
    for code, n in per_country.items():
        region = ref.countries[code].region if code in ref.countries else None
        if region:
            region_countries[region] += 1
            region_signatures[region] += n
    stats = Stats(
        signatures=sum(per_country.values()),
        organisations=sum(kinds["organisation"] for kinds in per_kind.values()),
        individuals=sum(kinds["individual"] for kinds in per_kind.values()),
        coverage=coverage(per_country),
        by_country=by_country,
        by_region=[
            RegionRow(
                code, ref.regions.get(code, code), region_countries[code], region_signatures[code]
            )
            for code in sorted(region_countries, key=lambda c: -region_signatures[c])
        ],
        as_of=timezone.now(),
        per_country=per_country,
        brought_by=brought_by(declaration),
    )
    if stats_cached():
        cache.set(key, stats, timeout=settings.STATS_CACHE_SECONDS)
    return stats


def brought_by(declaration: Declaration) -> list[BroughtRow]:
    """The member organisations that brought at least one confirmed signature, the most
    first: one query on the attribution tallies, whatever the number of signatures."""
    rows = (
        Attribution.objects.filter(
            declaration=declaration, organisation__status=Organisation.Status.MEMBER
        )
        .values("organisation_id", "organisation__name")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
        .order_by()
    )
    found = [
        BroughtRow(row["organisation_id"], row["organisation__name"], row["n"]) for row in rows
    ]
    return sorted(found, key=lambda row: (-row.signatures, row.name, row.organisation))


@dataclass(frozen=True)
class Brought:
    """What one organisation's share link brought to a declaration, for its representatives:
    the count and the countries, never who."""

    signatures: int
    by_country: list[tuple[str, int]]


def brought_by_organisation(declaration: Declaration, organisation_id: int) -> Brought:
    rows = (
        Attribution.objects.filter(declaration=declaration, organisation_id=organisation_id)
        .values_list("country_id")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)
        .order_by()
    )
    by_country = sorted(rows, key=lambda row: (-row[1], row[0]))
    return Brought(sum(n for _country, n in by_country), by_country)


def signatures_per_hour(declaration: Declaration) -> list[tuple[datetime, int]]:
    totals: Counter = Counter()
    for hour, count in HourlyTally.objects.filter(declaration=declaration).values_list(
        "hour", "count"
    ):
        totals[hour] += count
    return sorted((hour, n) for hour, n in totals.items() if n)


def signatures_per_day(declaration: Declaration) -> list[tuple[date, int]]:
    totals: Counter = Counter()
    for hour, n in signatures_per_hour(declaration):
        totals[hour.date()] += n
    return sorted(totals.items())


# The public list's order: by country code, then name, then row (unique, so ties are broken
# and a page boundary never repeats or skips a row). It is the order of the index
# `signatory_list_order`, so any page is a seek, whatever its depth. (Country names would
# need a join and differ by language; a page is grouped under localised country headings.)
SIGNATORY_ORDER = Keyset(fields=("country_id", "name", "id"), types=(str, str, int))
# Within one country the country is fixed: comparing it too makes SQLite's planner pick the
# (declaration, status, country) index and sort the whole country instead of seeking.
SIGNATORY_ORDER_IN_COUNTRY = Keyset(fields=("name", "id"), types=(str, int))
SIGNATORY_PAGE = 100


@dataclass(frozen=True)
class SignatoryPage:
    signatures: list[Signature]
    # Signatories listed by name under the filter, and those who chose not to show their
    # name (None under a name search: hidden names are never searched, so no count of them
    # can say anything about a name).
    shown: int
    hidden: int | None
    after: str | None
    before: str | None


def public_signatories(
    declaration: Declaration, *, q: str = "", country: str = ""
) -> QuerySet[Signature]:
    """Confirmed signatories who chose to show their name (unordered: see SIGNATORY_ORDER)."""
    signatures = Signature.objects.filter(
        declaration=declaration, status=Signature.Status.CONFIRMED, show_name=True
    )
    if q:
        signatures = signatures.filter(Q(name__icontains=q) | Q(organisation_name__icontains=q))
    if country:
        signatures = signatures.filter(country_id=country.upper())
    return signatures.select_related("organisation")


def signatory_page(
    declaration: Declaration,
    *,
    q: str = "",
    country: str = "",
    after: str = "",
    before: str = "",
    last: bool = False,
    size: int | None = None,
) -> SignatoryPage:
    """One page of the public list, and its counts, in two queries at any depth: the page by
    keyset, the counts from the tallies (a name search counts its matches instead). A bad
    cursor is `Refused` (400)."""
    found = public_signatories(declaration, q=q, country=country)
    size = size or SIGNATORY_PAGE
    order = SIGNATORY_ORDER_IN_COUNTRY if country else SIGNATORY_ORDER
    page = order.page(found, size=size, after=after, before=before, last=last)
    hidden: int | None = None
    if q:
        shown = found.order_by().count()
    else:
        tallies = Tally.objects.filter(declaration=declaration)
        if country:
            tallies = tallies.filter(country_id=country.upper())
        per_choice = dict(tallies.values_list("shown").annotate(n=Sum("count")).order_by())
        shown, hidden = per_choice.get(True, 0), per_choice.get(False, 0)
    return SignatoryPage(page.rows, shown, hidden, page.after, page.before)


def signature_counts(declarations) -> dict[int, int]:
    """Confirmed signatures of several declarations at once (for lists), from the tallies."""
    rows = (
        Tally.objects.filter(declaration__in=declarations)
        .values("declaration_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {row["declaration_id"]: row["n"] for row in rows}


def signatures_of(user) -> QuerySet[Signature]:
    """A signed-in person's signatures: made by them, or with one of their verified addresses."""
    return (
        Signature.objects.filter(Q(user=user) | Q(email__in=verified_addresses(user)))
        .select_related("declaration")
        .prefetch_related("declaration__texts")
        .order_by("-created_at", "-pk")
    )


def visible_declarations(user) -> QuerySet[Declaration]:
    declarations = Declaration.objects.prefetch_related("texts")
    if is_secretariat(user):
        return declarations
    if user is not None and user.is_authenticated:
        return declarations.filter(~Q(status="draft") | Q(committee=user)).distinct()
    return declarations.exclude(status="draft")


def open_declarations() -> QuerySet[Declaration]:
    """Declarations one can sign now, the most recently opened first."""
    return (
        Declaration.objects.filter(status=Declaration.Status.OPEN)
        .prefetch_related("texts")
        .order_by("-opened_at", "-pk")
    )


def declaration_for_page(slug: str) -> Declaration | None:
    return Declaration.objects.prefetch_related("texts").filter(slug=slug).first()


# slug -> (monotonic expiry, declaration): see declaration_for_signing.
_for_signing: dict[str, tuple[float, Declaration]] = {}
SIGNING_LOOKUP_SECONDS = 1.0


def declaration_for_signing(slug: str) -> Declaration | None:
    """The declaration a public signature names, kept by this process for a second.

    In a surge the lookup was a fifth of the cost of accepting a signature. A change saved in
    this process is seen at once (`forget_for_signing` runs on every save); one saved by
    another process within the second. The worker checks the declaration again, fresh,
    before it records a signature, so such a late acceptance is kept with its reason, not
    recorded (declarations/intake.py).
    """
    now = time.monotonic()
    hit = _for_signing.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    declaration = Declaration.objects.filter(slug=slug).order_by().first()
    if declaration is not None:  # unknown slugs are not kept: anyone can invent them
        if len(_for_signing) > 1000:
            _for_signing.clear()
        _for_signing[slug] = (now + SIGNING_LOOKUP_SECONDS, declaration)
    return declaration


def forget_for_signing(sender=None, instance: Declaration | None = None, **kwargs) -> None:
    if instance is None:
        _for_signing.clear()
    else:
        _for_signing.pop(instance.slug, None)


def signatures_for_review(declaration: Declaration, selection) -> QuerySet[Signature]:
    return (
        selection.apply(declaration.signatures.all())
        .select_related("country")
        .order_by("-created_at", "-pk")
    )


def personal_data(user, addresses: list[str]) -> dict:
    """The person's signatures (made signed in, or from an address they verified), as
    they signed them, for their download."""
    signatures = (
        Signature.objects.filter(Q(user=user) | Q(email__in=addresses))
        .select_related("declaration", "organisation")
        .prefetch_related("declaration__texts")
        .order_by("created_at", "pk")
    )
    return {
        "signatures": [
            {
                "declaration": signature.declaration.slug,
                "title": signature.declaration.title_for(signature.language),
                "name": signature.name,
                "email": signature.email,
                "country": signature.country_id,
                "kind": signature.kind,
                "organisation": signature.organisation_label,
                "role": signature.role,
                "name_shown": signature.show_name,
                "status": signature.status,
                "signed": signature.created_at,
                "confirmed": signature.confirmed_at,
                "invalidated": signature.invalidated_at,
            }
            for signature in signatures
        ]
    }


# The channels a signature came by, as the managers' statistics group them.
CHANNELS = {
    "online": (Signature.Source.WEB, Signature.Source.API, Signature.Source.MEMBER),
    "kiosk": (Signature.Source.KIOSK,),
    "synced": (Signature.Source.SYNCED,),
    "paper": (Signature.Source.OFFLINE,),
}


@dataclass
class ChannelCount:
    channel: str
    confirmed: int  # what counts
    pending: int  # awaiting their emailed link


def signatures_by_channel(declaration: Declaration) -> list[ChannelCount]:
    """Confirmed and pending signatures by channel (one query). A signature sent several
    times is one row, and counts once it is confirmed."""
    rows = (
        Signature.objects.filter(
            declaration=declaration,
            status__in=[Signature.Status.CONFIRMED, Signature.Status.PENDING],
        )
        .values_list("source", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: Counter = Counter()
    for source, status, count in rows:
        counts[source, status] += count
    return [
        ChannelCount(
            channel,
            sum(counts[source, Signature.Status.CONFIRMED] for source in sources),
            sum(counts[source, Signature.Status.PENDING] for source in sources),
        )
        for channel, sources in CHANNELS.items()
    ]
