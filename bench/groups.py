"""Working groups: 1,000 posts in a group of 500 members who all chose "every post".

A fresh database (as record_intake.py makes it) gets 500 member organisations with one
representative each, all in one group (bulk-loaded, not measured). Measured:

1. posting: P posts through `posting.start_thread`/`reply` (tasks not run): posts per second;
2. fan-out: `notify.notify_post` for each post (each message rendered once per language and
   copied per recipient with its own reply address, one INSERT per post): wall seconds,
   per post, messages queued;
3. sending: S of the queued messages delivered over one SMTP connection to a local aiosmtpd
   sink in its own process (bench/smtp_sink.py): messages per second.

    python bench/groups.py [--db sqlite|postgres://...] [-m 500] [-p 1000] [-s 5000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smtp_sink
from harness import free_port
from record_intake import open_declaration


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("-m", type=int, default=500, help="members of the group")
    parser.add_argument("-p", type=int, default=1000, help="posts")
    parser.add_argument("-s", type=int, default=5000, help="messages to send")
    args = parser.parse_args()
    port = free_port()
    smtp_sink.send_mail_to(port, "reply.bench.example")
    open_declaration(args.db, "groups-bench")

    from django.core.mail import get_connection

    from concord.accounts.models import User
    from concord.core import emails
    from concord.core.models import OutgoingEmail
    from concord.groups import notify
    from concord.groups.models import Membership
    from concord.groups.services import membership, posting
    from concord.organisations.models import Organisation, Representative

    countries = ["FJ", "JM", "SN", "BD", "KE", "BR", "PH", "ML", "NE", "AZ"]
    languages = ["en", "fr", "es", "ar", "pt", "ru", "zh-hans", "az", "sw"]
    started = time.monotonic()
    users = User.objects.bulk_create(
        User(email=f"member{i:04d}@example.org", name=f"Member {i}", language=languages[i % 9])
        for i in range(args.m)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {i}", name_key=f"organisation {i}",
            country_id=countries[i % len(countries)], status="member",
        )
        for i in range(args.m)
    )  # fmt: skip
    Representative.objects.bulk_create(
        Representative(organisation=o, user=u, role="admin")
        for o, u in zip(organisations, users, strict=True)
    )
    users = list(User.objects.filter(email__startswith="member").order_by("email"))
    group = membership.create_group(users[0], membership.GroupInput(name="Climate finance"))
    Membership.objects.bulk_create(
        Membership(group=group, user=u, organisation=o, delivery="every")
        for u, o in zip(users[1:], organisations[1:], strict=True)
    )
    print(f"loaded {args.m} members in {time.monotonic() - started:.1f} s (not measured)")

    body = "A proposal on adaptation finance for the group. **Comments** welcome.\n\n" * 4
    started = time.monotonic()
    posts = []
    thread = None
    for i in range(args.p):
        author = users[i % args.m]
        if i % 20 == 0:
            post = posting.start_thread(author, group, f"Thread {i}", body, language="en")
            thread = post.thread
        else:
            post = posting.reply(author, thread, body, language="en")
        posts.append(post.pk)
    posting_s = time.monotonic() - started
    print(f"posting: {args.p} posts in {posting_s:.1f} s ({args.p / posting_s:.0f}/s)")

    started = time.monotonic()
    queued = sum(notify.notify_post.call(pk) for pk in posts)
    fanout = time.monotonic() - started
    print(
        f"fan-out: {queued} messages queued for {args.p} posts in {fanout:.1f} s "
        f"({fanout / args.p * 1000:.0f} ms a post, {queued / fanout:.0f} messages/s)"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MB")

    ids = list(OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True)[: args.s])
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
