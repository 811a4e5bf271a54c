"""Sealing a declaration's log: the waiting entries get their places, a signed head is made,
and each signer newly in the tree is sent a receipt.

Sealing runs every LOG_HEAD_MINUTES while entries wait (a periodic job, declarations/tasks.py),
and on closing and on any amendment of the final list (the final head names the final CSV's
SHA-256). The declaration's row is locked for it, so two workers never give two entries one
place. Places follow the order entries were written in; on PostgreSQL an entry written
earlier may commit after a seal and take a later place, which is fine: a place, once given,
never changes, and that is all the log promises.
"""

from django.db import connection, transaction
from django.db.models import Count, Subquery
from django.utils import timezone

from concord.declarations.log import keys, receipts, verifier
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.log.published import head_object, leaf_object
from concord.declarations.models import Declaration

Event = LogEntry.Event
COUNTING = (Event.CONFIRMED, Event.IMPORTED)


def sealed_hashes(declaration: Declaration, size: int | None = None) -> list[bytes]:
    rows = LogEntry.objects.filter(declaration=declaration, index__isnull=False).order_by("index")
    if size is not None:
        rows = rows.filter(index__lt=size)
    return [bytes.fromhex(value) for value in rows.values_list("leaf_hash", flat=True)]


def statistics(declaration: Declaration) -> dict[str, int]:
    """The counts the sealed entries add up to (what a reader replaying the leaves gets)."""
    sealed = LogEntry.objects.filter(declaration=declaration, index__isnull=False)
    undone = sealed.filter(undoes__isnull=False).values("undoes_id")
    live = sealed.filter(event__in=COUNTING).exclude(id__in=Subquery(undone))
    kinds = dict(live.values_list("kind").annotate(n=Count("id")).order_by())
    return {
        "signatures": sum(kinds.values()),
        "organisations": kinds.get("organisation", 0),
        "individuals": kinds.get("individual", 0),
        "countries": live.values("country").distinct().count(),
    }


def seal(declaration: Declaration, send_receipts: bool = True) -> TreeHead | None:
    """Give the waiting entries their places and sign a head; None when nothing changed
    since the newest head (no entry waiting, the same final list). The demo dataset's
    signers are sent no receipts (`send_receipts`)."""
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        newest = newest_head(locked)
        size = newest.size if newest else 0
        waiting = list(
            LogEntry.objects.filter(declaration=locked, index__isnull=True).order_by("id")
        )
        final = locked.final_export_sha256 if locked.status != Declaration.Status.OPEN else ""
        if not waiting and newest is not None and newest.final_list_sha256 == final:
            return None
        if not waiting and newest is None and not final:
            return None
        _place(locked, waiting, size)
        hashes = sealed_hashes(locked)
        levels = verifier.Levels(hashes)
        head = TreeHead(
            declaration=locked,
            size=len(hashes),
            root=levels.root().hex(),
            made_at=timezone.now().replace(microsecond=0),
            final_list_sha256=final,
            statistics=statistics(locked),
            public_key=keys.public_key(),
        )
        published = head_object(head, locked.slug)
        head.signature = keys.sign(verifier.head_message(published))
        head.save()
        if send_receipts:
            receipts.send(locked, head, [e for e in waiting if e.counts and e.receipt], levels)
    return head


def _place(declaration: Declaration, waiting: list[LogEntry], size: int) -> None:
    undone_ids = {entry.undoes_id for entry in waiting if entry.undoes_id}
    places = dict(
        LogEntry.objects.filter(pk__in=undone_ids, index__isnull=False).values_list("pk", "index")
    )
    for offset, entry in enumerate(waiting):
        entry.index = size + offset
        places[entry.pk] = entry.index
        undone = places[entry.undoes_id] if entry.undoes_id else None
        entry.leaf = verifier.canonical(leaf_object(entry, declaration.slug, undone)).decode()
        entry.leaf_hash = verifier.leaf_hash(entry.leaf.encode()).hex()
    # One statement for all (executemany): bulk_update's CASE per row grew with the batch.
    with connection.cursor() as cursor:
        cursor.executemany(
            _PLACE.format(table=LogEntry._meta.db_table),
            [(entry.index, entry.leaf, entry.leaf_hash, entry.pk) for entry in waiting],
        )


_PLACE = 'UPDATE {table} SET "index" = %s, leaf = %s, leaf_hash = %s WHERE id = %s'


def newest_head(declaration: Declaration) -> TreeHead | None:
    return (
        TreeHead.objects.filter(declaration=declaration)
        .order_by("-size", "-made_at", "-id")
        .first()
    )


def seal_waiting() -> list[str]:
    """The periodic job: seal every declaration with entries waiting (open or just closed)."""
    ids = LogEntry.objects.filter(index__isnull=True).values("declaration_id").distinct()
    sealed = []
    for declaration in Declaration.objects.filter(pk__in=Subquery(ids)).order_by("pk"):
        if seal(declaration) is not None:
            sealed.append(declaration.slug)
    return sealed
