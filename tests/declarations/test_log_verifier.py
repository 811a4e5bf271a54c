"""The Merkle tree code of the standalone log verifier, against reference values and the RFC."""

import hashlib

import pytest

from concord.declarations.log import verifier as v

# The eight leaves of certificate-transparency's merkle_tree_test.cc (RFC 6962 test vectors),
# and the roots of their first 1..8 leaves as given there; pymerkle 7.0.0 (RFC 9162) gives the
# same roots.
CT_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
             bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# Proofs from the same certificate-transparency test file (pymerkle 7 gives the same hashes).
CT_INCLUSION_0_OF_8 = ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                       "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                       "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]  # fmt: skip
CT_CONSISTENCY = {
    (1, 8): CT_INCLUSION_0_OF_8,
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
}  # fmt: skip
# SHA-256 over, for n = 1..70 over leaves b"leaf 0".., pymerkle 7.0.0's root of n leaves, its
# inclusion path of every index (without the leaf itself), and the RFC 9162 2.1.4.1 consistency
# proof of every 0 < m < n written literally from the RFC with pymerkle's subtree roots.
PYMERKLE_FINGERPRINT = "173936d6f68dfc41c85bdd1e0d6aed6ca21842a4270f1f3821ae4c4b10029f5e"

N = 70
HASHES = [v.leaf_hash(f"leaf {i}".encode()) for i in range(N)]
LEVELS = v.Levels(HASHES)


def flipped(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


def test_roots_match_the_certificate_transparency_vectors():
    hashes = [v.leaf_hash(x) for x in CT_LEAVES]
    assert [v.root(hashes[:n]).hex() for n in range(1, 9)] == CT_ROOTS
    assert [v.Levels(hashes).root(n).hex() for n in range(1, 9)] == CT_ROOTS
    assert v.root([]) == hashlib.sha256(b"").digest()


def test_proofs_match_the_certificate_transparency_vectors():
    hashes = [v.leaf_hash(x) for x in CT_LEAVES]
    assert [h.hex() for h in v.inclusion_proof(hashes, 0, 8)] == CT_INCLUSION_0_OF_8
    for (m, n), proof in CT_CONSISTENCY.items():
        assert [h.hex() for h in v.consistency_proof(hashes, m, n)] == proof
        old, new = bytes.fromhex(CT_ROOTS[m - 1]), bytes.fromhex(CT_ROOTS[n - 1])
        assert v.check_consistency(m, n, old, new, [bytes.fromhex(h) for h in proof])


def test_roots_and_proofs_match_pymerkle():
    h = hashlib.sha256()
    for n in range(1, N + 1):
        h.update(v.root(HASHES[:n]))
        for i in range(n):
            h.update(b"I")
            for x in v.inclusion_proof(HASHES, i, n):
                h.update(x)
        for m in range(1, n):
            h.update(b"C")
            for x in v.consistency_proof(HASHES, m, n):
                h.update(x)
    assert h.hexdigest() == PYMERKLE_FINGERPRINT


def test_levels_answer_prefix_trees_like_the_plain_functions():
    for n in range(1, N + 1):
        assert LEVELS.root(n) == v.root(HASHES[:n])
        for i in range(0, n, 7):
            assert LEVELS.inclusion(i, n) == v.inclusion_proof(HASHES, i, n)
        for m in range(0, n + 1, 5):
            assert LEVELS.consistency(m, n) == v.consistency_proof(HASHES, m, n)


def test_every_inclusion_proof_verifies_and_every_tampering_fails():
    for n in range(1, N + 1):
        r = LEVELS.root(n)
        for i in range(n):
            proof = LEVELS.inclusion(i, n)
            assert v.check_inclusion(HASHES[i], i, n, proof, r)
            assert not v.check_inclusion(flipped(HASHES[i]), i, n, proof, r)
            assert not v.check_inclusion(HASHES[i], i, n, proof, flipped(r))
            for j in range(len(proof)):
                bad = [*proof[:j], flipped(proof[j]), *proof[j + 1 :]]
                assert not v.check_inclusion(HASHES[i], i, n, bad, r)
            assert not v.check_inclusion(HASHES[i], i, n, [*proof, proof[0] if proof else r], r)
            if proof:
                assert not v.check_inclusion(HASHES[i], i, n, proof[:-1], r)
            for other in (i - 1, i + 1):
                if 0 <= other < n and HASHES[other] != HASHES[i]:
                    assert not v.check_inclusion(HASHES[i], other, n, proof, r)
            for size in range(i + 1, N + 1):
                # RFC 9162 reads only the path's shape from the size, so another size is refused
                # whenever its path has another length
                if len(LEVELS.inclusion(i, size)) != len(proof):
                    assert not v.check_inclusion(HASHES[i], i, size, proof, r)
        assert not v.check_inclusion(HASHES[0], n, n, [], r)


def test_every_consistency_proof_verifies_and_every_tampering_fails():
    roots = [LEVELS.root(n) for n in range(N + 1)]
    for n in range(1, N + 1):
        for m in range(0, n + 1):
            proof = LEVELS.consistency(m, n)
            assert v.check_consistency(m, n, roots[m], roots[n], proof), (m, n)
            assert not v.check_consistency(m, n, flipped(roots[m]), roots[n], proof)
            if m > 0:  # every tree is consistent with the empty one, whatever its root
                assert not v.check_consistency(m, n, roots[m], flipped(roots[n]), proof)
            assert not v.check_consistency(n, m, roots[n], roots[m], proof) or m == n
            for j in range(len(proof)):
                bad = [*proof[:j], flipped(proof[j]), *proof[j + 1 :]]
                assert not v.check_consistency(m, n, roots[m], roots[n], bad)
            assert not v.check_consistency(m, n, roots[m], roots[n], [*proof, roots[m]])
            if proof:
                assert not v.check_consistency(m, n, roots[m], roots[n], proof[:-1])
            # as for inclusion, other sizes are refused when they imply a path of another length
            for other_m, other_n in ((m - 1, n), (m + 1, n), (m, n - 1), (m, n + 1)):
                if 0 < other_m < other_n <= N and len(LEVELS.consistency(other_m, other_n)) != len(
                    proof
                ):
                    assert not v.check_consistency(other_m, other_n, roots[m], roots[n], proof)


def test_edge_cases_of_consistency():
    assert v.check_consistency(0, 0, v.EMPTY_ROOT, v.EMPTY_ROOT, [])
    assert v.check_consistency(0, 5, v.EMPTY_ROOT, LEVELS.root(5), [])
    assert not v.check_consistency(0, 5, LEVELS.root(1), LEVELS.root(5), [])
    assert v.check_consistency(7, 7, LEVELS.root(7), LEVELS.root(7), [])
    assert not v.check_consistency(7, 7, LEVELS.root(7), LEVELS.root(7), [HASHES[0]])
    assert not v.check_consistency(7, 7, LEVELS.root(7), LEVELS.root(6), [])
    assert not v.check_consistency(3, 7, LEVELS.root(3), LEVELS.root(7), [])
    assert v.check_inclusion(HASHES[0], 0, 1, [], HASHES[0])
    with pytest.raises(ValueError):
        LEVELS.inclusion(5, 5)
    with pytest.raises(ValueError):
        LEVELS.consistency(6, 5)


def test_hashes_of_emails_signatories_and_heads_follow_the_specification():
    salt = "00112233445566778899aabbccddeeff"
    expected = hashlib.sha256(bytes.fromhex(salt) + b"amina@example.org").hexdigest()
    assert v.email_hash(salt, "  Amina@Example.ORG \n") == expected
    fields = {"name": "Zoé", "organisation": "Réseau", "role": "coordinatrice"}
    canonical = '{"name":"Zoé","organisation":"Réseau","role":"coordinatrice"}'.encode()
    assert v.canonical(fields) == canonical
    assert (
        v.signatory_hash(salt, fields)
        == hashlib.sha256(bytes.fromhex(salt) + canonical).hexdigest()
    )
    head = {"size": 2, "root": "ab", "signature": "c2ln"}
    assert v.head_message(head) == b'concord-tree-head-v1\n{"root":"ab","size":2}'
