"""App servers: the same code and database served by each app server `concord serve` offers
(`--server gunicorn|granian`), one after the other in one run: the ceiling (`/healthz`),
signing through the API (short) and the public declaration page, with the peak resident
memory of the server's processes while signing.

`--server` is passed only when `concord serve --help` offers it; without it only the default
server (gunicorn) is measured and the others are reported as not available. Answers are
counted from the access log (see `harness.ACCESS_LOG_RE` for the format expected).

    python bench/servers.py [--db sqlite|postgres] [--quick]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

SERVERS = ["gunicorn", "granian"]


def offered(run: harness.Run) -> bool:
    """Whether this code's `concord serve` takes `--server`."""
    done = subprocess.run(
        [sys.executable, "-m", "concord.cli", "serve", "--help"],
        env=run.env,
        cwd=harness.CODE_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return "--server" in done.stdout


def measure(run: harness.Run, server: str | None, slug: str, seconds: int) -> dict:
    from concord.declarations.models import SignatureIntake

    run.serve(server=server)
    label = server or "default"
    out: dict = {"server": run.result["server"]}
    out["ceiling"] = harness.ceiling(run, seconds=seconds)
    path = f"/api/v1/declarations/{slug}/signatures"
    before = run.access_count("POST", path, 202)
    sampler = run.sample_memory()
    out["sign"] = harness.wrk(
        run.base + path,
        seconds=seconds,
        connections=int(os.environ.get("BENCH_SIGN_CONNECTIONS", "32")),
        script="sign.lua",
        env={"RUN_ID": f"{label}{os.getpid()}", "SIGN_PATH": path},
        label=f"POST signatures ({label})",
    )
    run.drain(SignatureIntake.objects.count)
    out["memory"] = sampler.finish()
    accepted = run.access_count("POST", path, 202) - before
    out["sign"]["accepted_202_server_log"] = accepted
    # The access log is the count the surge's checks rely on: it must see every 202.
    out["access_log_counts_202"] = accepted >= out["sign"]["statuses"].get("202", 0) > 0
    out["page"] = harness.wrk(
        f"{run.base}/declarations/{slug}/", seconds=seconds, label=f"GET page ({label})"
    )
    ceiling_rps = out["ceiling"]["rps"]
    out["share_of_ceiling"] = {
        "sign": harness.share(out["sign"]["rps"], ceiling_rps),
        "page": harness.share(out["page"]["rps"], ceiling_rps),
    }
    out["server_errors_logged"] = run.server_log_tail(10**9).count("Traceback")
    run.stop()
    return out


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    seconds = 5 if args.quick else 10
    with harness.Run(args.db, "servers", quick=args.quick) as run:
        run.prepare()
        declaration = run.open_declaration()
        choice = offered(run)
        run.result["server_option"] = choice
        run.result["servers"] = {}
        for name in SERVERS if choice else SERVERS[:1]:
            harness.log(f"app server {name}")
            try:
                run.result["servers"][name] = measure(
                    run, name if choice else None, declaration.slug, seconds
                )
            except RuntimeError as error:  # e.g. not installed: report, measure the rest
                run.result["servers"][name] = {"error": str(error)[-2000:]}
                run.stop()
        for name in SERVERS:
            run.result["servers"].setdefault(
                name, {"error": "`concord serve` has no --server option in this code"}
            )
        run.save()


if __name__ == "__main__":
    main()
