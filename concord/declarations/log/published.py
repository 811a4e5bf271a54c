"""The log's objects as published: a leaf (the bytes hashed are its canonical JSON) and a
signed tree head. Their formats are the contract with every reader's verifier
(log/verifier.py says them in full); change them only with a new version number."""

from datetime import UTC

from concord.declarations.log.models import LogEntry, TreeHead

Event = LogEntry.Event


def leaf_object(entry: LogEntry, slug: str, undone_index: int | None) -> dict:
    leaf = {
        "v": 1,
        "declaration": slug,
        "seq": entry.index,
        "event": str(entry.event),
        "day": entry.day.isoformat(),
        "country": entry.country,
        "kind": entry.kind,
        "email": entry.email_hash,
        "signatory": entry.signatory_hash,
    }
    if undone_index is not None:
        leaf["undoes"] = undone_index
    if entry.event == Event.INVALIDATED:
        leaf["reason"] = entry.reason
    return leaf


def head_object(head: TreeHead, slug: str) -> dict:
    """A head as published and as signed (with its signature)."""
    return {
        "declaration": slug,
        "size": head.size,
        "root": head.root,
        "time": head.made_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "final_list_sha256": head.final_list_sha256 or None,
        "statistics": head.statistics,
        "signature": head.signature,
    }
