"""Record a batch of accepted submissions (declarations/intake.py) in one transaction.

Each row passes the checks `signing.sign` makes (`signing.prepare_signature`, the one rule
set) and becomes the same pending signature with the same confirmation email. What differs
is the cost: the addresses that signed already are found with one query, the signatures
written with one INSERT, the emails with another and delivered by one task for the batch
(`emails.deliver_emails`), and the intake rows marked recorded, all in one transaction, so a
worker killed mid-batch leaves nothing behind and the batch is recorded again whole. The
emails are rendered before the transaction: on SQLite the write lock is held only for the
INSERTs.

An address that signed already (before, or earlier in the same batch) is told so by email,
at most once a day (`submissions.tell_by_email`), as `sign` refusing it would do. No
signed-in person is behind an accepted row, so every signature recorded here is pending and
no tally changes until its link is confirmed. A honeypot's signature gets no email. The
member organisations the batch's share links name (`via`) are found with one query too.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from concord.core.bulk import insert_rows
from concord.core.emails import queue_prepared_batch
from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature, SignatureIntake
from concord.declarations.services import attribution, confirmation_mail, signing, submissions

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class _Entry:
    row: SignatureIntake
    data: signing.SignatureInput
    context: signing.Context
    prepared: signing.Prepared
    email: OutgoingEmail | None = None


def submission_of(row: SignatureIntake) -> tuple[signing.SignatureInput, signing.Context]:
    """What was submitted and how, as `intake.accept` stored it."""
    payload = row.payload
    context = signing.Context(
        source=payload["source"],
        network=payload["network"],
        flags=payload["flags"],
        language=payload["interface_language"],
    )
    return signing.SignatureInput(**payload["data"]), context


def record_batch(rows: list[SignatureIntake], now: datetime | None = None) -> dict[str, int]:
    """Record claimed intake rows (each with its `declaration` loaded); returns how many
    were "recorded", "duplicates" (told by email) and "kept" (with the reason in `error`)."""
    now = now or timezone.now()
    fresh: list[_Entry] = []
    duplicates: list[_Entry] = []
    kept: dict[str, list[int]] = {}
    submitted = [(row, *submission_of(row)) for row in rows]
    members = attribution.members_among(
        attribution.clean_via(data.via) for _row, data, _context in submitted
    )
    for row, data, context in submitted:
        try:
            prepared = signing.prepare_signature(row.declaration, data, context, now, members)
        except Refused as refusal:
            kept.setdefault(refusal.message, []).append(row.pk)
        except ValidationError as error:
            kept.setdefault("; ".join(error.messages), []).append(row.pk)
        else:
            fresh.append(_Entry(row, data, context, prepared))
    fresh, duplicates = _split_duplicates(fresh)
    mailed = [entry for entry in fresh if entry.prepared.mail]
    emails = confirmation_mail.confirmation_emails(
        [(entry.prepared.signature, _token(entry), entry.context.language) for entry in mailed]
    )
    for entry, email in zip(mailed, emails, strict=True):
        entry.email = email
    with transaction.atomic():
        recorded = _insert(fresh)
        lost = set(fresh) - set(recorded)  # to a signature written since the look-up
        duplicates += [entry for entry in fresh if entry in lost]
        queue_prepared_batch([entry.email for entry in recorded if entry.email is not None])
        for entry in duplicates:
            submissions.tell_by_email(
                entry.row.declaration,
                entry.data,
                signing.already_signed(),
                language=entry.context.language,
            )
        done = [entry.row.pk for entry in recorded + duplicates]
        SignatureIntake.objects.filter(pk__in=done).update(recorded_at=now, claimed_until=None)
        for reason, ids in kept.items():
            logger.warning("Signature intake %s not recorded: %s", ids, reason)
            SignatureIntake.objects.filter(pk__in=ids).update(
                error=reason[:300], claimed_until=None
            )
    return {
        "recorded": len(recorded),
        "duplicates": len(duplicates),
        "kept": sum(len(ids) for ids in kept.values()),
    }


def _split_duplicates(entries: list[_Entry]) -> tuple[list[_Entry], list[_Entry]]:
    """New addresses, and those that signed already or came earlier in the batch: one query
    on the one-signature-per-address index for the whole batch."""
    addresses = {_address(entry) for entry in entries}
    signed = set(
        Signature.objects.filter(
            declaration_id__in={declaration for declaration, _email in addresses},
            email__in={email for _declaration, email in addresses},
        ).values_list("declaration_id", "email")
    )
    fresh, duplicates = [], []
    for entry in entries:
        address = _address(entry)
        (duplicates if address in signed else fresh).append(entry)
        signed.add(address)
    return fresh, duplicates


def _token(entry: _Entry) -> str:
    assert entry.prepared.token is not None  # a signature to confirm by email has one
    return entry.prepared.token


def _address(entry: _Entry) -> tuple[int, str]:
    return entry.prepared.signature.declaration_id, entry.prepared.signature.email


def _insert(entries: list[_Entry]) -> list[_Entry]:
    """Insert the signatures; those another path recorded since the look-up are skipped by
    the database (the one-signature-per-address rule) and returned as not recorded."""
    signatures = [entry.prepared.signature for entry in entries]
    if not signatures:
        return []
    # Each pending signature has a token of its own: its hash tells which rows went in.
    stored = set(insert_rows(Signature, signatures, skip_conflicts=True, returning="token_hash"))
    return [entry for entry in entries if entry.prepared.signature.token_hash in stored]
