"""Scale: what reads cost at 10,000 / 100,000 / 1,000,000 confirmed signatures.

Signatures are bulk-loaded straight into the table (SQLite: `executemany` in batches of
20,000 in one transaction per batch; PostgreSQL: `COPY`), then `counting.recount()` rebuilds
the tallies, as after a large import. At each size we measure:

- statistics, server time in-process: `declaration_stats(declaration, fresh=True)`, 30 calls;
- statistics over HTTP: the server runs with STATS_CACHE_SECONDS=0, so every `/stats` call
  computes; 20 sequential requests (latency) and a 5 s wrk run (throughput);
- the API signatory list, page 1 and a late page (90 % of the way through);
- the HTML signatory list page 1 and a late page;
- the CSV export: built as the worker does (`export_files.build`, in a process of its own,
  whose peak resident memory is the build's: flat with size when the build streams), then
  downloaded once (`/signatories.csv`, served from the file), to the end.

    python bench/scale.py [--db sqlite|postgres] [--quick]     (--quick: 10k and 100k)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

BATCH = 20_000
SAMPLES = 20


def bulk_load(declaration, start: int, stop: int) -> float:
    """Insert confirmed signatures numbered start..stop-1; returns seconds taken."""
    from django.db import connection, transaction

    from concord.countries.models import Country
    from concord.declarations.models import Signature

    rng = random.Random(start)
    countries = list(Country.objects.values_list("code", flat=True))
    # Signatures cluster in some countries, as they do in life.
    weights = [1 / (rank + 1) for rank in range(len(countries))]
    template = Signature(
        declaration=declaration,
        email="",
        name="",
        country_id="SN",
        kind="individual",
        language="en",
        status=Signature.Status.CONFIRMED,
        source=Signature.Source.OFFLINE,
    )
    fields = [f for f in Signature._meta.local_concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = datetime.now(UTC)
    moments = [
        (now - timedelta(minutes=minute)).replace(microsecond=0) for minute in range(0, 43200, 5)
    ]
    prepared_moments = [
        fields[0].model._meta.get_field("created_at").get_db_prep_save(m, connection)
        for m in moments
    ]
    static = {}
    for f in fields:
        value = getattr(template, f.attname)
        if f.attname == "created_at" or value is None:
            static[f.attname] = value
        else:
            static[f.attname] = f.get_db_prep_save(value, connection)
    position = {f.attname: i for i, f in enumerate(fields)}
    base_row = [static[f.attname] for f in fields]

    def rows(lo: int, hi: int):
        chosen = rng.choices(countries, weights=weights, k=hi - lo)
        for offset, number in enumerate(range(lo, hi)):
            row = list(base_row)
            moment = prepared_moments[number % len(prepared_moments)]
            row[position["email"]] = f"bulk{number}@load.example.org"
            row[position["name"]] = f"Signatory {number}"
            row[position["country_id"]] = chosen[offset]
            organisation = number % 4 == 0
            row[position["kind"]] = "organisation" if organisation else "individual"
            row[position["organisation_name"]] = (
                f"Organisation {number % 5000}" if organisation else ""
            )
            row[position["show_name"]] = number % 7 != 0
            row[position["created_at"]] = moment
            row[position["confirmed_at"]] = moment
            yield row

    table = Signature._meta.db_table
    started = time.perf_counter()
    for lo in range(start, stop, BATCH):
        hi = min(stop, lo + BATCH)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                raw = connection.connection  # psycopg 3
                copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    for row in rows(lo, hi):
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                connection.ensure_connection()
                connection.connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    rows(lo, hi),
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")  # what autovacuum does after a large load
    return time.perf_counter() - started


def timed(call, samples: int) -> dict:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "samples": samples,
    }


def http_timed(url: str, samples: int) -> dict:
    statuses, times = set(), []
    for _ in range(samples):
        status, body, seconds = harness.get(url)
        statuses.add(status)
        times.append(seconds * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(times[-1], 2),
        "bytes": len(body),
        "statuses": sorted(statuses),
        "samples": samples,
    }


def measure(run: harness.Run, declaration, size: int, quick: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from concord.declarations import queries
    from concord.declarations.models import Signature

    slug = declaration.slug
    api = f"{run.base}/api/v1/declarations/{slug}"
    visible = Signature.objects.filter(
        declaration=declaration, status="confirmed", show_name=True
    ).count()
    late_api = max(1, int(visible / 25 * 0.9))
    late_html = max(1, int(visible / 100 * 0.9))
    with CaptureQueriesContext(connection) as captured:
        queries.declaration_stats(declaration, fresh=True)
    out = {
        "signatures": size,
        "stats_in_process": {
            **timed(lambda: queries.declaration_stats(declaration, fresh=True), 30),
            "queries": len(captured),
        },
        "stats_http": http_timed(f"{api}/stats", SAMPLES),
    }
    out["stats_http_wrk"] = harness.wrk(
        f"{api}/stats", seconds=5, connections=16, label=f"stats uncached @{size}"
    )
    out["api_list_page1"] = http_timed(f"{api}/signatories?page=1", 5)
    out["api_list_late"] = {**http_timed(f"{api}/signatories?page={late_api}", 3), "page": late_api}
    page = f"{run.base}/declarations/{slug}/signatories/"
    out["html_list_page1"] = http_timed(page, 5)
    out["html_list_late"] = {**http_timed(f"{page}?page={late_html}", 3), "page": late_html}
    # The worker builds the export file (in a process of its own: its peak memory is the
    # build's); the download then streams that file.
    out["export_build"] = run.job("export", slug)
    status, body, seconds = harness.get(f"{api}/signatories.csv", timeout=1800)
    out["csv_export"] = {
        "seconds": round(seconds, 2),
        "bytes": len(body),
        "rows": body.count(b"\n") - 1,
        "rows_per_s": round((body.count(b"\n") - 1) / seconds) if seconds else None,
        "status": status,
    }
    harness.log(
        f"@{size}: stats in-process {out['stats_in_process']['median_ms']} ms, http "
        f"{out['stats_http']['median_ms']} ms; api p1 {out['api_list_page1']['median_ms']} ms, "
        f"late {out['api_list_late']['median_ms']} ms; html p1 "
        f"{out['html_list_page1']['median_ms']} ms, late {out['html_list_late']['median_ms']} ms;"
        f" csv built in {out['export_build']['seconds']:.1f} s (peak RSS "
        f"{out['export_build']['peak_rss_mib']} MiB), downloaded in {out['csv_export']['seconds']} s"
    )
    return out


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    with harness.Run(args.db, "scale", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        run.serve(STATS_CACHE_SECONDS="0")
        result = run.result
        result["ceiling"] = harness.ceiling(run, seconds=5 if args.quick else 10)
        result["sizes"] = []
        loaded = 0
        from concord.declarations import counting

        for size in sizes:
            harness.log(f"loading signatures {loaded:,} -> {size:,}")
            load_s = bulk_load(declaration, loaded, size)
            started = time.perf_counter()
            counting.recount(declaration)
            recount_s = time.perf_counter() - started
            loaded = size
            measured = measure(run, declaration, size, args.quick)
            measured["load_seconds"] = round(load_s, 1)
            measured["recount_seconds"] = round(recount_s, 2)
            measured["stats_share_of_ceiling"] = harness.share(
                measured["stats_http_wrk"]["rps"], result["ceiling"]["rps"]
            )
            result["sizes"].append(measured)
            run.save()  # keep what we have if a later size fails
        result["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
        run.save()


if __name__ == "__main__":
    main()
