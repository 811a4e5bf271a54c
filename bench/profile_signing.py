"""CPU per accepted API signature, in-process, through every middleware.

A fresh database (a SQLite file in a temporary folder, or a PostgreSQL database created and
dropped), migrated, with one declaration open to anyone; then N `POST /api/v1/declarations/
<slug>/signatures`, each with a unique email, handed as raw WSGI environs to
`concord.wsgi.application` (so the whole request path runs: every middleware, the URL
resolver, the API's parsing and validation, `intake.accept`, the response). Prints the CPU
milliseconds per request (`time.process_time()`, after a warm-up) and a cProfile summary of
a second, profiled pass: the functions with most time of their own, and most cumulative.

Single-threaded, so intake's group commit writes one transaction per request (as a lone
request would); wall time includes the commit's wait, CPU time does not.

    python bench/profile_signing.py [--db sqlite|postgres] [-n 3000] [--top 25]
        [--rate-limits] [--redis redis://127.0.0.1:6379/7] [--no-profile] [--save FILE]
        [--drop dotted.path.of.Middleware ...]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SLUG = "surge"
BATCH = 100
COUNTRIES = ["SN", "BD", "FJ", "KE", "BR", "PH", "NG", "IN", "MX", "ID", "GH", "PK"]


def configure(db: str, folder: Path, redis: str, rate_limits: bool) -> str:
    """The environment a server gets from the benchmarks' harness; returns the PG name."""
    pg_name = f"concord_profile_signing_{os.getpid()}"
    url = (
        f"sqlite:///{folder / 'concord.sqlite3'}"
        if db == "sqlite"
        else f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    )
    os.environ.update(
        {
            "DATABASE_URL": url,
            "CONCORD_VAR_DIR": str(folder),
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "SECRET_KEY": "profile-" + "x" * 50,
            "DJANGO_SETTINGS_MODULE": "concord.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    if not rate_limits:  # as in bench/harness.py: every simulated signer is one network
        os.environ["DISABLE_RATE_LIMITS"] = "1"
    if redis:
        os.environ["REDIS_URL"] = redis
    return pg_name


def prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from concord.accounts.models import User
    from concord.declarations.services import lifecycle

    user = User.objects.create_user(
        email="sec@example.org",
        password=None,
        is_staff=True,
        name="Sec",
    )
    declaration = lifecycle.create_declaration(user, slug=SLUG, title="Surge", text="We agree.")
    lifecycle.open_declaration(user, declaration)


def environ(number: int, spread_networks: bool) -> dict:
    body = json.dumps(
        {
            "name": f"Signer {number}",
            "email": f"s{number}@bench.example.org",
            "country": COUNTRIES[number % len(COUNTRIES)],
            "kind": "organisation" if number % 3 == 0 else "individual",
            "organisation": f"Org {number % 500}",
            "show_name": True,
        }
    ).encode()
    # With rate limits on, spread the signers over networks so none spends its budget.
    remote = f"10.{number // 250 % 250}.{number % 250}.7" if spread_networks else "127.0.0.1"
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/declarations/{SLUG}/signatures",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "wrk",
        "HTTP_ACCEPT": "*/*",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def run(application, start: int, count: int, spread: bool) -> dict[str, int]:
    statuses: dict[str, int] = {}

    def start_response(status, headers, exc_info=None):
        statuses[status] = statuses.get(status, 0) + 1

    for number in range(start, start + count):
        result = application(environ(number, spread), start_response)
        b"".join(result)
        if hasattr(result, "close"):
            result.close()  # fires request_finished, as a server does
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("-n", type=int, default=3000, help="measured requests")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rate-limits", action="store_true", help="keep RATE_LIMITS on")
    parser.add_argument("--redis", default="", help="REDIS_URL for the cache (e.g. db 7)")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--save", default="", help="write the raw profile here (pstats)")
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        help="leave this middleware out (a what-if: what would it save?); repeatable",
    )
    args = parser.parse_args()

    # BENCH_CODE_ROOT: profile another copy of the code (to measure "before" a change).
    sys.path.insert(0, os.environ.get("BENCH_CODE_ROOT", str(ROOT)))
    folder = Path(tempfile.mkdtemp(prefix="concord-profile-signing-"))
    pg_name = configure(args.db, folder, args.redis, args.rate_limits)
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
    try:
        import django
        from django.conf import settings

        settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name not in args.drop]
        django.setup()
        prepare()
        from concord.wsgi import application  # after setup: its gc.freeze sees the app

        if args.redis:
            from django.core.cache import cache

            cache.clear()
        spread = args.rate_limits
        run(application, 0, args.warmup, spread)
        statuses: dict[str, int] = {}
        batches = []  # CPU ms per request of each batch: on a shared machine the least
        cpu, wall = time.process_time(), time.perf_counter()  # disturbed ones are the truth
        for start in range(args.warmup, args.warmup + args.n, BATCH):
            batch = time.process_time()
            for status, count in run(application, start, BATCH, spread).items():
                statuses[status] = statuses.get(status, 0) + count
            batches.append((time.process_time() - batch) / BATCH * 1000)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        batches.sort()
        print(f"db={args.db} n={args.n} statuses={statuses}")
        print(
            f"CPU ms/request: mean {cpu / args.n * 1000:.3f}, median batch "
            f"{batches[len(batches) // 2]:.3f}, best batch {batches[0]:.3f}"
            f" (batches of {BATCH}); wall {wall / args.n * 1000:.3f} ms"
        )
        if not args.no_profile:
            profiler = cProfile.Profile()
            profiler.enable()
            run(application, args.warmup + args.n, args.n, spread)
            profiler.disable()
            if args.save:
                profiler.dump_stats(args.save)
            calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
            print(f"Python function calls per request (steady, unlike time): {calls / args.n:.0f}")
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.strip_dirs().sort_stats(order).print_stats(args.top)
                print(f"--- top {args.top} by {order} ({args.n} requests, profiled) ---")
                print(out.getvalue().split("\n\n", 1)[-1].strip())
    finally:
        from django.db import connections

        with contextlib.suppress(Exception):
            connections.close_all()
        if args.db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
