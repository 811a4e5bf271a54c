"""Writing signature events into the log, in the transaction that changes the counts.

Every place that counts a signature in or out of the tallies (`counting.count_signatures`)
also calls `record` here with what happened, so the log and the counts cannot disagree: a
confirmation, an offline import, an invalidation, a withdrawal. An entry is cheap to write
(one INSERT per round, however many signatures): its place in the log, its leaf bytes and
the tree come later, when the log is sealed (log/sealing.py), off the signer's path.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC

from django.utils import timezone

from concord.core.bulk import insert_rows
from concord.declarations.log import verifier
from concord.declarations.log.models import LogEntry
from concord.declarations.models import Signature
from concord.organisations.models import Organisation

Event = LogEntry.Event


def public_fields(signature: Signature, organisation_names: dict[int, str]) -> dict[str, str]:
    """What the public list shows of a signatory whose name is shown; the log commits to it
    (salted), so a changed name, organisation or role no longer matches its leaf."""
    organisation = signature.organisation_name
    if signature.organisation_id:
        organisation = organisation_names.get(signature.organisation_id, organisation)
    return {"name": signature.name, "organisation": organisation, "role": signature.role}


def organisation_names(signatures: Sequence[Signature]) -> dict[int, str]:
    ids = {s.organisation_id for s in signatures if s.organisation_id}
    if not ids:
        return {}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def record(signatures: Iterable[Signature], event: str, reason: str = "") -> None:
    """Log `event` for each signature; call inside the transaction that counts (confirmed,
    imported) or uncounts (invalidated, withdrawn) them."""
    signatures = list(signatures)
    if not signatures:
        return
    if event in (Event.CONFIRMED, Event.IMPORTED):
        entries = _added(signatures, event)
    else:
        entries = _undone(signatures, event, reason)
    insert_rows(LogEntry, entries)


def _added(signatures: list[Signature], event: str) -> list[LogEntry]:
    today = timezone.now().astimezone(UTC).date()
    names = organisation_names(signatures)
    entries = []
    for signature in signatures:
        salt, fields_salt = secrets.token_hex(16), secrets.token_hex(16)
        entries.append(
            LogEntry(
                declaration_id=signature.declaration_id,
                signature_id=signature.pk,
                event=event,
                day=signature.confirmed_at.astimezone(UTC).date()
                if signature.confirmed_at
                else today,
                country=signature.country_id,
                kind=signature.kind,
                salt=salt,
                fields_salt=fields_salt,
                email_hash=verifier.email_hash(salt, signature.email),
                signatory_hash=verifier.signatory_hash(
                    fields_salt, public_fields(signature, names)
                ),
            )
        )
    return entries


def _undone(signatures: list[Signature], event: str, reason: str) -> list[LogEntry]:
    """An entry undoing each signature's live one: the same signer's hashes, so a reader
    sees which leaf stopped counting, and nothing more about them."""
    day = timezone.now().astimezone(UTC).date()
    live = live_entries([s.pk for s in signatures])
    entries = []
    for signature in signatures:
        added = live.get(signature.pk)
        if added is None:  # counted before the log existed: nothing in it to undo
            continue
        entries.append(
            LogEntry(
                declaration_id=added.declaration_id,
                signature_id=signature.pk,
                event=event,
                reason=reason[:40],
                undoes_id=added.pk,
                day=day,
                country=added.country,
                kind=added.kind,
                salt=added.salt,
                fields_salt=added.fields_salt,
                email_hash=added.email_hash,
                signatory_hash=added.signatory_hash,
            )
        )
    return entries


def live_entries(signature_ids: Sequence[int]) -> dict[int, LogEntry]:
    """Each signature's newest entry, if it adds (a signature counted again after being
    invalidated has a new one)."""
    newest: dict[int | None, LogEntry] = {}
    for entry in LogEntry.objects.filter(signature_id__in=signature_ids).order_by("id"):
        newest[entry.signature_id] = entry
    return {pk: entry for pk, entry in newest.items() if pk is not None and entry.counts}
