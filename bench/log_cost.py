"""The transparency log's cost per confirmed signature, in-process.

A fresh database (a temporary SQLite file, or a PostgreSQL database made for the run) gets
an open declaration and 2 x N pending signatures with known links. N are confirmed with the
log's entry written as in production, N with that write left out; the difference in CPU
time is what the log adds to a confirmation. Then one seal places the N entries, signs a
head and queues N receipt emails: its time divided by N is the log's cost after the fact.

    python bench/log_cost.py [--db sqlite|postgres://...] [-n 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.record_intake import open_declaration


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    declaration = open_declaration(args.db, "log")
    from concord.declarations.log import entries, sealing
    from concord.declarations.models import Signature
    from concord.declarations.services import signing

    Signature.objects.bulk_create(
        Signature(
            declaration=declaration,
            email=f"s{n}@example.org",
            name=f"Signer {n}",
            country_id=["SN", "MZ", "KG", "AZ"][n % 4],
            kind="individual",
            token_hash=signing.hash_token(f"token-{n}"),
        )
        for n in range(2 * args.n)
    )

    def confirm(numbers) -> float:
        cpu = time.process_time()
        for n in numbers:
            signing.confirm_signature(declaration, f"token-{n}")
        return time.process_time() - cpu

    record = entries.record
    entries.record = lambda *a, **k: None  # the confirmations without the log's entry
    without = confirm(range(0, 2 * args.n, 2))
    entries.record = record
    with_log = confirm(range(1, 2 * args.n, 2))
    cpu, wall = time.process_time(), time.perf_counter()
    head = sealing.seal(declaration)
    seal_cpu, seal_wall = time.process_time() - cpu, time.perf_counter() - wall
    assert head is not None and head.size == args.n

    vendor = "sqlite" if args.db == "sqlite" else "postgres"
    per = 1000 / args.n
    print(
        f"{vendor}, {args.n} confirmations each way (CPU ms per confirmation): "
        f"without the log {without * per:.3f}, with it {with_log * per:.3f}, "
        f"added {(with_log - without) * per:.3f}"
    )
    print(
        f"{vendor}: one seal of {args.n} entries (places, head, {args.n} receipt emails): "
        f"{seal_wall:.2f} s wall, {seal_cpu * per:.3f} ms CPU per entry"
    )


if __name__ == "__main__":
    main()
