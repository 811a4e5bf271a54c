"""Sign surge: a crowd submitting signatures through the API, then confirming them.

Phase 1 (wrk, `lua/sign.lua`): 60 s (`--quick`: 10 s) of `POST /api/v1/declarations/<slug>/
signatures`, each with a unique email; the server accepts each (202) into the intake table.
Then the accepted submissions are recorded as signatures as the worker does (timed). Phase 2: the confirmation tokens are read from the
outbox (the OutgoingEmail rows' text bodies, as a signer would read the email) and POSTed to
`/signatures/confirm` by a bounded Python client (16 threads, persistent connections).
Then the database is checked: exactly one row per 202 answer, one confirmed row per confirm
answer, tallies equal to a recount, and `/stats` equal to counts computed with SQL.

    python bench/sign_surge.py [--db sqlite|postgres] [--quick]
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

TOKEN = re.compile(r"/confirm/([A-Za-z0-9_\-]+)/")
CONFIRM_THREADS = 16


def confirm_all(run: harness.Run, slug: str, tokens: list[str], deadline_s: float) -> dict:
    """POST every token once, from CONFIRM_THREADS threads; bounded by count and deadline."""
    path = f"/api/v1/declarations/{slug}/signatures/confirm"
    headers = {"Content-Type": "application/json"}
    answers = harness.post_many(
        run.port,
        [(path, json.dumps({"token": token}).encode(), headers) for token in tokens],
        CONFIRM_THREADS,
        timeout=30,
        deadline_s=deadline_s,
    )
    latencies, elapsed = answers["latencies"], answers["wall_s"]
    return {
        "requests": len(latencies),
        "tokens": len(tokens),
        "duration_s": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0,
        "statuses": answers["statuses"],
        "p50_ms": harness.percentile_ms(latencies, 0.50),
        "p95_ms": harness.percentile_ms(latencies, 0.95),
        "p99_ms": harness.percentile_ms(latencies, 0.99),
        "client": f"Python, {CONFIRM_THREADS} threads, keep-alive",
    }


def record_accepted(intake) -> dict:
    """Turn the accepted submissions into signatures, as the worker does (declarations/
    intake.py), here after the surge so the surge's figures are the web server's alone."""
    from concord.declarations.models import SignatureIntake

    waiting = SignatureIntake.objects.count()
    started = time.perf_counter()
    outcome = intake.process()
    seconds = time.perf_counter() - started
    harness.log(f"recorded {outcome} of {waiting} accepted in {seconds:.1f} s")
    return {
        "waiting": waiting,
        **outcome,
        "seconds": seconds,
        "per_second": outcome["recorded"] / seconds if seconds else 0,
    }


def verify(run: harness.Run, declaration, accepted: int, confirmed_ok: int) -> dict:
    """`accepted`: 202 answers in the server's access log (wrk's own count misses the answers
    still in flight when it stopped, at most one per connection)."""
    from django.conf import settings
    from django.db import connection

    from concord.declarations import counting
    from concord.declarations.models import Signature, SignatureIntake, Tally

    rows = Signature.objects.filter(declaration=declaration).count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT country_id, kind, COUNT(*) FROM {Signature._meta.db_table}"  # noqa: S608
            " WHERE declaration_id = %s AND status = 'confirmed' GROUP BY country_id, kind",
            [declaration.pk],
        )
        sql_counts = {(c, k): n for c, k, n in cursor.fetchall()}
    sql_total = sum(sql_counts.values())
    true_by_country, true_by_hour = counting.true_counts(declaration)
    tallied_by_country, tallied_by_hour = counting.tallied_counts(declaration)
    # The stats answer may be cached for STATS_CACHE_SECONDS: wait that long, then ask.
    time.sleep(settings.STATS_CACHE_SECONDS + 0.5)
    _status, body, _ = harness.get(f"{run.base}/api/v1/declarations/{declaration.slug}/stats")
    shown = json.loads(body)
    shown_by_country = {
        (row["country"], kind): row[kind + "s"]
        for row in shown["by_country"]
        for kind in ("organisation", "individual")
        if row[kind + "s"]
    }
    checks = {
        "rows_equal_accepted": rows == accepted,
        "intake_empty": not SignatureIntake.objects.exists(),
        "confirmed_equal_confirm_answers": sql_total == confirmed_ok,
        "tallies_equal_recount": (tallied_by_country, tallied_by_hour)
        == (+true_by_country, +true_by_hour),
        "stats_equal_sql": shown["signatures"] == sql_total and shown_by_country == sql_counts,
    }
    return {
        "rows": rows,
        "accepted_202": accepted,
        "confirmed_rows": sql_total,
        "confirm_200": confirmed_ok,
        "stats_signatures": shown["signatures"],
        "tally_rows": Tally.objects.filter(declaration=declaration).count(),
        "checks": checks,
        "ok": all(checks.values()),
    }


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    seconds = 10 if args.quick else 60
    with harness.Run(args.db, "sign-surge", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        run.serve()
        result = run.result
        result["ceiling"] = harness.ceiling(run, seconds=5 if args.quick else 10)
        path = f"/api/v1/declarations/{declaration.slug}/signatures"
        connections = int(os.environ.get("BENCH_SIGN_CONNECTIONS", "32"))
        harness.log(f"signing for {seconds} s with {connections} connections")
        surge = harness.wrk(
            run.base + path,
            seconds=seconds,
            connections=connections,
            script="sign.lua",
            env={"RUN_ID": str(os.getpid()), "SIGN_PATH": path},
            label="POST signatures",
        )
        result["sign"] = surge
        from concord.core.models import OutgoingEmail
        from concord.declarations import intake
        from concord.declarations.models import SignatureIntake

        # wrk stops reading at its deadline; the server still finishes what was in flight.
        run.drain(SignatureIntake.objects.count)
        accepted = run.access_count("POST", path, 202)
        surge["accepted_202_server_log"] = accepted
        result["recording"] = record_accepted(intake)

        tokens = []
        for text in OutgoingEmail.objects.filter(key__startswith="signature.confirm:").values_list(
            "body_text", flat=True
        ):
            match = TOKEN.search(text)
            if match:
                tokens.append(match.group(1))
        harness.log(f"{accepted} signatures accepted, {len(tokens)} confirmation emails queued")
        result["emails_queued"] = len(tokens)
        confirm = confirm_all(run, declaration.slug, tokens, deadline_s=300)
        harness.log(
            f"confirmed {confirm['requests']} in {confirm['duration_s']:.1f} s "
            f"({confirm['rps']:.0f}/s), p99 {confirm['p99_ms'] or 0:.0f} ms, "
            f"statuses {confirm['statuses']}"
        )
        result["confirm"] = confirm
        result["verify"] = verify(run, declaration, accepted, confirm["statuses"].get("200", 0))
        harness.log(f"verification: {result['verify']}")
        result["share_of_ceiling"] = {
            "sign": harness.share(surge["rps"], result["ceiling"]["rps"]),
            "confirm": harness.share(confirm["rps"], result["ceiling"]["rps"]),
        }
        result["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
        run.save()


if __name__ == "__main__":
    main()
