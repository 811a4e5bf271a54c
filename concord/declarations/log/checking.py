"""Checking a receipt a signer brings to the verification page: first as anyone's verifier
would (log/verifier.py: the head's signature, the inclusion proof), then against the log as
published now: the head is one of the declaration's, the newest head still holds the same
leaf at the same place, and whether the signature still counts."""

import json
from dataclasses import dataclass, field

from concord.declarations.log import verifier
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.log.published import head_object
from concord.declarations.log.queries import consistency
from concord.declarations.log.sealing import newest_head
from concord.declarations.models import Declaration

MAX_RECEIPT_BYTES = 64 * 1024


@dataclass
class Checked:
    problems: list = field(default_factory=list)
    head: dict | None = None
    newest: dict | None = None
    index: int | None = None
    undone_by: str = ""  # the event that took the signature out of the count, if one did

    @property
    def ok(self) -> bool:
        return not self.problems


def parse(text: str | bytes) -> dict | None:
    """A receipt from the bytes of a file or pasted text; None if it is not one."""
    if isinstance(text, bytes):
        if len(text) > MAX_RECEIPT_BYTES:
            return None
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    try:
        receipt = json.loads(text)
    except ValueError:
        return None
    if not isinstance(receipt, dict) or receipt.get("receipt") != 1:
        return None
    return receipt


def check(declaration: Declaration, receipt: dict) -> Checked:
    checked = Checked(head=receipt.get("head") if isinstance(receipt.get("head"), dict) else None)
    if receipt.get("declaration") != declaration.slug:
        checked.problems.append(verifier.Problem("other_declaration", {"slug": declaration.slug}))
        return checked
    try:
        checked.problems = list(verifier.verify_receipt(receipt))
    except (KeyError, TypeError, ValueError, AttributeError):
        checked.problems = [verifier.Problem("malformed_receipt", {})]
    if checked.problems:
        return checked
    head = checked.head
    assert head is not None
    ours = TreeHead.objects.filter(
        declaration=declaration, size=head["size"], root=head["root"]
    ).exists()
    if not ours:
        checked.problems.append(verifier.Problem("unknown_head", {"size": head["size"]}))
        return checked
    checked.index = receipt["index"]
    newest = newest_head(declaration)
    assert newest is not None  # the receipt's head is one of ours
    checked.newest = head_object(newest, declaration.slug)
    entry = LogEntry.objects.filter(declaration=declaration, index=receipt["index"]).first()
    leaf = verifier.leaf_hash(verifier.canonical(receipt["leaf"])).hex()
    found = consistency(declaration, head["size"], newest.size)  # kept a while, per pair
    proof = [bytes.fromhex(node) for node in (found or {}).get("consistency", [])]
    consistent = found is not None and verifier.check_consistency(
        head["size"], newest.size, bytes.fromhex(head["root"]), bytes.fromhex(newest.root), proof
    )
    if entry is None or entry.leaf_hash != leaf or not consistent:
        checked.problems.append(verifier.Problem("not_in_newest", {"size": newest.size}))
        return checked
    undoing = LogEntry.objects.filter(undoes=entry, index__isnull=False).first()
    if undoing is not None:
        checked.undone_by = undoing.event
    return checked
