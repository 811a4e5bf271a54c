"""Signatory list: what a page of the public list costs at 1,000,000 confirmed signatures.

Signatures are bulk-loaded as in `scale.py` (one in seven hides its name), then
`counting.recount()` rebuilds the tallies. Over HTTP, against `concord serve`, we time:

- the HTML page `/declarations/<slug>/signatories/`: the first page, a deep page (the cursor
  of the row 90 % of the way through the list) and the last page (`?page=last`);
- the API `/api/v1/declarations/<slug>/signatories` (25 a page): the same three;
- a country filter's deep page (the largest country), and a name search (a scan: no index
  serves `icontains`), for the record;
- the CSV export twice: the first request (no file yet: it asks for the build, which this
  run performs as the worker would, in a process of its own whose peak resident memory is
  the build's) and a second one served from the file.

    python bench/signatory_list.py [--db sqlite|postgres] [--quick]    (--quick: 100,000)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
from scale import bulk_load, http_timed

SAMPLES = 10


def deep_cursor(declaration, share: float, **filters) -> str:
    """The cursor of the row `share` of the way through the public list (in-process)."""
    from concord.core import keyset
    from concord.declarations import queries

    found = queries.public_signatories(declaration, **filters).order_by(
        *queries.SIGNATORY_ORDER.fields
    )
    total = found.count()
    row = found[max(0, int(total * share) - 1)]
    return keyset.encode(queries.SIGNATORY_ORDER.key(row))


def measure(run: harness.Run, declaration) -> dict:
    from django.db.models import Count

    from concord.declarations.models import Signature

    slug = declaration.slug
    page = f"{run.base}/declarations/{slug}/signatories/"
    api = f"{run.base}/api/v1/declarations/{slug}/signatories"
    deep = deep_cursor(declaration, 0.9)
    largest = (
        Signature.objects.filter(declaration=declaration, status="confirmed", show_name=True)
        .values("country_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    country = largest["country_id"]
    deep_country = deep_cursor(declaration, 0.9, country=country)
    out: dict = {}
    for label, base in (("html", page), ("api", api)):
        out[f"{label}_first"] = http_timed(base, SAMPLES)
        out[f"{label}_deep"] = http_timed(f"{base}?after={deep}", SAMPLES)
        out[f"{label}_last"] = http_timed(f"{base}?page=last", SAMPLES)
        out[f"{label}_country_deep"] = {
            **http_timed(f"{base}?country={country}&after={deep_country}", SAMPLES),
            "country": country,
            "rows": largest["n"],
        }
        out[f"{label}_search"] = http_timed(f"{base}?q=Signatory+99999", 3)
    status, body, seconds = harness.get(f"{api}.csv", timeout=1800)
    out["csv_first_request"] = {"status": status, "ms": round(seconds * 1000, 1)}
    # The worker's part, in a process of its own: its peak memory is the build's.
    out["csv_build"] = run.job("export", slug)
    out["csv_build_seconds"] = round(out["csv_build"]["seconds"], 2)
    status, body, seconds = harness.get(f"{api}.csv", timeout=1800)
    out["csv_from_file"] = {
        "status": status,
        "seconds": round(seconds, 3),
        "bytes": len(body),
        "rows": body.count(b"\n") - 1,
    }
    return out


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    size = 100_000 if args.quick else 1_000_000
    with harness.Run(args.db, "signatory-list", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        from concord.declarations import counting

        harness.log(f"loading {size:,} signatures")
        load_s = bulk_load(declaration, 0, size)
        counting.recount(declaration)
        run.serve()
        result = run.result
        result["signatures"] = size
        result["load_seconds"] = round(load_s, 1)
        result["list"] = measure(run, declaration)
        listed = result["list"]
        harness.log(
            " ".join(
                f"{name} {figures['median_ms']} ms;"
                for name, figures in listed.items()
                if isinstance(figures, dict) and "median_ms" in figures
            )
        )
        harness.log(
            f"csv: {listed['csv_first_request']}, built in {listed['csv_build_seconds']} s "
            f"(peak RSS {listed['csv_build']['peak_rss_mib']} MiB), {listed['csv_from_file']}"
        )
        result["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
        run.save()


if __name__ == "__main__":
    main()
