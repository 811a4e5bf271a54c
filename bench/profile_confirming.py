"""CPU cost of confirming signatures, in-process: one at a time, then from T threads.

A fresh database (temporary SQLite file, or a temporary PostgreSQL database) and an open
declaration; N pending signatures with known tokens (spread over a few countries, kinds and
choices to show the name, as a mailing's are) are confirmed through
`signing.confirm_signature`, first one by one from one thread, then the same number from T
threads. Prints, per phase, CPU ms per confirmation (`time.process_time()`, every thread of
this process), confirmations per second and the p99 latency, and checks the tallies equal a
recount. Wall-clock figures are only indicative on a shared machine; CPU is what to compare.

    python bench/profile_confirming.py [--db sqlite|postgres] [-n 2000] [-t 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness


def pending(declaration, prefix: str, count: int) -> list[str]:
    """`count` pending signatures whose emailed tokens are known; their tokens."""
    from django.utils import timezone

    from concord.declarations.models import Signature
    from concord.declarations.services import signing

    countries = ["SN", "KE", "FR", "BR", "IN"]
    kinds = [value for value, _label in Signature.Kind.choices]
    expires = timezone.now() + timedelta(hours=1)
    tokens = [f"{prefix}-{n}" for n in range(count)]
    Signature.objects.bulk_create(
        Signature(
            declaration=declaration,
            email=f"{token}@bench.example",
            name=f"Signer {token}",
            country_id=countries[n % len(countries)],
            kind=kinds[n % len(kinds)],
            show_name=n % 3 != 0,
            language="en",
            token_hash=signing.hash_token(token),
            token_expires_at=expires,
        )
        for n, token in enumerate(tokens)
    )
    return tokens


def confirm_all(declaration, tokens: list[str], threads: int) -> dict:
    from django.db import connection

    from concord.declarations.services import signing

    latencies: list[float] = []
    lock = threading.Lock()
    chunks = [tokens[n::threads] for n in range(threads)]
    start = threading.Barrier(threads + 1)

    def worker(chunk: list[str]) -> None:
        start.wait()
        mine = []
        try:
            for token in chunk:
                began = time.perf_counter()
                signing.confirm_signature(declaration, token)
                mine.append(time.perf_counter() - began)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    workers = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in workers:
        thread.start()
    cpu, wall = time.process_time(), time.perf_counter()
    start.wait()
    for thread in workers:
        thread.join()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert len(latencies) == len(tokens), "some confirmations failed"
    latencies.sort()
    return {
        "threads": threads,
        "confirmations": len(tokens),
        "cpu_ms_per_confirmation": round(cpu * 1000 / len(tokens), 3),
        "per_second": round(len(tokens) / wall),
        "p99_ms": round(harness.percentile_ms(latencies, 0.99) or 0, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("-n", type=int, default=2000, help="confirmations per phase")
    parser.add_argument("-t", type=int, default=8, help="threads of the second phase")
    args = parser.parse_args()
    with harness.Run(args.db, "profile-confirming") as run:
        # Migrated here (no static files, no server): only the services are measured.
        os.environ.update(run.env)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", "--no-input", verbosity=0)
        from concord.declarations import counting

        declaration = run.open_declaration()
        for label, threads in (("one at a time", 1), (f"{args.t} threads", args.t)):
            tokens = pending(declaration, label.replace(" ", "-"), args.n)
            result = confirm_all(declaration, tokens, threads)
            print(f"{args.db} {label}: {result}", flush=True)
        assert not counting.recount(declaration), "the tallies drifted from the signatures"
        print(f"{args.db}: tallies equal a recount", flush=True)


if __name__ == "__main__":
    main()
