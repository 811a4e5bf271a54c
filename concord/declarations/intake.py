"""Accept a public API signature at once, record it a moment later.

When a declaration is shared widely, thousands of people sign within minutes. Recording a
signature costs a dozen index updates, three email templates and a task row; accepting it
costs one short INSERT. So a submission through the public API to a declaration anyone may
sign is validated by the same rules as every other path, stored as a `SignatureIntake` row
and answered 202, whether or not the address has signed already (the answer never tells).
The worker turns the rows into signatures with `signing.sign` (and so sends the confirmation
email) within seconds, or mails an address that had signed already (`submissions`): `process()` runs from a task enqueued by the first acceptance in each
`KICK_SECONDS`, and from a periodic job as a safety net.

Recording is idempotent, so a worker killed mid-batch loses nothing and sends nothing twice:
a row is claimed for `CLAIM`, recorded, then deleted; run again, a row already recorded is
refused as a duplicate by the database's one-signature-per-address rule and deleted (its
address told, at most once a day, that it has signed).
A row that can no longer be recorded (the declaration closed in between) keeps the reason in
`error` and stays for the secretariat.

Submissions the database must judge before answering (eligibility rules, signed-in signers
confirmed at once) and the page form (which shows errors in place) call `submissions.submit`.
"""

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from concord.core.errors import Refused
from concord.core.group_commit import GroupCommit
from concord.core.network import network_of
from concord.declarations.models import Declaration, Signature, SignatureIntake
from concord.declarations.services import signing, submissions

logger = logging.getLogger(__name__)

KICK_SECONDS = 1
CLAIM = timedelta(minutes=2)
BATCH = 100


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
        "flags": signing.soft_checks(context, network),
        # The language the signer acted in, for the emails the worker writes later.
        "interface_language": context.language,
    }
    _group_commit.write((declaration.pk, payload, timezone.now()))
    _kick()
    return Signature.Status.PENDING


# The statement of the hot path is written out: building it with the ORM cost more than
# running it (profiled).
_INSERT = (
    "INSERT INTO {table} (declaration_id, payload, received_at, error) VALUES (%s, %s, %s, '')"
)


def _insert(rows: list[tuple[int, dict, datetime]]) -> None:
    payload = SignatureIntake._meta.get_field("payload")
    with connection.cursor() as cursor:  # in GroupCommit's transaction
        cursor.executemany(
            _INSERT.format(table=SignatureIntake._meta.db_table),
            [
                (
                    declaration_id,
                    payload.get_db_prep_save(data, connection),
                    connection.ops.adapt_datetimefield_value(received_at),
                )
                for declaration_id, data, received_at in rows
            ],
        )


def _kick() -> None:
    """Make sure a run of `process` starts after this row was stored. The cache key lives
    KICK_SECONDS and the task runs no earlier than that, so every row stored while the key
    lives is waiting when the task starts: one task per second at most, however many sign."""
    if not process_signature_intake.get_backend().supports_defer:
        process_signature_intake.enqueue()  # a backend that runs tasks at once (the tests')
    elif cache.add("signature-intake:kick", 1, timeout=KICK_SECONDS):
        run_after = timezone.now() + timedelta(seconds=KICK_SECONDS, milliseconds=100)
        process_signature_intake.using(run_after=run_after).enqueue()


@task()
def process_signature_intake() -> dict[str, int]:
    """The task: enqueued by the first acceptance in each KICK_SECONDS, and run every minute
    as a safety net (declarations/tasks.py)."""
    return process()


def process(limit: int = 1_000_000) -> dict[str, int]:
    """Record waiting submissions (at most `limit`), oldest first; returns what happened."""
    outcome = {"recorded": 0, "duplicates": 0, "kept": 0}
    while sum(outcome.values()) < limit:
        rows = _claim(min(BATCH, limit - sum(outcome.values())))
        if not rows:
            break
        done = []
        for row in rows:
            result = _record(row)
            outcome[result] += 1
            if result != "kept":
                done.append(row.pk)
        SignatureIntake.objects.filter(pk__in=done).delete()
    return outcome


def _claim(size: int) -> list[SignatureIntake]:
    for _attempt in range(5):  # another worker may take these rows first: look again
        now = timezone.now()
        waiting = SignatureIntake.objects.filter(error="").filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return []
        # Claimed by a conditional UPDATE, so two workers never record the same row at once.
        if waiting.filter(pk__in=ids).update(claimed_until=now + CLAIM):
            break
    else:
        return []
    rows = list(
        SignatureIntake.objects.filter(pk__in=ids, claimed_until=now + CLAIM).order_by("pk")
    )
    # One fresh copy of each declaration per batch, with its texts, for every row to share.
    declarations = Declaration.objects.prefetch_related("texts").in_bulk(
        {row.declaration_id for row in rows}
    )
    for row in rows:
        row.declaration = declarations[row.declaration_id]
    return rows


def _record(row: SignatureIntake) -> str:
    payload = row.payload
    context = signing.Context(
        source=payload["source"],
        network=payload["network"],
        flags=payload["flags"],
        language=payload["interface_language"],
    )
    data = signing.SignatureInput(**payload["data"])
    try:
        signing.sign(row.declaration, data, context)
    except Refused as refusal:
        if refusal.code == "duplicate":
            submissions.tell_by_email(row.declaration, data, refusal, language=context.language)
            return "duplicates"
        return _keep(row, refusal.message)
    except ValidationError as error:
        return _keep(row, "; ".join(error.messages))
    return "recorded"


def _keep(row: SignatureIntake, reason: str) -> str:
    logger.warning("Signature intake #%s not recorded: %s", row.pk, reason)
    SignatureIntake.objects.filter(pk=row.pk).update(error=reason[:300], claimed_until=None)
    return "kept"


_group_commit = GroupCommit(_insert)
