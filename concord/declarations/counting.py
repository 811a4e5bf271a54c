"""Tallies: exact, live counts of confirmed signatures that stay cheap under a surge.

`count_signatures()` is called inside the transaction that confirms or invalidates
signatures, so the tallies change exactly when the signatures do; it sums them per tally row
and adds to all the rows in one upsert statement per table. Rows are spread over `TALLY_SHARDS` shards so
parallel signers from one country (a conference hall) do not queue on one row. `recount()`
rebuilds the tallies from the signature table; a scheduled job runs it to catch any drift.

A tally is kept per (country, kind, shown): whether the signer chose to show their name, so
the public list knows how many it lists and how many are hidden without counting rows. A
change of that choice on a confirmed signature is counted as a removal with the old choice
and an addition with the new one (`count_signatures(..., sign=-1)` then `sign=1`).

A signature a member organisation brought (its share link, `Signature.via`) is counted in an
`Attribution` row too, per (organisation, country), in the same statement round: the
"brought by" figures are exact through every confirmation, invalidation, withdrawal and
erasure, and cost no more than the tallies to read.
"""

import random
from collections import Counter
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour

from concord.declarations.models import Attribution, Declaration, HourlyTally, Signature, Tally


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


# Add to a tally row, creating it if missing, in one statement (SQLite ≥ 3.24, PostgreSQL):
# no update-then-insert race, and one statement (executemany) for a whole round's rows. The
# conflict targets are the tables' unique constraints.
_ADD_TO_TALLY = (
    "INSERT INTO {table} (declaration_id, country_id, kind, shown, shard, count)"
    " VALUES (%s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (declaration_id, country_id, kind, shown, shard)"
    " DO UPDATE SET count = {table}.count + excluded.count"
)
_ADD_TO_HOUR = (
    "INSERT INTO {table} (declaration_id, hour, shard, count) VALUES (%s, %s, %s, %s)"
    " ON CONFLICT (declaration_id, hour, shard) DO UPDATE SET count = {table}.count + excluded.count"
)
_ADD_TO_ATTRIBUTION = (
    "INSERT INTO {table} (declaration_id, organisation_id, country_id, shard, count)"
    " VALUES (%s, %s, %s, %s, %s)"
    " ON CONFLICT (declaration_id, organisation_id, country_id, shard)"
    " DO UPDATE SET count = {table}.count + excluded.count"
)


def _apply(tallies: Counter, hours: Counter, brought: Counter) -> None:
    """Write the deltas, keyed as the unique constraints are, in key order: two transactions
    counting at once take the rows they share in one order, so neither waits for the other
    in a cycle."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        tally_rows = [(*key, delta) for key, delta in sorted(tallies.items()) if delta]
        if tally_rows:
            cursor.executemany(_ADD_TO_TALLY.format(table=Tally._meta.db_table), tally_rows)
        hour_rows = [
            (declaration, adapt(hour), shard, delta)
            for (declaration, hour, shard), delta in sorted(hours.items())
            if delta
        ]
        if hour_rows:
            cursor.executemany(_ADD_TO_HOUR.format(table=HourlyTally._meta.db_table), hour_rows)
        brought_rows = [(*key, delta) for key, delta in sorted(brought.items()) if delta]
        if brought_rows:  # no statement at all for a round nobody's share link brought
            table = Attribution._meta.db_table
            cursor.executemany(_ADD_TO_ATTRIBUTION.format(table=table), brought_rows)


def count_signatures(signatures, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) confirmed signatures from their declaration's tallies.

    However many signatures (a round of confirmations, a review's selection), one statement
    per tally table: the signatures are summed per row first, each declaration in one shard."""
    shards: dict[int, int] = {}
    tallies: Counter = Counter()
    hours: Counter = Counter()
    brought: Counter = Counter()
    for signature in signatures:
        declaration = signature.declaration_id
        shard = shards.get(declaration)
        if shard is None:
            shard = shards[declaration] = random.randrange(settings.TALLY_SHARDS)
        key = (signature.country_id, signature.kind, signature.show_name)
        tallies[(declaration, *key, shard)] += sign
        hours[(declaration, hour_of(signature.confirmed_at), shard)] += sign
        if signature.via_id is not None:
            brought[(declaration, signature.via_id, signature.country_id, shard)] += sign
    _apply(tallies, hours, brought)


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


def true_attributions(declaration: Declaration) -> Counter:
    """Confirmed signatures per (organisation that brought them, country), from the
    signature table."""
    confirmed = Signature.objects.filter(
        declaration=declaration, status=Signature.Status.CONFIRMED, via__isnull=False
    )
    rows = confirmed.values("via_id", "country_id").annotate(n=Count("id")).order_by()
    return Counter({(row["via_id"], row["country_id"]): row["n"] for row in rows})


def tallied_attributions(declaration: Declaration) -> Counter:
    brought: Counter = Counter()
    rows = Attribution.objects.filter(declaration=declaration)
    for organisation, country, count in rows.values_list("organisation_id", "country_id", "count"):
        brought[(organisation, country)] += count
    return +brought


@transaction.atomic
def recount(declaration: Declaration) -> bool:
    """Rebuild the tallies if they differ from the signature table. True if corrected."""
    Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
    by_country, by_hour = true_counts(declaration)
    brought = true_attributions(declaration)
    counted = tallied_counts(declaration), tallied_attributions(declaration)
    if ((by_country, by_hour), brought) == counted:
        return False
    Tally.objects.filter(declaration=declaration).delete()
    HourlyTally.objects.filter(declaration=declaration).delete()
    Attribution.objects.filter(declaration=declaration).delete()
    Attribution.objects.bulk_create(
        Attribution(
            declaration=declaration, organisation_id=organisation, country_id=country, count=n
        )
        for (organisation, country), n in brought.items()
    )
    Tally.objects.bulk_create(
        Tally(declaration=declaration, country_id=country, kind=kind, shown=shown, count=n)
        for (country, kind, shown), n in by_country.items()
    )
    HourlyTally.objects.bulk_create(
        HourlyTally(declaration=declaration, hour=hour, count=n) for hour, n in by_hour.items()
    )
    return True
