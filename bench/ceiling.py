"""Ceiling: what this machine can do at all through the same server and middleware.

`/healthz` is the smallest view (one `SELECT 1`): every other figure is also given as a share
of it. Every benchmark measures it again on its own server in its own run; this one measures
only that, at the start and at the end (the spread shows how steady the machine was).

    python bench/ceiling.py [--db sqlite|postgres] [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness


def main() -> None:
    args = harness.parse_args(__doc__.split("\n")[0])
    seconds = 5 if args.quick else 15
    with harness.Run(args.db, "ceiling", quick=args.quick) as run:
        run.prepare()
        run.serve()
        first = harness.ceiling(run, seconds=seconds)
        again = harness.ceiling(run, seconds=seconds)
        run.result["ceiling"] = max(first, again, key=lambda r: r["rps"])
        run.result["ceiling_runs"] = [first, again]
        run.save()


if __name__ == "__main__":
    main()
