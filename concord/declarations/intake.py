"""Accept a public API signature at once, record it a moment later.

When a declaration is shared widely, thousands of people sign within minutes. Recording a
signature costs a dozen index updates, three email templates and a task row; accepting it
costs one short INSERT. So a submission through the public API to a declaration anyone may
sign is validated by the same rules as every other path, stored as a `SignatureIntake` row
and answered 202, whether or not the address has signed already (the answer never tells).
The worker turns the rows into signatures by the rules of `signing.sign` (and so sends the
confirmation email) within seconds, `BATCH` rows at a time (recording.py), or mails an
address that had signed already (`submissions`): `process()` runs from a task enqueued by
the first acceptance in each `KICK_SECONDS`, and from a periodic job as a safety net.

A submission is stored once: its `submission` key is the hash of the declaration and what
was submitted, or of the client's Idempotency-Key, and a second one with the same key (a
POST a load balancer sent again) is skipped by the INSERT. Recorded rows are marked, not
deleted, and kept `REMEMBER` so a retry is still recognised; then `process()` deletes them.

Recording is idempotent, so a worker killed mid-batch loses nothing and sends nothing twice:
a row is claimed for `CLAIM`; its signature, email and the mark "recorded" are written in
one transaction, so a batch cut short writes nothing and is recorded whole once the claim
ends. A row that can no longer be recorded (the declaration closed in between) keeps the
reason in `error` and stays for the secretariat.

Submissions the database must judge before answering (eligibility rules, signed-in signers
confirmed at once) and the page form (which shows errors in place) call `submissions.submit`.
"""

import hashlib
import json
import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from concord.core.group_commit import GroupCommit
from concord.core.network import network_of
from concord.declarations import recording
from concord.declarations.models import Declaration, Signature, SignatureIntake
from concord.declarations.services import flags, signing, submissions

KICK_SECONDS = 1
CLAIM = timedelta(minutes=2)
BATCH = 500
# How long a recorded row stays, so a submission sent again is recognised.
REMEMBER = timedelta(days=1)


def accept(declaration: Declaration, data: signing.SignatureInput, context: signing.Context):
    """Answer a public signature: "pending" once stored, or what `submissions.submit` says."""
    if signing.signed_in(context.user) or declaration.eligibility != Declaration.Eligibility.ANYONE:
        return submissions.submit(declaration, data, context)
    signing.check_open(declaration)
    data = signing.check_signature_input(data)
    network = network_of(context.ip)
    payload = {
        "data": data.__dict__,
        "source": context.source,
        "network": network,
        "flags": flags.soft_checks(context.honeypot, context.started_at, network),
        # The language the signer acted in, for the emails the worker writes later.
        "interface_language": context.language,
    }
    key = submission_key(declaration.pk, payload["data"], context.idempotency_key)
    _group_commit.write((declaration.pk, payload, timezone.now(), key))
    _kick()
    return Signature.Status.PENDING


def submission_key(declaration_id: int, data: dict, idempotency_key: str = "") -> str:
    """What tells a submission sent again: the client's Idempotency-Key if it gives one,
    else the normalised input (not when it came, nor its flags), with the declaration."""
    if idempotency_key:
        content = [declaration_id, "key", idempotency_key]
    else:
        content = [declaration_id, "content", data]
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# The statement of the hot path is written out: building it with the ORM cost more than
# running it (profiled).
# A row whose submission is stored already (a retried POST) is skipped, not an error.
_INSERT = (
    "INSERT INTO {table} (declaration_id, payload, received_at, error, submission)"
    " VALUES (%s, %s, %s, '', %s) ON CONFLICT (submission) DO NOTHING"
)


def _insert(rows: list[tuple[int, dict, datetime, str]]) -> None:
    payload = SignatureIntake._meta.get_field("payload")
    with connection.cursor() as cursor:  # in GroupCommit's transaction
        cursor.executemany(
            _INSERT.format(table=SignatureIntake._meta.db_table),
            [
                (
                    declaration_id,
                    payload.get_db_prep_save(data, connection),
                    connection.ops.adapt_datetimefield_value(received_at),
                    submission,
                )
                for declaration_id, data, received_at, submission in rows
            ],
        )


def _kick() -> None:
    """Make sure a run of `process` starts after this row was stored. The cache key lives
    KICK_SECONDS and the task runs no earlier than that, so every row stored while the key
    lives is waiting when the task starts: one task per second at most, however many sign.
    A process that set the key itself knows it lives until then and skips the cache (a
    round trip to Redis per signature, profiled); a key another process set says nothing of
    when it ends, so that case asks again."""
    global _key_lives_until
    if not process_signature_intake.get_backend().supports_defer:
        process_signature_intake.enqueue()  # a backend that runs tasks at once (the tests')
        return
    now = time.monotonic()
    if now < _key_lives_until:
        return
    if cache.add("signature-intake:kick", 1, timeout=KICK_SECONDS):
        _key_lives_until = now + KICK_SECONDS
        run_after = timezone.now() + timedelta(seconds=KICK_SECONDS, milliseconds=100)
        process_signature_intake.using(run_after=run_after).enqueue()


_key_lives_until = 0.0


def forget_kick() -> None:
    """Forget the kick key this process set, as when the cache it lived in is cleared."""
    global _key_lives_until
    _key_lives_until = 0.0


@task()
def process_signature_intake() -> dict[str, int]:
    """The task: enqueued by the first acceptance in each KICK_SECONDS, and run every minute
    as a safety net (declarations/tasks.py)."""
    return process()


def process(limit: int = 1_000_000) -> dict[str, int]:
    """Record waiting submissions (at most `limit`), oldest first; returns what happened."""
    forget_recorded()
    outcome = {"recorded": 0, "duplicates": 0, "kept": 0}
    while sum(outcome.values()) < limit:
        rows = _claim(min(BATCH, limit - sum(outcome.values())))
        if not rows:
            break
        for result, count in recording.record_batch(rows).items():
            outcome[result] += count
    return outcome


def forget_recorded(now: datetime | None = None) -> int:
    """Delete the rows recorded more than `REMEMBER` ago (one range on an index)."""
    cutoff = (now or timezone.now()) - REMEMBER
    deleted, _counts = SignatureIntake.objects.filter(recorded_at__lt=cutoff).delete()
    return deleted


def _claim(size: int) -> list[SignatureIntake]:
    for _attempt in range(5):  # another worker may take these rows first: look again
        now = timezone.now()
        # The condition of the "signature_intake_waiting" index, then the claim.
        waiting = SignatureIntake.objects.filter(recorded_at__isnull=True, error="").filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return []
        # Claimed by a conditional UPDATE, so two workers never record the same row at once.
        # By the range of ids (a row that became waiting inside it meanwhile comes too): a
        # list of 500 ids cost more to pass than the rows to record (profiled).
        span = {"pk__gte": ids[0], "pk__lte": ids[-1]}
        if waiting.filter(**span).update(claimed_until=now + CLAIM):
            break
    else:
        return []
    rows = list(SignatureIntake.objects.filter(**span, claimed_until=now + CLAIM).order_by("pk"))
    # One fresh copy of each declaration per batch, with its texts, for every row to share.
    declarations = Declaration.objects.prefetch_related("texts").in_bulk(
        {row.declaration_id for row in rows}
    )
    for row in rows:
        row.declaration = declarations[row.declaration_id]
    return rows


_group_commit = GroupCommit(_insert)
