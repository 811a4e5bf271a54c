"""The transparency log over a declaration's whole life: 1,000 signatures (confirmed by their
links, collected offline), invalidations and withdrawals, heads signed along the way and on
closing. Every receipt verifies against every later head, every pair of heads is consistent,
a replay of the leaves gives the published counts, and the standalone verifier notices a
deleted or altered signature row."""

import json
import random

import pytest
from django.db import transaction

from concord.declarations.imports import import_signatures
from concord.declarations.log import queries as log
from concord.declarations.log import receipts, sealing, verifier
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle, review, withdrawal
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

COUNTRIES = ["MZ", "KG", "AZ", "TZ", "SN", "BD", "PE", "FJ"]
HEADER = "name,email,country,kind,organisation,role,show_name\n"


def offline(start: int, count: int, domain: str = "example.net") -> str:
    rows = [
        f"Signer {n},signer{n}@{domain},{COUNTRIES[n % len(COUNTRIES)]},"
        + ("organisation,Ecolink Maputo,Director," if n % 3 == 0 else "individual,,,")
        + ("yes" if n % 4 else "no")
        for n in range(start, start + count)
    ]
    return HEADER + "\n".join(rows) + "\n"


class Rollback(Exception):
    pass


@pytest.fixture
def history(declaration, secretariat):
    """The life of the declaration, sealed after each step."""
    online = []
    for n in range(150):
        online.append(
            SignatureFactory(
                declaration=declaration,
                email=f"online{n}@example.org",
                name=f"Online {n}",
                country=COUNTRIES[n % len(COUNTRIES)],
                show_name=n % 5 != 0,
                confirmed=True,
            )
        )
        if n % 50 == 49:
            sealing.seal(declaration)
    for start in (0, 400):
        import_signatures(
            secretariat, declaration, offline(start, 400), dry_run=False, collected_by="Baku forum"
        )
        sealing.seal(declaration)
    import_signatures(
        secretariat, declaration, offline(900, 50, "spam.example"), dry_run=False, collected_by="x"
    )
    sealing.seal(declaration)
    review.invalidate_signatures(
        secretariat, declaration, review.SignatureFilter(domain="spam.example"), "a bot's list"
    )
    for signature in online[:20]:
        withdrawal.withdraw_by_link(declaration, "token-" + signature.email)
    sealing.seal(declaration)
    return lifecycle.close_declaration(secretariat, declaration)


def copy_of(declaration) -> dict:
    return log.copy(declaration, log.published_counts(declaration))


def test_the_log_verifies_and_replays_to_the_published_counts(history):
    declaration = history
    copy = copy_of(declaration)
    assert verifier.verify_copy(copy) == []
    heads = copy["heads"]
    assert len(heads) == 8
    final = heads[-1]
    assert final["final_list_sha256"] == declaration.final_export_sha256
    replayed = verifier.replay([leaf["leaf"] for leaf in copy["leaves"]])
    assert replayed == log.published_counts(declaration) == final["statistics"]
    assert replayed["signatures"] == 1000 - 50 - 20
    assert Signature.objects.filter(declaration=declaration, status="confirmed").count() == 930
    # Nothing in the log names an address.
    text = json.dumps(copy)
    assert "@example" not in text and "@spam" not in text


def test_every_receipt_verifies_against_every_later_head(history):
    declaration = history
    hashes = sealing.sealed_hashes(declaration)
    levels = verifier.Levels(hashes)
    entries = list(LogEntry.objects.filter(declaration=declaration).order_by("index"))
    checked = 0
    for head in TreeHead.objects.filter(declaration=declaration):
        published = sealing.head_object(head, declaration.slug)
        for entry in entries[: head.size]:
            receipt = receipts.receipt(entry, head, published, levels)
            assert verifier.verify_receipt(receipt) == [], (entry.index, head.size)
            checked += 1
    assert checked == sum(
        TreeHead.objects.filter(declaration=declaration).values_list("size", flat=True)
    )
    # A receipt checked against the whole copy says when its signature stopped counting.
    copy = copy_of(declaration)
    newest = TreeHead.objects.filter(declaration=declaration).order_by("-size", "-id").first()
    published = sealing.head_object(newest, declaration.slug)
    codes = {}
    for entry in entries:
        if entry.counts:
            receipt = receipts.receipt(entry, newest, published, levels)
            problems = verifier.verify_receipt(receipt, copy)
            codes[entry.index] = [problem.code for problem in problems]
    assert sum(1 for found in codes.values() if found == ["receipt_withdrawn"]) == 20
    assert sum(1 for found in codes.values() if found == ["receipt_invalidated"]) == 50
    assert sum(1 for found in codes.values() if found == []) == 930


def test_every_pair_of_heads_is_consistent(history):
    declaration = history
    heads = list(TreeHead.objects.filter(declaration=declaration).order_by("size", "id"))
    pairs = 0
    for i, old in enumerate(heads):
        for new in heads[i:]:
            found = log.consistency(declaration, old.size, new.size)
            proof = [bytes.fromhex(node) for node in found["consistency"]]
            assert verifier.check_consistency(
                old.size, new.size, bytes.fromhex(old.root), bytes.fromhex(new.root), proof
            ), (old.size, new.size)
            pairs += 1
    assert pairs == 36


TAMPERING = {
    "deleted": lambda s: s.delete(),
    "renamed": lambda s: Signature.objects.filter(pk=s.pk).update(name="Someone Else"),
    "moved": lambda s: Signature.objects.filter(pk=s.pk).update(country_id="FR"),
    "rekinded": lambda s: Signature.objects.filter(pk=s.pk).update(
        kind="organisation" if s.kind == "individual" else "individual"
    ),
    "uncounted": lambda s: Signature.objects.filter(pk=s.pk).update(status="invalidated"),
    "new role": lambda s: Signature.objects.filter(pk=s.pk).update(role="Minister"),
}


def test_altering_any_stored_signature_makes_the_verifier_fail(history):
    declaration = history
    counted = list(
        Signature.objects.filter(declaration=declaration, status="confirmed", show_name=True)
    )
    for change, tamper in TAMPERING.items():
        for signature in random.Random(change).sample(counted, 5):
            with pytest.raises(Rollback), transaction.atomic():
                tamper(signature)
                problems = verifier.verify_copy(copy_of(declaration))
                assert problems, f"{change} signature {signature.pk} went unnoticed"
                raise Rollback
    assert verifier.verify_copy(copy_of(declaration)) == []


def test_a_hidden_name_keeps_the_log_valid(history):
    """Hiding a name after closing is a signer's right: the list stops showing it, the log
    still counts it, and the verifier accepts the copy."""
    declaration = history
    signature = Signature.objects.filter(
        declaration=declaration, status="confirmed", show_name=True
    ).first()
    Signature.objects.filter(pk=signature.pk).update(show_name=False)
    copy = copy_of(declaration)
    assert verifier.verify_copy(copy) == []
    assert signature.name not in json.dumps(copy)
