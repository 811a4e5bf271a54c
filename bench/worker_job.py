"""One piece of the worker's work, in a process of its own, so its time and peak memory are
its own: started by `harness.Run.job()` with the run's environment (database, code root).

    python bench/worker_job.py record              # declarations/intake.py: process()
    python bench/worker_job.py deliver SECONDS     # core/emails.py: deliver(), oldest first
    python bench/worker_job.py smtp-pace SECONDS   # plain smtplib, for the SMTP server's pace
    python bench/worker_job.py export SLUG         # declarations/export_files.py: build(csv)

Prints one line `JSON {...}`: what was done, the seconds it took, the load average and the
process's peak resident memory (VmHWM) after Django was set up and after the work.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import memory

MAX_MESSAGES = 200_000  # every loop here is bounded by a deadline and a count


def record() -> dict:
    from concord.core.models import OutgoingEmail
    from concord.declarations import intake
    from concord.declarations.models import SignatureIntake

    waiting = SignatureIntake.objects.count()
    emails_before = OutgoingEmail.objects.count()
    started = time.perf_counter()
    outcome = intake.process()
    seconds = time.perf_counter() - started
    return {
        "waiting": waiting,
        **outcome,
        "emails_queued": OutgoingEmail.objects.count() - emails_before,
        "seconds": seconds,
        "per_second": outcome["recorded"] / seconds if seconds else 0,
    }


def deliver(limit_s: float) -> dict:
    """Send queued messages as the worker's `deliver_emails` task does (batches of the
    recorder's size, one SMTP connection each), until none is left or the deadline: the
    worker's sending rate against the SMTP server in EMAIL_URL."""
    from django.conf import settings
    from django.core.mail import get_connection

    from concord.core import emails
    from concord.core.models import OutgoingEmail
    from concord.declarations import intake

    waiting = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:MAX_MESSAGES]
    )
    sent = failed = 0
    deadline = time.monotonic() + limit_s
    started = time.perf_counter()
    for first in range(0, len(waiting), intake.BATCH):
        if time.monotonic() >= deadline:
            break
        try:
            with get_connection() as connection:
                sent += emails.deliver_batch(waiting[first : first + intake.BATCH], connection)
        except OSError:
            failed += 1
    seconds = time.perf_counter() - started
    return {
        "waiting": len(waiting),
        "sent": sent,
        "failed": failed,
        "seconds": seconds,
        "per_second": sent / seconds if seconds else 0,
        "backend": settings.EMAIL_BACKEND,
        "method": f"emails.deliver_batch of {intake.BATCH} over one connection, one process",
    }


def smtp_pace(limit_s: float) -> dict:
    """What the SMTP server takes from a client doing no work of its own, sending as the
    worker does: one connection for each batch of the recorder's size."""
    from django.conf import settings

    from concord.declarations import intake

    message = EmailMessage()
    message["From"], message["To"] = "bench@concord.localhost", "pace@bench.example.org"
    message["Subject"] = "Confirm your signature"
    message.set_content("Please confirm: http://127.0.0.1/confirm/token/\n" * 20)
    sent = 0
    deadline = time.monotonic() + limit_s
    started = time.perf_counter()
    while time.monotonic() < deadline and sent < MAX_MESSAGES:
        with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=30) as client:
            for _ in range(intake.BATCH):
                client.send_message(message)
                sent += 1
                if time.monotonic() >= deadline:
                    break
    seconds = time.perf_counter() - started
    return {"sent": sent, "seconds": seconds, "per_second": sent / seconds if seconds else 0}


def export(slug: str) -> dict:
    from concord.declarations import export_files
    from concord.declarations.models import Declaration

    declaration = Declaration.objects.get(slug=slug)
    started = time.perf_counter()
    built = export_files.build(declaration, "csv")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": built.rows, "bytes": built.file.size}


def main() -> None:
    import django

    django.setup()
    baseline = memory.own_peak_mib()
    name, args = sys.argv[1], sys.argv[2:]
    if name == "record":
        out = record()
    elif name == "deliver":
        out = deliver(float(args[0]))
    elif name == "smtp-pace":
        out = smtp_pace(float(args[0]))
    elif name == "export":
        out = export(args[0])
    else:
        sys.exit(f"unknown job {name!r}")
    out["job"] = name
    out["peak_rss_mib"] = memory.own_peak_mib()
    out["peak_rss_after_setup_mib"] = baseline
    out["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    print("JSON " + json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
