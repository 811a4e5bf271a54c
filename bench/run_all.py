"""`make bench`: every benchmark on SQLite and on PostgreSQL, then bench/RESULTS.md and the
table of targets (`report.py`).

Each benchmark runs in its own process (fresh database, its own server), one after another so
they never compete for the two cores. A benchmark that fails is reported and the rest go on.

    python bench/run_all.py [--quick] [--db sqlite|postgres ...] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# ceiling.py is not among them: every benchmark measures the ceiling on its own server, and
# each figure's share is taken from that one (run it alone for the machine's spread).
BENCHMARKS = ["sign_surge", "watchers", "servers", "scale"]
OTHERS = ["ceiling"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--only", action="append", choices=BENCHMARKS + OTHERS)
    args = parser.parse_args()
    failed = []
    for db in args.db or ["sqlite", "postgres"]:
        for name in args.only or BENCHMARKS:
            command = [sys.executable, str(BENCH / f"{name}.py"), "--db", db]
            if args.quick:
                command.append("--quick")
            print(f"=== {name} on {db} ===", flush=True)
            started = time.monotonic()
            try:
                done = subprocess.run(command, timeout=3600, check=False)
                ok = done.returncode == 0
            except subprocess.TimeoutExpired:
                ok = False
            print(
                f"=== {name} on {db}: {'done' if ok else 'FAILED'} "
                f"in {time.monotonic() - started:.0f} s ===",
                flush=True,
            )
            if not ok:
                failed.append(f"{name}/{db}")
    subprocess.run([sys.executable, str(BENCH / "report.py")], check=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
