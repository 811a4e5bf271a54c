"""Recording accepted signatures: what `intake.process()` costs per signature.

A fresh database (a temporary SQLite file, or a PostgreSQL database made for the run) is
migrated, one open declaration created, N submissions accepted with `intake.accept` (as the
public API does), then one `intake.process()` records them all. Printed: wall and CPU
seconds of the run, signatures per second (wall and CPU), confirmation emails and email
tasks queued. CPU time is the figure to compare on a shared machine.

    python bench/record_intake.py [--db sqlite|postgres://...] [-n 5000]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _database(db: str, folder: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    base, name = db.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return db


def open_declaration(db: str, slug: str):
    """Django set up on a fresh, migrated database (`db`: sqlite or a postgres:// URL) in a
    temporary folder, and an open declaration `slug` made by a secretariat account."""
    folder = tempfile.mkdtemp(prefix=f"bench-{slug}-")
    os.environ["DATABASE_URL"] = _database(db, folder)
    os.environ["CONCORD_VAR_DIR"] = folder
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "concord.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from concord.accounts.models import User
    from concord.declarations.services import lifecycle

    user = User.objects.create_user(
        email="sec@example.org",
        password="not-used-42",  # noqa: S106
        is_staff=True,
        name="Sec",
    )
    declaration = lifecycle.create_declaration(user, slug=slug, title=slug, text="We agree.")
    return lifecycle.open_declaration(user, declaration)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--profile", action="store_true", help="print process()'s profile")
    args = parser.parse_args()
    declaration = open_declaration(args.db, "surge")
    from django.urls import reverse
    from django.utils import translation
    from django_tasks_db.models import DBTaskResult

    from concord.core.models import OutgoingEmail
    from concord.declarations import intake
    from concord.declarations.services import signing

    languages = ["en", "fr", "es", "ar"]
    started = time.perf_counter()
    for n in range(args.n):
        data = signing.SignatureInput(name=f"Signer {n}", email=f"s{n}@example.org", country="SN")
        context = signing.Context(ip=f"198.51.{n % 200}.7", language=languages[n % 4])
        with translation.override("en"):
            intake.accept(declaration, data, context)
    accepted = time.perf_counter() - started
    tasks_before = DBTaskResult.objects.count()
    reverse("web:home")  # a worker that runs has loaded its URLs long before: not timed

    profile = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    outcome = intake.process()
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profile is not None:
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)

    emails = OutgoingEmail.objects.filter(key__startswith="signature.confirm:").count()
    tasks = DBTaskResult.objects.count() - tasks_before
    vendor = "sqlite" if args.db == "sqlite" else "postgres"
    print(f"{vendor}: accepted {args.n} in {accepted:.1f} s; process() -> {outcome}")
    print(
        f"{vendor}: wall {wall:.2f} s ({args.n / wall:,.0f}/s), "
        f"CPU {cpu:.2f} s ({args.n / cpu:,.0f}/s, {cpu / args.n * 1e6:,.0f} µs each); "
        f"{emails} confirmation emails, {tasks} tasks queued"
    )


if __name__ == "__main__":
    main()
