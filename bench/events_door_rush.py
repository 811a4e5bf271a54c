"""Events: a registration rush for a capped event, then the door rush at check-in.

Phase 1: M people (each with their own API token) POST `/api/v1/events/<slug>/registrations`
at once from 32 threads for an event with N < M seats. Checked: exactly N confirmed, M - N on
the waiting list, no error. Phase 2: every confirmed badge is scanned four times (two doors,
twice each) through `POST /api/v1/events/<slug>/checkins`, shuffled, from 32 threads. Checked:
exactly one check-in row per badge, one 201 per badge and 200 for the rest.

    python bench/events_door_rush.py [--db sqlite|postgres] [--quick]
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

THREADS = 32


def fire(run: harness.Run, requests: list[tuple[str, dict, str]]) -> dict:
    """POST each (path, body, token) once from THREADS threads; statuses and latencies."""
    answers = harness.post_many(
        run.port,
        [
            (
                path,
                json.dumps(body).encode(),
                {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            for path, body, token in requests
        ],
        THREADS,
    )
    latencies, wall = answers["latencies"], answers["wall_s"]
    return {
        "requests": len(requests),
        "seconds": round(wall, 2),
        "rps": round(len(requests) / wall, 1),
        "p50_ms": harness.percentile_ms(latencies, 0.5),
        "p95_ms": harness.percentile_ms(latencies, 0.95),
        "p99_ms": harness.percentile_ms(latencies, 0.99),
        "statuses": answers["statuses"],
    }


def main() -> None:
    args = harness.parse_args(__doc__.splitlines()[0])
    people, seats = (200, 150) if args.quick else (600, 450)
    with harness.Run(args.db, "events-door-rush", args.quick) as run:
        run.prepare()
        from concord.accounts.models import User
        from concord.accounts.services import create_api_token
        from concord.events.models import CheckIn, Registration
        from concord.events.services import checkin, programme

        staff = User.objects.create_user(
            "secretariat@bench.example", "bench-password-1", is_staff=True, name="Secretariat"
        )
        _, staff_token = create_api_token(staff, "bench")
        start = datetime.now().replace(microsecond=0) + timedelta(days=30)
        event = programme.create_event(
            staff,
            programme.EventInput(
                slug="rush",
                title="Door rush",
                kind="conference",
                format="in_person",
                starts_at=start,
                ends_at=start + timedelta(hours=8),
                time_zone="Africa/Nairobi",
                city="Nairobi",
                country="KE",
                capacity=seats,
            ),
        )
        tokens = []
        for n in range(people):
            person = User.objects.create_user(f"p{n}@bench.example", None, name=f"Person {n}")
            tokens.append(create_api_token(person, "bench")[1])
        run.serve()

        harness.log(f"registration rush: {people} people for {seats} seats")
        path = f"/api/v1/events/{event.slug}/registrations"
        countries = ["SN", "BR", "BD", "KE", "MA", "FJ", "PE", "VN"]
        rush = fire(run, [(path, {"country": countries[n % 8]}, t) for n, t in enumerate(tokens)])
        confirmed = Registration.objects.filter(event=event, status="confirmed").count()
        waiting = Registration.objects.filter(event=event, status="waiting").count()
        rush["checks"] = {
            "confirmed": confirmed,
            "waiting": waiting,
            "confirmed_equals_seats": confirmed == seats,
            "waiting_equals_rest": waiting == people - seats,
        }
        run.result["registration"] = rush
        harness.log(json.dumps(rush))

        codes = [
            checkin.badge_code(r)
            for r in Registration.objects.filter(event=event, status="confirmed")
        ]
        scans = [
            (f"/api/v1/events/{event.slug}/checkins", {"code": code, "door": door}, staff_token)
            for code in codes
            for door in ("north", "south", "north", "south")
        ]
        random.Random(7).shuffle(scans)
        harness.log(f"door rush: {len(scans)} scans of {len(codes)} badges")
        door = fire(run, scans)
        door["checks"] = {
            "check_ins": CheckIn.objects.filter(event=event).count(),
            "one_per_badge": CheckIn.objects.filter(event=event).count() == len(codes),
            "created_201": door["statuses"].get("201", 0),
            "already_200": door["statuses"].get("200", 0),
        }
        run.result["checkin"] = door
        harness.log(json.dumps(door))
        run.save()


if __name__ == "__main__":
    main()
