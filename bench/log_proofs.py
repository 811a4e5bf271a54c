"""How fast the transparency log's tree and proofs are, and how big its proofs and receipts are.

Run by hand (`python bench/log_proofs.py`), not by the tests: random 32-byte leaf hashes, 10,000
and 1,000,000 leaves; prints a markdown table. The 1,000,000 run takes a few seconds of one core.
"""

import base64
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "concord" / "declarations" / "log"))
import verifier as v  # the standalone file itself, as a downloader runs it

SIZES = (10_000, 1_000_000)


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - start) * 1000


def receipt_bytes(n: int, proof: list[bytes]) -> int:
    # a realistic receipt: a leaf, the salt and a signed head of this size, as the platform sends it
    leaf = {"v": 1, "declaration": "baku-call-for-climate-justice", "seq": n - 1,
            "event": "confirmed", "day": "2026-12-03", "country": "SN", "kind": "individual",
            "email": os.urandom(32).hex(), "signatory": os.urandom(32).hex()}  # fmt: skip
    head = {"declaration": leaf["declaration"], "size": n, "root": os.urandom(32).hex(),
            "time": "2026-12-03T18:00:00Z", "final_list_sha256": None,
            "statistics": {"signatures": n, "organisations": n // 3, "individuals": n - n // 3,
                           "countries": 150},
            "signature": base64.b64encode(os.urandom(64)).decode()}  # fmt: skip
    receipt = {"receipt": 1, "declaration": leaf["declaration"], "index": n - 1, "leaf": leaf,
               "salt": os.urandom(16).hex(), "head": head,
               "public_key": base64.b64encode(os.urandom(32)).decode(),
               "inclusion": [h.hex() for h in proof]}  # fmt: skip
    return len(json.dumps(receipt).encode())


def main() -> None:
    rows = []
    for n in SIZES:
        hashes = [os.urandom(32) for _ in range(n)]
        root, t_root = timed(v.root, hashes)
        levels, t_levels = timed(v.Levels, hashes)
        index = n // 3 + 1  # any leaf: every path has the same length, give or take one
        inclusion, t_inclusion = timed(levels.inclusion, index, n)
        consistency, t_consistency = timed(levels.consistency, n // 2 + 1, n)
        _, t_check = timed(v.check_inclusion, hashes[index], index, n, inclusion, root)
        assert levels.root() == root and v.check_inclusion(hashes[index], index, n, inclusion, root)
        old = levels.root(n // 2 + 1)
        assert v.check_consistency(n // 2 + 1, n, old, root, consistency)
        _, t_plain = timed(v.inclusion_proof, hashes, index, n)
        rows.append((n, t_root, t_levels, t_inclusion, t_plain, t_check, t_consistency,
                     len(inclusion), len(consistency), receipt_bytes(n, inclusion)))  # fmt: skip
    print("| leaves | root ms | Levels ms | inclusion proof (Levels) ms | inclusion_proof() ms "
          "| check_inclusion ms | consistency proof (half+1 → n) ms | inclusion hashes (bytes) "
          "| consistency hashes (bytes) | receipt JSON bytes |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, tr, tl, ti, tp, tc, tk, li, lc, rb in rows:
        print(f"| {n:,} | {tr:.0f} | {tl:.0f} | {ti:.3f} | {tp:.0f} | {tc:.3f} | {tk:.3f} "
              f"| {li} ({li * 32}) | {lc} ({lc * 32}) | {rb:,} |")  # fmt: skip


if __name__ == "__main__":
    main()
