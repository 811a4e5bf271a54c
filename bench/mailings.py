"""Mailings: queueing 100,000 recipients into the outbox, and sending 10,000 of them.

A fresh database (as record_intake.py makes it) gets an open declaration with N confirmed
signatures whose signers asked to be kept informed (bulk-loaded, not measured). Measured:

1. queueing: `sending.queue_recipients` for a mailing to them all (the audience streamed in
   address order, a batch of 1,000 messages per INSERT): wall seconds, then the peak of
   Python's allocations while a second, identical mailing is queued under tracemalloc (the
   bound the streaming gives), and the process's peak RSS;
2. sending: S of the held messages released and delivered over one SMTP connection to a
   local aiosmtpd sink in its own process (bench/smtp_sink.py): messages per second.

    python bench/mailings.py [--db sqlite|postgres://...] [-n 100000] [-s 10000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smtp_sink
from harness import free_port
from record_intake import open_declaration


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("-n", type=int, default=100_000, help="recipients to queue")
    parser.add_argument("-s", type=int, default=10_000, help="messages to send")
    args = parser.parse_args()
    port = free_port()
    smtp_sink.send_mail_to(port, "bounces.bench.example")
    declaration = open_declaration(args.db, "mailing-bench")

    from django.core.mail import get_connection
    from django.utils import timezone

    from concord.accounts.models import User
    from concord.core import emails
    from concord.core.models import OutgoingEmail
    from concord.declarations.models import Signature
    from concord.mailings.models import Mailing
    from concord.mailings.services import composing, sending

    now = timezone.now()
    countries = ["FJ", "JM", "SN", "BD", "KE", "BR", "PH", "MV", "TO", "WS"]
    languages = ["en", "fr", "es", "ar", "pt"]
    started = time.monotonic()
    for start in range(0, args.n, 5000):
        Signature.objects.bulk_create(
            Signature(
                declaration=declaration,
                email=f"reader{i:06d}@example.org",
                name=f"Reader {i}",
                country_id=countries[i % len(countries)],
                kind="individual",
                status="confirmed",
                confirmed_at=now,
                language=languages[i % len(languages)],
                keep_informed=True,
                keep_informed_at=now,
                keep_informed_text="Keep me informed about this declaration.",
            )
            for i in range(start, min(start + 5000, args.n))
        )
    print(f"loaded {args.n} signatures in {time.monotonic() - started:.1f} s (not measured)")
    secretariat = User.objects.get(email="sec@example.org")
    audience = composing.save_audience(
        secretariat,
        composing.AudienceInput(name="All", kind="signatories", declaration=declaration.pk),
    )
    body = "Dear friends,\n\nThe declaration goes to COP. **Thank you** for signing.\n\n" * 8
    texts = [composing.Text(code, f"Subject {code}", body) for code in ("en", "fr", "es", "ar")]

    def new_mailing() -> Mailing:
        mailing = composing.save_mailing(
            secretariat,
            composing.MailingInput(
                texts=texts,
                sender_name="Secretariat",
                original_language="en",
                audiences=[audience.pk],
            ),
        )
        Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.QUEUEING)
        return mailing

    first = new_mailing()
    started = time.monotonic()
    queued = sending.queue_recipients.call(first.pk)
    queueing = time.monotonic() - started
    print(f"queueing: {queued} recipients in {queueing:.1f} s ({queued / queueing:.0f}/s)")

    second = new_mailing()
    tracemalloc.start()
    sending.queue_recipients.call(second.pk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"queueing peak Python allocations (tracemalloc): {peak / 1e6:.1f} MB")
    print(f"process peak RSS (everything, setup included): {rss:.0f} MB")

    ids = list(
        OutgoingEmail.objects.filter(batch=first.batch)
        .order_by("pk")
        .values_list("pk", flat=True)[: args.s]
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(held=False)
    with smtp_sink.running(port) as sink:
        started = time.monotonic()
        sent = 0
        with get_connection() as connection:
            for start in range(0, len(ids), 500):
                sent += emails.deliver_batch(ids[start : start + 500], connection)
        sending_s = time.monotonic() - started
    received = sink.summary()["received"]
    print(
        f"sending: {sent} messages in {sending_s:.1f} s ({sent / sending_s:.0f} messages/s), "
        f"{received} received by the sink"
    )


if __name__ == "__main__":
    main()
