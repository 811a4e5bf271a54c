"""Sign surge: a crowd submitting signatures through the API, then confirming them.

1. wrk (`lua/sign.lua`): 30 s (`--quick`: 10 s) of `POST /api/v1/declarations/<slug>/
   signatures`, each with a unique email; the server accepts each (202) into the intake
   table. The resident memory of every server process is polled meanwhile.
2. Recording: the worker's `declarations/intake.py: process()` turns the accepted rows into
   signatures and queued emails, timed in a process of its own (its peak memory too).
3. Emails: the outbox is sent to a local SMTP server (aiosmtpd, `smtp_sink.py`) by
   `core/emails.py: deliver_batch()` for a bounded time, beside the SMTP server's own pace.
4. Confirmations: the tokens read from the outbox (the text bodies, as a signer reads the
   email) are POSTed once each to `/signatures/confirm` by wrk (`lua/confirm.lua`).
Then the database is checked: exactly one row per 202 answer, one confirmed row per 200
answer to a confirmation, tallies equal to a recount, `/stats` equal to counts by SQL.

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


def confirm_all(run: harness.Run, slug: str, tokens: list[str], quick: bool) -> dict:
    """wrk (`lua/confirm.lua`) POSTs every token once, for at most 60 s (`--quick` 20 s): the
    tokens left then stay unconfirmed, which the checks allow for (they compare confirmed rows
    with the 200 answers in the access log)."""
    path = f"/api/v1/declarations/{slug}/signatures/confirm"
    tokens_file = run.tmp / "tokens.txt"
    tokens_file.write_text("\n".join(tokens) + "\n")
    done_dir = run.tmp / "confirm-done"
    done_dir.mkdir(exist_ok=True)
    bound = 20 if quick else 60
    connections = int(os.environ.get("BENCH_CONFIRM_CONNECTIONS", "32"))
    summary = harness.wrk(
        run.base + path,
        seconds=bound,
        connections=connections,
        script="confirm.lua",
        env={
            "CONFIRM_PATH": path,
            "TOKENS_FILE": str(tokens_file),
            "CONFIRM_THREADS": str(harness.WRK_THREADS),
            "DONE_DIR": str(done_dir),
        },
        label="POST confirm",
        finished=lambda: len(list(done_dir.iterdir())) >= harness.WRK_THREADS,
    )
    # wrk's request count includes the few /healthz fillers; the statuses do not. The span
    # runs from the first request to the last answer (wrk's duration may run on after it).
    answered = sum(summary["statuses"].values())
    seconds = min(summary.get("span_s") or summary["duration_s"], summary["duration_s"])
    summary.update(
        tokens=len(tokens),
        answered=answered,
        rps=answered / seconds if seconds else 0,
        measured_s=seconds,
        bound_s=bound,
        client=f"wrk, {harness.WRK_THREADS} threads, {connections} conn",
    )
    summary["confirm_200_server_log"] = run.drain(lambda: run.access_count("POST", path, 200))
    return summary


def record_accepted(run: harness.Run) -> dict:
    """Turn the accepted submissions into signatures and queued emails as the worker does
    (`declarations/intake.py: process`), in a process of its own, after the surge so the
    surge's figures are the web server's alone."""
    recording = run.job("record")
    harness.log(
        f"recorded {recording['recorded']} of {recording['waiting']} accepted in "
        f"{recording['seconds']:.1f} s ({recording['per_second']:.0f}/s), "
        f"{recording['emails_queued']} emails queued, peak RSS {recording['peak_rss_mib']} MiB"
    )
    return recording


def deliver_emails(run: harness.Run, quick: bool) -> dict:
    """The outbox against a local SMTP server (aiosmtpd, its own process): first the server's
    own pace with a plain smtplib client, then the worker's delivery, each for a bounded time."""
    import smtp_sink

    seconds = "5" if quick else "10"
    with smtp_sink.running(harness.free_port()) as sink:
        pace = run.job("smtp-pace", seconds, EMAIL_URL=sink.url)
    pace["received"] = sink.summary()["received"]
    seconds = "10" if quick else "20"
    with smtp_sink.running(harness.free_port()) as sink:
        sent = run.job("deliver", seconds, EMAIL_URL=sink.url)
    sent["smtp_server"] = sink.summary()
    sent["smtp_pace"] = pace
    sent["share_of_smtp_pace"] = harness.share(sent["per_second"], pace["per_second"])
    sent["all_received"] = sent["smtp_server"]["received"] == sent["sent"] and not sent["failed"]
    harness.log(
        f"emails: {sent['sent']} delivered in {sent['seconds']:.1f} s ({sent['per_second']:.0f}"
        f"/s; SMTP server alone takes {pace['per_second']:.0f}/s), received "
        f"{sent['smtp_server']['received']}, failed {sent['failed']}"
    )
    return sent


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
        # Recorded rows stay a day (they recognise a retried POST); none may still wait.
        "intake_empty": not SignatureIntake.objects.filter(recorded_at__isnull=True).exists(),
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
    seconds = 10 if args.quick else 30
    with harness.Run(args.db, "sign-surge", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        run.serve()
        result = run.result
        result["ceiling"] = harness.ceiling(run, seconds=5 if args.quick else 10)
        path = f"/api/v1/declarations/{declaration.slug}/signatures"
        connections = int(os.environ.get("BENCH_SIGN_CONNECTIONS", "32"))
        harness.log(f"signing for {seconds} s with {connections} connections")
        sampler = run.sample_memory()
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
        from concord.declarations.models import SignatureIntake

        # wrk stops reading at its deadline; the server still finishes what was in flight.
        run.drain(SignatureIntake.objects.count)
        result["server_memory"] = sampler.finish()
        accepted = run.access_count("POST", path, 202)
        surge["accepted_202_server_log"] = accepted
        result["recording"] = record_accepted(run)

        tokens = []
        for text in OutgoingEmail.objects.filter(key__startswith="signature.confirm:").values_list(
            "body_text", flat=True
        ):
            match = TOKEN.search(text)
            if match:
                tokens.append(match.group(1))
        harness.log(f"{accepted} signatures accepted, {len(tokens)} confirmation emails queued")
        result["emails_queued"] = len(tokens)
        # Delivery drops the links from the stored copies: the tokens were read first.
        result["delivery"] = deliver_emails(run, args.quick)
        confirm = confirm_all(run, declaration.slug, tokens, args.quick)
        result["confirm"] = confirm
        result["verify"] = verify(run, declaration, accepted, confirm["confirm_200_server_log"])
        harness.log(f"verification: {result['verify']}")
        ceiling_rps = result["ceiling"]["rps"]
        result["share_of_ceiling"] = {
            "sign": harness.share(surge["rps"], ceiling_rps),
            "confirm": harness.share(confirm["rps"], ceiling_rps),
            "record": harness.share(result["recording"]["per_second"], ceiling_rps),
            "deliver": harness.share(result["delivery"]["per_second"], ceiling_rps),
        }
        result["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
        run.save()


if __name__ == "__main__":
    main()
