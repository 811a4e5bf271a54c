"""Check a copy of a declaration's transparency log, and signers' receipts, without Concord.

Anyone may download this one file and run ``python verifier.py copy.json --receipt r.json``, so
it imports only the standard library and ``cryptography``; the platform imports the same code, so
what it publishes and what outsiders check cannot drift apart (RFC 9162 2.1 trees, Ed25519 heads).
"""

import argparse
import base64
import hashlib
import hmac
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEAD_PREFIX = b"concord-tree-head-v1\n"
EMPTY_ROOT = hashlib.sha256(b"").digest()
COUNTED_EVENTS = frozenset({"confirmed", "imported"})
UNDO_EVENTS = frozenset({"invalidated", "withdrawn"})
STATISTICS = ("signatures", "organisations", "individuals", "countries")

# Stable codes: the platform translates them, so a code never changes meaning once published.
CODES: dict[str, str] = {
    "copy_malformed": "The copy of the log cannot be read: {detail}.",
    "no_heads": "The copy of the log has no signed tree head.",
    "head_signature": "The signature of the tree head of size {size} made at {time} is not valid for this public key.",
    "head_declaration": "The tree head of size {size} made at {time} is for the declaration {found}, not {declaration}.",
    "head_order": "The tree head of size {size} made at {time} comes after a head of size {previous_size}: the log shrank.",
    "head_root": "The root of the tree head of size {size} made at {time} does not match the first {size} leaves of the copy.",
    "head_consistency": "The tree head of size {size} made at {time} is not consistent with the earlier head of size {previous_size} made at {previous_time}.",
    "head_statistics": "The tree head of size {size} made at {time} signs {stated} for “{key}”, but its first {size} leaves give {counted}.",
    "leaves_missing": "The newest tree head has {size} leaves, but the copy lists {count}.",
    "leaf_index": "Entry {position} of the list of leaves has index {index}: leaves must be numbered from 0 without gaps.",
    "leaf_seq": "Leaf {index} says it is number {seq} in the log.",
    "leaf_declaration": "Leaf {index} is for the declaration {found}, not {declaration}.",
    "leaf_event": "Leaf {index} records an unknown event “{event}”.",
    "undo_target": "Leaf {index} cancels leaf {undoes}, which is not an earlier signature still counted.",
    "undo_mismatch": "Leaf {index} cancels leaf {undoes} but does not repeat its country, kind, email and signatory hashes.",
    "signatory_missing": "Leaf {index} is counted in the log but its signatory is not in the list.",
    "signatory_unlisted": "Leaf {index} is counted in the log but its signatory is marked as not listed.",
    "signatory_mismatch": "The list shows {key} {found} for leaf {index}, but the leaf says {expected}.",
    "signatory_fields": "The name shown in the list for leaf {index} does not match the signatory hash of the leaf.",
    "statistics": "The copy publishes {stated} for “{key}”, but its leaves give {counted}.",
    "receipt_malformed": "The receipt cannot be read: {detail}.",
    "receipt_leaf_declaration": "The receipt is for the declaration {declaration}, but its leaf is for {found}.",
    "receipt_head_declaration": "The receipt is for the declaration {declaration}, but its tree head is for {found}.",
    "receipt_index": "The receipt is for leaf {index}, but its leaf says number {seq} in a tree of {size} leaves.",
    "receipt_inclusion": "The receipt's proof does not show its leaf at index {index} in the tree head of size {size} made at {time}.",
    "receipt_other_declaration": "The receipt is for the declaration {declaration}, but this copy is the log of {found}.",
    "receipt_public_key": "The receipt names a different public key from the one of this copy of the log.",
    "receipt_head_unknown": "The receipt's tree head of size {size} made at {time} is neither in this copy nor consistent with its leaves.",
    "receipt_leaf_missing": "This copy of the log has no leaf {index}.",
    "receipt_leaf_differs": "Leaf {index} of this copy of the log is not the leaf in the receipt.",
    "receipt_withdrawn": "The signature of this receipt (leaf {index}) was withdrawn later, by leaf {by}.",
    "receipt_invalidated": "The signature of this receipt (leaf {index}) was invalidated later, by leaf {by}, for the reason “{reason}”.",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, as a stable code plus parameters, so the app can say it in any language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:  # English; the platform translates the code itself
        return CODES[self.code].format(**self.params)


def canonical(obj: Any) -> bytes:
    """The one byte form of a JSON value that is hashed or signed, so every party gets equal bytes."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 leaf hash; the 0x00 prefix keeps a leaf from passing for an inner node."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash (prefix 0x01)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _pair_up(level: Sequence[bytes]) -> list[bytes]:
    # Pairing left to right, a lone last node carried up as is, builds exactly the RFC 9162 tree.
    up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        up.append(level[-1])
    return up


def root(hashes: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes, level by level: n - 1 node hashes, no recursion."""
    level = hashes or [EMPTY_ROOT]
    while len(level) > 1:
        level = _pair_up(level)
    return level[0]


class Levels:
    """All levels, built once in O(n): then each new leaf's receipt costs O(log n) stored nodes
    (O(log² n) hashes at worst on a ragged right edge), for this size or any smaller one."""

    def __init__(self, hashes: Sequence[bytes]) -> None:
        self.size, self.levels = len(hashes), [hashes]
        while len(self.levels[-1]) > 1:
            self.levels.append(_pair_up(self.levels[-1]))

    def subtree(self, lo: int, hi: int) -> bytes:
        """MTH of leaves lo..hi-1, from stored nodes where the range is a complete subtree."""
        width = hi - lo
        if width <= 0:
            return EMPTY_ROOT
        height = width.bit_length() - 1
        if width == 1 << height and lo % width == 0:
            return self.levels[height][lo >> height]
        k = 1 << ((width - 1).bit_length() - 1)  # where RFC 9162 splits: 2^i < width <= 2^(i+1)
        return node_hash(self.subtree(lo, lo + k), self.subtree(lo + k, hi))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first size leaves (all of them by default)."""
        return self.subtree(0, self.size if size is None else size)

    def _walk(self, old: int, size: int, stop_at_leaf: bool) -> tuple[list[bytes], int, int]:
        # RFC 9162 2.1.3.1 / 2.1.4.1 top-down towards leaf old - 1, collecting sibling subtrees.
        path, lo, hi = [], 0, size
        while (hi - lo > 1) if stop_at_leaf else (old != hi):
            k = 1 << ((hi - lo - 1).bit_length() - 1)
            if old - lo <= k:
                path.append(self.subtree(lo + k, hi))
                hi = lo + k
            else:
                path.append(self.subtree(lo, lo + k))
                lo += k
        return path, lo, hi

    def inclusion(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 2.1.3.1, leaf side first."""
        if not 0 <= index < size <= self.size:
            raise ValueError(f"no leaf {index} in a tree of {size} leaves")
        return self._walk(index + 1, size, True)[0][::-1]

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        """PROOF(old_size, D[new_size]) of RFC 9162 2.1.4.1; empty when old is 0 or equal."""
        if not 0 <= old_size <= new_size <= self.size:
            raise ValueError(f"no consistency proof from {old_size} to {new_size} leaves")
        if old_size in (0, new_size):
            return []
        path, lo, hi = self._walk(old_size, new_size, False)
        if lo > 0:  # the old tree is not a complete left subtree: its root is not implied
            path.append(self.subtree(lo, hi))
        return path[::-1]


def inclusion_proof(hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """Inclusion proof of leaf index in the tree of the first size hashes (O(size))."""
    return Levels(hashes[:size]).inclusion(index, size)


def consistency_proof(hashes: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """Consistency proof between the trees of the first old_size and new_size hashes."""
    return Levels(hashes[:new_size]).consistency(old_size, new_size)


def _sides(fn: int, sn: int, count: int) -> list[bool] | None:
    """RFC 9162 2.1.3.2 / 2.1.4.2's walk: is each proof hash a left sibling (None: bad length)."""
    sides = []
    for _ in range(count):
        if sn == 0:
            return None
        sides.append(bool(fn & 1) or fn == sn)
        if sides[-1]:
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        fn, sn = fn >> 1, sn >> 1
    return sides if sn == 0 else None


def check_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2, step by step, so a proof the RFC rejects is rejected here too."""
    sides = _sides(index, size - 1, len(proof)) if 0 <= index < size else None
    if sides is None:
        return False
    r = leaf_hash
    for p, left in zip(proof, sides, strict=True):
        r = node_hash(p, r) if left else node_hash(r, p)
    return hmac.compare_digest(r, root)


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2, with the cases the RFC leaves to the caller made explicit."""
    if old_size in (0, new_size):  # nothing to prove: the same tree, or the empty tree's root
        return not proof and hmac.compare_digest(old_root, new_root if old_size else EMPTY_ROOT)
    if not (0 < old_size < new_size and proof):  # step 1: an empty proof fails
        return False
    path = [old_root, *proof] if old_size & (old_size - 1) == 0 else list(proof)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    sides = _sides(fn, sn, len(path) - 1)
    if sides is None:
        return False
    fr = sr = path[0]
    for c, left in zip(path[1:], sides, strict=True):
        if left:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    return hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root)


def head_message(head: dict[str, Any]) -> bytes:
    """The bytes a tree head's signature covers: everything in it but the signature."""
    return HEAD_PREFIX + canonical({k: v for k, v in head.items() if k != "signature"})


def check_head_signature(head: dict[str, Any], public_key_b64: str) -> bool:
    """Whether the head was signed by this Ed25519 key; unreadable keys or signatures fail."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        key.verify(base64.b64decode(head["signature"], validate=True), head_message(head))
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False
    return True


def email_hash(salt_hex: str, email: str) -> str:
    """The salted hash a leaf holds instead of an email, so only the signer can link the two."""
    return hashlib.sha256(bytes.fromhex(salt_hex) + email.strip().lower().encode()).hexdigest()


def signatory_hash(fields_salt_hex: str, fields: dict[str, Any]) -> str:
    """The salted hash binding a leaf to the name, organisation and role the list shows."""
    return hashlib.sha256(bytes.fromhex(fields_salt_hex) + canonical(fields)).hexdigest()


class _Tally:
    """Running counts of live signatures, so every head's statistics cost one pass in all."""

    def __init__(self, leaves: Iterable[dict[str, Any]] = ()) -> None:
        self.live: dict[int, dict[str, Any]] = {}
        self.undone: dict[int, dict[str, Any]] = {}
        self.kinds: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        for leaf in leaves:
            self.add(leaf)

    def add(self, leaf: dict[str, Any]) -> None:
        if leaf["event"] in COUNTED_EVENTS:
            self.live[leaf["seq"]] = leaf
            self.kinds[leaf["kind"]] += 1
            self.countries[leaf["country"]] += 1
        elif leaf["event"] in UNDO_EVENTS and leaf.get("undoes") in self.live:
            target = self.live.pop(leaf["undoes"])
            self.undone[target["seq"]] = leaf
            self.kinds[target["kind"]] -= 1
            self.countries[target["country"]] -= 1

    def statistics(self) -> dict[str, int]:
        counts = len(self.live), self.kinds["organisation"], self.kinds["individual"]
        return dict(zip(STATISTICS, (*counts, len(+self.countries)), strict=True))


def replay(leaves: list[dict[str, Any]]) -> dict[str, int]:
    """The counts the live leaves give: what a head's signed statistics must say."""
    return _Tally(leaves).statistics()


class _Found(list[Problem]):
    """The problems found so far, added in one short call each."""

    def add(self, code: str, **params: Any) -> None:
        self.append(Problem(code, params))

    def compare(self, code: str, want: dict[str, Any], got: dict[str, int], **params: Any) -> None:
        for k in STATISTICS:
            if want.get(k) != got[k]:
                self.add(code, **params, key=k, stated=want.get(k), counted=got[k])


def _check_heads(found: _Found, copy: dict[str, Any], levels: Levels, stats: dict) -> None:
    slug, key, previous = copy["declaration"], copy["public_key"], None
    for head in copy["heads"]:
        size, at = head["size"], {"size": head["size"], "time": head["time"]}
        if not check_head_signature(head, key):
            found.add("head_signature", **at)
        if head["declaration"] != slug:
            found.add("head_declaration", **at, found=head["declaration"], declaration=slug)
        if size > levels.size:
            continue  # reported once, as leaves_missing
        if levels.root(size) != bytes.fromhex(head["root"]):
            found.add("head_root", **at)
        found.compare("head_statistics", head.get("statistics") or {}, stats[size], **at)
        if previous is not None:
            old = {"previous_size": previous["size"], "previous_time": previous["time"]}
            if previous["size"] > size:
                found.add("head_order", **at, **old)
            else:
                # With every leaf at hand the root check settles it, but the proof path is
                # exercised too, so a fault in it shows here before it reaches a receipt.
                proof = levels.consistency(previous["size"], size)
                roots = bytes.fromhex(previous["root"]), bytes.fromhex(head["root"])
                if not check_consistency(previous["size"], size, *roots, proof):
                    found.add("head_consistency", **at, **old)
        previous = head


def _verify_copy(copy: dict[str, Any]) -> list[Problem]:
    found, slug, heads, entries = _Found(), copy["declaration"], copy["heads"], copy["leaves"]
    if not heads:
        return [Problem("no_heads")]
    sizes = {head["size"] for head in heads}
    tally, stats_at, hashes = _Tally(), {0: _Tally().statistics()}, []
    for position, entry in enumerate(entries):
        if entry["index"] != position:
            found.add("leaf_index", position=position, index=entry["index"])
            break  # every later index is off too; the roots cannot match either
        leaf = entry["leaf"]
        hashes.append(leaf_hash(canonical(leaf)))
        if leaf["seq"] != position:
            found.add("leaf_seq", index=position, seq=leaf["seq"])
        if leaf["declaration"] != slug:
            found.add("leaf_declaration", index=position, found=leaf["declaration"], declaration=slug)  # fmt: skip
        if leaf["event"] in UNDO_EVENTS:
            target, undoes = tally.live.get(leaf.get("undoes", -1)), leaf.get("undoes")
            if target is None:
                found.add("undo_target", index=position, undoes=undoes)
            elif any(leaf[k] != target[k] for k in ("country", "kind", "email", "signatory")):
                found.add("undo_mismatch", index=position, undoes=undoes)
        elif leaf["event"] not in COUNTED_EVENTS:
            found.add("leaf_event", index=position, event=leaf["event"])
        tally.add(leaf)
        if position + 1 in sizes:
            stats_at[position + 1] = tally.statistics()
    for index, leaf in tally.live.items():
        if (entry := entries[index].get("signatory")) is None:
            found.add("signatory_missing", index=index)
            continue
        if entry.get("listed") is not True:
            found.add("signatory_unlisted", index=index)
        for key in ("country", "kind"):
            if entry.get(key) != leaf[key]:
                found.add("signatory_mismatch", index=index, key=key, found=entry.get(key), expected=leaf[key])  # fmt: skip
        shown, salt = entry.get("fields"), entry.get("fields_salt")
        if shown is not None and salt is not None and signatory_hash(salt, shown) != leaf["signatory"]:  # fmt: skip
            found.add("signatory_fields", index=index)
    newest = max(sizes)
    if newest > len(hashes) or len(entries) > newest:
        found.add("leaves_missing", size=newest, count=len(entries))
    _check_heads(found, copy, Levels(hashes), stats_at)
    if heads[-1].get("final_list_sha256"):  # while signing goes on, counts move past the head
        found.compare("statistics", copy["statistics"], tally.statistics())
    return found


def _verify_receipt(receipt: dict[str, Any], copy: dict[str, Any] | None) -> list[Problem]:
    found, slug, index = _Found(), receipt["declaration"], receipt["index"]
    leaf, head = receipt["leaf"], receipt["head"]
    at = {"size": head["size"], "time": head["time"]}
    # Against a copy, trust the copy's key: a forger could put their own key in a receipt.
    if not check_head_signature(head, (copy or receipt)["public_key"]):
        found.add("head_signature", **at)
    if leaf["declaration"] != slug:
        found.add("receipt_leaf_declaration", declaration=slug, found=leaf["declaration"])
    if head["declaration"] != slug:
        found.add("receipt_head_declaration", declaration=slug, found=head["declaration"])
    if leaf["seq"] != index or not 0 <= index < head["size"]:
        found.add("receipt_index", index=index, seq=leaf["seq"], size=head["size"])
    proof, head_root = [bytes.fromhex(h) for h in receipt["inclusion"]], bytes.fromhex(head["root"])
    if not check_inclusion(leaf_hash(canonical(leaf)), index, head["size"], proof, head_root):
        found.add("receipt_inclusion", index=index, **at)
    if copy is None:
        return found
    if copy["declaration"] != slug:
        found.add("receipt_other_declaration", declaration=slug, found=copy["declaration"])
        return found
    if receipt["public_key"] != copy["public_key"]:
        found.add("receipt_public_key")
    entries = copy["leaves"]
    hashes = [leaf_hash(canonical(entry["leaf"])) for entry in entries]
    known = any(canonical(h) == canonical(head) for h in copy["heads"])
    if not known and (head["size"] > len(hashes) or root(hashes[: head["size"]]) != head_root):
        found.add("receipt_head_unknown", **at)
    if not 0 <= index < len(entries):
        found.add("receipt_leaf_missing", index=index)
    elif canonical(entries[index]["leaf"]) != canonical(leaf):
        found.add("receipt_leaf_differs", index=index)
    else:
        undo = _Tally(entry["leaf"] for entry in entries).undone.get(index) or {}
        if undo.get("event") == "withdrawn":
            found.add("receipt_withdrawn", index=index, by=undo["seq"])
        elif undo:
            found.add("receipt_invalidated", index=index, by=undo["seq"], reason=undo.get("reason"))
    return found


def _guarded(code: str, check: Any, *args: Any) -> list[Problem]:
    try:
        return list(check(*args))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:  # not a traceback
        return [Problem(code, {"detail": f"{type(exc).__name__}: {exc}"})]


def verify_copy(copy: dict[str, Any]) -> list[Problem]:
    """Every problem in a downloaded copy of a log; none means it holds together as published."""
    return _guarded("copy_malformed", _verify_copy, copy)


def verify_receipt(receipt: dict[str, Any], copy: dict[str, Any] | None = None) -> list[Problem]:
    """Problems with a receipt: alone, whether its leaf was logged; with a copy, whether it counts."""
    return _guarded("receipt_malformed", _verify_receipt, receipt, copy)


def main(argv: Sequence[str]) -> int:
    """Command line: print OK and the counts, or each problem on its own line and exit 1."""
    parser = argparse.ArgumentParser(prog="verifier.py", description=__doc__.splitlines()[0])
    parser.add_argument("copy", help="the copy of the log (JSON) downloaded from the platform")
    parser.add_argument("--receipt", action="append", default=[], help="a receipt (JSON) to check")
    args = parser.parse_args(list(argv))
    try:
        copy = json.loads(Path(args.copy).read_text(encoding="utf-8"))
        receipts = [(p, json.loads(Path(p).read_text(encoding="utf-8"))) for p in args.receipt]
    except (OSError, ValueError) as exc:
        print(f"Cannot read a file: {exc}")
        return 1
    lines = [p.message() for p in verify_copy(copy)]
    lines += [f"{path}: {p.message()}" for path, r in receipts for p in verify_receipt(r, copy)]
    if lines:
        print("\n".join(lines))
        return 1
    newest, stats = copy["heads"][-1], replay([entry["leaf"] for entry in copy["leaves"]])
    print(f"OK: {len(copy['leaves'])} leaves, {len(copy['heads'])} heads, newest head {newest['size']} at {newest['time']}; {stats['signatures']} signatures from {stats['countries']} countries")  # fmt: skip
    print("".join(f"OK: {path}: leaf {r['index']} is in the log and still counted\n" for path, r in receipts), end="")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
