"""Reads of a declaration's log: its heads, proofs against them, its leaves in pages, a whole
copy for verifiers, receipts. Proofs are computed from the sealed leaf hashes (32 bytes each,
read in one query); a head's tree never changes, so what is built for it is kept a while.
"""

import json

from django.core.cache import cache

from concord.declarations.log import verifier
from concord.declarations.log.entries import organisation_names, public_fields
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.log.published import head_object
from concord.declarations.log.receipts import receipt
from concord.declarations.log.sealing import newest_head, sealed_hashes
from concord.declarations.models import Declaration, Signature
from concord.declarations.queries import declaration_stats

LEAVES_PAGE = 1000


def heads(declaration: Declaration) -> list[dict]:
    return [
        head_object(head, declaration.slug)
        for head in TreeHead.objects.filter(declaration=declaration).order_by("size", "made_at")
    ]


def head_of_size(declaration: Declaration, size: int | None) -> TreeHead | None:
    if size is None:
        return newest_head(declaration)
    return TreeHead.objects.filter(declaration=declaration, size=size).order_by("-made_at").first()


def _levels(declaration: Declaration, size: int):
    """The tree of the first `size` leaves. Kept per process for the newest one asked for, as
    a surge of signers checking receipts asks for the same head again and again."""
    key = (declaration.pk, size)
    kept = _LEVELS.get("tree")
    if kept is None or kept[0] != key:
        kept = _LEVELS["tree"] = (key, verifier.Levels(sealed_hashes(declaration, size)))
    return kept[1]


_LEVELS: dict = {}


def inclusion(declaration: Declaration, leaf_hash: str, size: int | None = None) -> dict | None:
    """The proof that the leaf with this hash is in the head of `size` (the newest if None)."""
    head = head_of_size(declaration, size)
    entry = LogEntry.objects.filter(
        declaration=declaration, leaf_hash=leaf_hash.lower(), index__isnull=False
    ).first()
    if head is None or entry is None or entry.index is None or entry.index >= head.size:
        return None
    levels = _levels(declaration, head.size)
    return {
        "index": entry.index,
        "size": head.size,
        "leaf": json.loads(entry.leaf),
        "head": head_object(head, declaration.slug),
        "inclusion": [node.hex() for node in levels.inclusion(entry.index, head.size)],
    }


def consistency(declaration: Declaration, old: int, new: int) -> dict | None:
    """The proof that the head of size `new` extends the head of size `old`."""
    first, second = head_of_size(declaration, old), head_of_size(declaration, new)
    if first is None or second is None or old > new:
        return None
    key = f"log-consistency:{declaration.pk}:{old}:{new}"
    proof = cache.get(key)
    if proof is None:
        hashes = sealed_hashes(declaration, new)
        proof = [node.hex() for node in verifier.consistency_proof(hashes, old, new)]
        cache.set(key, proof, 3600)
    return {
        "old": head_object(first, declaration.slug),
        "new": head_object(second, declaration.slug),
        "consistency": proof,
    }


def leaves(declaration: Declaration, start: int, limit: int = LEAVES_PAGE) -> list[dict]:
    rows = LogEntry.objects.filter(
        declaration=declaration, index__gte=start, index__lt=start + min(limit, LEAVES_PAGE)
    ).order_by("index")
    return [
        {"index": index, "leaf": json.loads(leaf)}
        for index, leaf in rows.values_list("index", "leaf")
    ]


def copy(declaration: Declaration, statistics: dict) -> dict:
    """The whole log up to its newest head, each live leaf with what the signature table
    holds now for it (log/verifier.py checks one against the other), and `statistics`, the
    counts published now. Built for a reader's download; its size grows with the log."""
    newest = newest_head(declaration)
    size = newest.size if newest else 0
    entries = list(
        LogEntry.objects.filter(declaration=declaration, index__lt=size).order_by("index")
    )
    undone = {entry.undoes_id for entry in entries if entry.undoes_id}
    live = [entry for entry in entries if entry.counts and entry.pk not in undone]
    rows = {
        s.pk: s
        for s in Signature.objects.filter(
            pk__in=[e.signature_id for e in live if e.signature_id],
            declaration=declaration,
            status=Signature.Status.CONFIRMED,
        )
    }
    names = organisation_names(list(rows.values()))
    listed = {}
    for entry in live:
        row = rows.get(entry.signature_id)
        if row is None:
            listed[entry.pk] = None
            continue
        shown: dict = {"listed": True, "country": row.country_id, "kind": row.kind}
        if row.show_name:
            shown.update(fields=public_fields(row, names), fields_salt=entry.fields_salt)
        else:
            shown["hidden"] = True
        listed[entry.pk] = shown
    return {
        "declaration": declaration.slug,
        "public_key": newest.public_key if newest else "",
        "heads": heads(declaration),
        "leaves": [
            {"index": e.index, "leaf": json.loads(e.leaf), "signatory": listed.get(e.pk)}
            for e in entries
        ],
        "statistics": statistics,
    }


def receipt_now(entry: LogEntry) -> dict | None:
    """The receipt of a sealed entry against the newest head."""
    declaration = Declaration.objects.get(pk=entry.declaration_id)
    head = newest_head(declaration)
    if head is None or entry.index is None or entry.index >= head.size:
        return None
    levels = _levels(declaration, head.size)
    return receipt(entry, head, head_object(head, declaration.slug), levels)


def published_counts(declaration: Declaration) -> dict[str, int]:
    """The published statistics, as a replay of the log gives them."""
    figures = declaration_stats(declaration, fresh=True)
    return {
        "signatures": figures.signatures,
        "organisations": figures.organisations,
        "individuals": figures.individuals,
        "countries": figures.countries,
    }
