"""Tallies: exact, live counts of confirmed signatures that stay cheap under a surge.

`count()` is called inside the transaction that confirms or invalidates signatures, so the
tallies change exactly when the signatures do. Rows are spread over `TALLY_SHARDS` shards so
parallel signers from one country (a conference hall) do not queue on one row. `recount()`
rebuilds the tallies from the signature table; a scheduled job runs it to catch any drift.

A tally is kept per (country, kind, shown): whether the signer chose to show their name, so
the public list knows how many it lists and how many are hidden without counting rows. A
change of that choice on a confirmed signature is counted as a removal with the old choice
and an addition with the new one (`count_signatures(..., sign=-1)` then `sign=1`).
"""

import random
from collections import Counter
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import TruncHour

from concord.declarations.models import Declaration, HourlyTally, Signature, Tally


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _add(model, lookup: dict, delta: int) -> None:
    rows = model.objects.filter(**lookup)
    if rows.update(count=F("count") + delta):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, count=delta)
    except IntegrityError:
        # Another signer created the row between our update and insert: add to it.
        rows.update(count=F("count") + delta)


def count(declaration_id: int, changes: Counter, hours: Counter) -> None:
    """Apply deltas: `changes[(country, kind, shown)]` and `hours[hour]` (confirmed_at, UTC)."""
    shard = random.randrange(settings.TALLY_SHARDS)
    for (country, kind, shown), delta in sorted(changes.items()):
        if delta:
            lookup = {
                "declaration_id": declaration_id,
                "country_id": country,
                "kind": kind,
                "shown": shown,
            }
            _add(Tally, {**lookup, "shard": shard}, delta)
    for hour, delta in sorted(hours.items()):
        if delta:
            _add(
                HourlyTally, {"declaration_id": declaration_id, "hour": hour, "shard": shard}, delta
            )


def count_signatures(signatures, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) confirmed signatures from their declaration's tallies."""
    by_declaration: dict[int, tuple[Counter, Counter]] = {}
    for signature in signatures:
        changes, hours = by_declaration.setdefault(signature.declaration_id, (Counter(), Counter()))
        changes[(signature.country_id, signature.kind, signature.show_name)] += sign
        hours[hour_of(signature.confirmed_at)] += sign
    # In one order, so concurrent transactions take the tally rows in the same order.
    for declaration_id, (changes, hours) in sorted(by_declaration.items(), key=lambda i: i[0]):
        count(declaration_id, changes, hours)


def true_counts(declaration: Declaration) -> tuple[Counter, Counter]:
    """Counts straight from the signature table (the slow, authoritative way)."""
    confirmed = Signature.objects.filter(declaration=declaration, status=Signature.Status.CONFIRMED)
    by_country = Counter(
        {
            (row["country_id"], row["kind"], row["show_name"]): row["n"]
            for row in confirmed.values("country_id", "kind", "show_name")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    by_hour = Counter(
        {
            row["hour"]: row["n"]
            for row in confirmed.annotate(hour=TruncHour("confirmed_at", tzinfo=UTC))
            .values("hour")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    return by_country, by_hour


def tallied_counts(declaration: Declaration) -> tuple[Counter, Counter]:
    by_country: Counter = Counter()
    rows = Tally.objects.filter(declaration=declaration)
    for row in rows.values("country_id", "kind", "shown", "count"):
        by_country[(row["country_id"], row["kind"], row["shown"])] += row["count"]
    by_hour: Counter = Counter()
    for hour, count in HourlyTally.objects.filter(declaration=declaration).values_list(
        "hour", "count"
    ):
        by_hour[hour] += count
    return +by_country, +by_hour


@transaction.atomic
def recount(declaration: Declaration) -> bool:
    """Rebuild the tallies if they differ from the signature table. True if corrected."""
    Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
    by_country, by_hour = true_counts(declaration)
    if (by_country, by_hour) == tallied_counts(declaration):
        return False
    Tally.objects.filter(declaration=declaration).delete()
    HourlyTally.objects.filter(declaration=declaration).delete()
    Tally.objects.bulk_create(
        Tally(declaration=declaration, country_id=country, kind=kind, shown=shown, count=n)
        for (country, kind, shown), n in by_country.items()
    )
    HourlyTally.objects.bulk_create(
        HourlyTally(declaration=declaration, hour=hour, count=n) for hour, n in by_hour.items()
    )
    return True
