"""Builds small, correctly signed log copies and receipts for the verifier's tests."""

import base64
import copy as copying
import hashlib
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from concord.declarations.log import verifier as v

KEY = Ed25519PrivateKey.generate()
COUNTRIES = ["SN", "KE", "BR", "FR", "AZ"]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


PUBLIC_KEY = b64(KEY.public_key().public_bytes_raw())


def salt(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def sign(head: dict, key: Ed25519PrivateKey = KEY) -> dict:
    head.pop("signature", None)
    head["signature"] = b64(key.sign(v.head_message(head)))
    return head


def fields_of(i: int) -> dict:
    return {"name": f"Person {i}", "organisation": f"Organisation {i % 4}", "role": "member"}


def build_leaves(slug: str, n: int) -> list[dict]:
    """n events: signatures, with some withdrawn and some invalidated by later leaves."""
    leaves: list[dict] = []
    live: list[int] = []
    for i in range(n):
        if i % 9 == 4 and live:
            target, event = leaves[live.pop(0)], "withdrawn"
        elif i % 11 == 7 and live:
            target, event = leaves[live.pop()], "invalidated"
        else:
            leaf = {"v": 1, "declaration": slug, "seq": i, "day": f"2026-11-{1 + i % 28:02d}",
                    "event": "imported" if i % 5 == 0 else "confirmed",
                    "country": COUNTRIES[i % 5 if i % 3 else 0],
                    "kind": "organisation" if i % 3 == 0 else "individual",
                    "email": v.email_hash(salt("email", i), f" Person{i}@Example.org "),
                    "signatory": v.signatory_hash(salt("fields", i), fields_of(i))}  # fmt: skip
            leaves.append(leaf)
            live.append(i)
            continue
        undo = {k: target[k] for k in ("v", "declaration", "country", "kind", "email", "signatory")}
        undo.update(seq=i, day="2026-11-30", event=event, undoes=target["seq"])
        if event == "invalidated":
            undo["reason"] = "duplicate"
        leaves.append(undo)
    return leaves


def signatory_of(leaf: dict) -> dict:
    i = leaf["seq"]
    entry = {"listed": True, "country": leaf["country"], "kind": leaf["kind"]}
    if i % 10 == 3:
        return {**entry, "hidden": True}
    return {**entry, "fields": fields_of(i), "fields_salt": salt("fields", i)}


def build_copy(
    slug: str = "baku-call",
    n: int = 60,
    sizes: tuple[int, ...] = (10, 25, 40, 60),
    closed: bool = True,
    mutate: Callable[[list[dict]], None] | None = None,
) -> dict:
    """A copy whose heads are correctly signed over the (possibly mutated) leaves."""
    leaves = build_leaves(slug, n)
    if mutate:
        mutate(leaves)
    hashes = [v.leaf_hash(v.canonical(leaf)) for leaf in leaves]
    heads = []
    for k, size in enumerate(sizes):
        head = {"declaration": slug, "size": size, "root": v.root(hashes[:size]).hex(),
                "time": f"2026-12-0{k + 1}T18:00:00Z", "statistics": v.replay(leaves[:size]),
                "final_list_sha256": salt("final") * 2 if closed and size == sizes[-1] else None}  # fmt: skip
        heads.append(sign(head))
    undone = {leaf.get("undoes") for leaf in leaves}
    entries = [
        {
            "index": i,
            "leaf": leaf,
            **(
                {"signatory": signatory_of(leaf)}
                if i not in undone and "undoes" not in leaf
                else {}
            ),
        }
        for i, leaf in enumerate(leaves)
    ]
    return {"declaration": slug, "public_key": PUBLIC_KEY, "heads": heads, "leaves": entries,
            "statistics": v.replay(leaves)}  # fmt: skip


def make_receipt(copy: dict, index: int, head: int = -1) -> dict:
    """The receipt of leaf index against the copy's head at position head."""
    chosen = copying.deepcopy(copy["heads"][head])
    hashes = [v.leaf_hash(v.canonical(e["leaf"])) for e in copy["leaves"]]
    leaf = copying.deepcopy(copy["leaves"][index]["leaf"])
    return {"receipt": 1, "declaration": copy["declaration"], "index": index, "leaf": leaf,
            "salt": salt("email", index), "head": chosen, "public_key": copy["public_key"],
            "inclusion": [h.hex() for h in v.inclusion_proof(hashes, index, chosen["size"])]}  # fmt: skip
