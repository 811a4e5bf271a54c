"""Results: what the platform totals cost at 100 / 1,000 / 10,000 projects.

Each project (of its own member organisation) works in one or two countries, has one result
with an indicator adopting a shared indicator, two periods with an approved update each.
Rows are bulk-created (the services would take minutes at 10,000); the periods' actuals are
then recomputed by `services.refresh_actual`, as approval does. At each size we measure:

- `queries.platform_totals()` in-process (server time), 10 calls;
- `GET /api/v1/results/summary` and the `/results/` dashboard over HTTP, 10 sequential
  requests each (latency), served by `concord serve` as `make run` does but with
  STATS_CACHE_SECONDS=0, so every request computes (in production the answer is reused for
  STATS_CACHE_SECONDS);
- and check that the summary's total equals a recomputation with SQL from approved updates.

    python bench/results_totals.py [--db sqlite|postgres] [--quick]   (--quick: 100 and 1,000)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

SAMPLES = 10


def load(count: int, start: int) -> None:
    from django.db import transaction

    from concord.countries.models import Country
    from concord.organisations.models import Organisation
    from concord.results.models import (
        Indicator,
        Period,
        Project,
        ProjectCountry,
        Result,
        SharedIndicator,
        Update,
    )

    rng = random.Random(start)
    codes = list(Country.objects.values_list("code", flat=True))
    shared = list(SharedIndicator.objects.values_list("slug", flat=True))
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench organisation {n}", name_key=f"bench organisation {n}",
                country_id=rng.choice(codes), status="member",
            )
            for n in range(start, start + count)
        )  # fmt: skip
        projects = Project.objects.bulk_create(
            Project(
                organisation=o, title=f"Project {o.pk}", summary="Bench.",
                planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31),
            )
            for o in organisations
        )  # fmt: skip
        shares = []
        for project in projects:
            first, second = rng.sample(codes, 2)
            if rng.random() < 0.5:
                shares.append(ProjectCountry(project=project, country_id=first, percentage=100))
            else:
                shares.append(ProjectCountry(project=project, country_id=first, percentage=70))
                shares.append(ProjectCountry(project=project, country_id=second, percentage=30))
        ProjectCountry.objects.bulk_create(shares)
        results = Result.objects.bulk_create(
            Result(project=p, kind="2", title="Outcome") for p in projects
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(result=r, title="Shared", shared_id=rng.choice(shared)) for r in results
        )
        periods = Period.objects.bulk_create(
            Period(indicator=i, start=date(year, 1, 1), end=date(year, 12, 31), target=100)
            for i in indicators
            for year in (2024, 2025)
        )
        Update.objects.bulk_create(
            Update(period=p, value=Decimal(rng.randint(1, 200)), status="approved") for p in periods
        )
        fresh = list(
            Period.objects.filter(pk__in=[p.pk for p in periods]).prefetch_related("updates")
        )
        for period in fresh:
            period.actual = sum(
                (u.value for u in period.updates.all() if u.status == "approved"), Decimal(0)
            )
        Period.objects.bulk_update(fresh, ["actual"], batch_size=2000)


def recount() -> Decimal:
    from django.db.models import Sum

    from concord.results.models import Update

    return Update.objects.filter(
        status="approved", period__indicator__shared__isnull=False
    ).aggregate(total=Sum("value"))["total"] or Decimal(0)


def timed(call, samples: int = SAMPLES) -> dict:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(times[-1], 2)}


def main() -> None:
    args = harness.parse_args(__doc__.splitlines()[0])
    sizes = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    with harness.Run(args.db, "results-totals", quick=args.quick) as run:
        run.prepare()
        from concord.results import queries

        loaded, rows = 0, []
        for size in sizes:
            started = time.perf_counter()
            load(size - loaded, loaded)
            loaded = size
            load_s = time.perf_counter() - started
            run.serve(STATS_CACHE_SECONDS="0")  # compute on every request
            in_process = timed(lambda: queries.platform_totals(fresh=True))
            summary = timed(lambda: harness.get(run.base + "/api/v1/results/summary"))
            page = timed(lambda: harness.get(run.base + "/results/"))
            import json

            _status, body, _seconds = harness.get(run.base + "/api/v1/results/summary")
            total = sum(Decimal(i["total"]) for i in json.loads(body)["indicators"])
            row = {
                "projects": size,
                "load_s": round(load_s, 1),
                "platform_totals": in_process,
                "summary_http": summary,
                "dashboard_http": page,
                "total_matches_sql": total == recount(),
            }
            harness.log(f"results-totals [{args.db}] {row}")
            rows.append(row)
        run.result["sizes"] = rows
        run.save()


if __name__ == "__main__":
    main()
