"""The log as signers and readers meet it: the receipt email, the receipt link, the page that
checks a dropped receipt (in French), the API a verifier calls, `concord verify`, and heads
made only when something changed."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from concord.core.models import OutgoingEmail
from concord.declarations.log import queries as log_queries
from concord.declarations.log import sealing, verifier
from concord.declarations.log.models import LogEntry, TreeHead
from concord.declarations.models import Signature
from concord.declarations.services import lifecycle, withdrawal
from concord.declarations.services.final_list import amend_final_list
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def sealed(declaration):
    for n, country in enumerate(["MZ", "KG", "TZ"]):
        SignatureFactory(
            declaration=declaration,
            email=f"signer{n}@example.org",
            name=f"Signer {n}",
            country=country,
            confirmed=True,
        )
    sealing.seal(declaration)
    return declaration


def emailed_receipt(address: str) -> tuple[dict, str]:
    email = OutgoingEmail.objects.get(to=address, key__startswith="log.receipt:")
    text = email.body_text
    receipt = json.loads(text[text.index('{"declaration"') :].strip())
    link = re.search(r"http://testserver(/declarations/\S+/receipt/\S+/)", text)[1]
    return receipt, link


def test_each_confirmed_signer_is_emailed_a_receipt_that_verifies(sealed):
    for n in range(3):
        receipt, _link = emailed_receipt(f"signer{n}@example.org")
        assert verifier.verify_receipt(receipt) == []
        salt = receipt["salt"]
        assert receipt["leaf"]["email"] == verifier.email_hash(salt, f"signer{n}@example.org")
    # A second seal with nothing new makes no head and sends nothing.
    assert sealing.seal(sealed) is None
    assert OutgoingEmail.objects.filter(key__startswith="log.receipt:").count() == 3
    assert sealing.seal_waiting() == []


def test_the_receipt_link_checks_it_in_french_and_downloads_it(client, sealed):
    _receipt, link = emailed_receipt("signer1@example.org")
    SignatureFactory(declaration=sealed, email="later@example.org", confirmed=True)
    sealing.seal(sealed)  # a newer head: the link checks against it
    french = link.replace("/declarations/", "/fr/declarations/", 1)
    page = client.get(french).content.decode()
    # Checked against the newest head, which counts the later signature too.
    assert "Votre signature figure dans la liste de 4 signatures" in page
    assert "toujours comptée" in page
    download = client.get(link + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    receipt = json.loads(download.content)
    assert receipt["head"]["size"] == 4
    assert verifier.verify_receipt(receipt) == []


def test_the_verification_page_checks_a_pasted_receipt(client, sealed):
    receipt, _link = emailed_receipt("signer0@example.org")
    page = url("declarations:verify", sealed.slug, language="fr")
    answer = client.post(page, {"receipt": json.dumps(receipt)})
    assert answer.status_code == 200
    assert "Votre signature figure dans la liste de 3 signatures" in answer.content.decode()

    altered = json.loads(json.dumps(receipt))
    altered["leaf"]["country"] = "FR"
    answer = client.post(page, {"receipt": json.dumps(altered)})
    assert answer.status_code == 422
    assert "La preuve du reçu" in answer.content.decode()

    forged = json.loads(json.dumps(receipt))
    forged["head"]["statistics"]["signatures"] = 3000
    answer = client.post(page, {"receipt": json.dumps(forged)})
    assert answer.status_code == 422
    assert "falsifiée" in answer.content.decode()

    assert client.post(page, {"receipt": "not a receipt"}).status_code == 422


def test_a_withdrawn_signature_shows_on_its_receipt(client, sealed):
    receipt, _link = emailed_receipt("signer2@example.org")
    withdrawal.withdraw_by_link(sealed, "token-signer2@example.org")
    sealing.seal(sealed)
    answer = client.post(url("declarations:verify", sealed.slug), {"receipt": json.dumps(receipt)})
    assert "was withdrawn since" in answer.content.decode()
    assert not Signature.objects.filter(email="signer2@example.org").exists()
    assert LogEntry.objects.filter(event="withdrawn", index__isnull=False).count() == 1


def test_the_api_gives_what_a_verifier_needs(client, sealed):
    base = f"/api/v1/declarations/{sealed.slug}/log"
    heads = client.get(base).json()
    assert len(heads["heads"]) == 1 and heads["public_key"]
    head = heads["heads"][0]
    assert verifier.check_head_signature(head, heads["public_key"])
    leaves = client.get(f"{base}/leaves?start=0&limit=2").json()["leaves"]
    assert [leaf["index"] for leaf in leaves] == [0, 1]
    leaf_hash = verifier.leaf_hash(verifier.canonical(leaves[1]["leaf"])).hex()
    found = client.get(f"{base}/inclusion?leaf_hash={leaf_hash}").json()
    proof = [bytes.fromhex(node) for node in found["inclusion"]]
    assert verifier.check_inclusion(
        bytes.fromhex(leaf_hash), 1, head["size"], proof, bytes.fromhex(head["root"])
    )
    assert client.get(f"{base}/inclusion?leaf_hash=nothex").status_code == 422
    assert client.get(f"{base}/inclusion?leaf_hash={'0' * 64}").status_code == 404
    SignatureFactory(declaration=sealed, email="fourth@example.org", confirmed=True)
    sealing.seal(sealed)
    proof = client.get(f"{base}/consistency?old=3&new=4").json()
    newest = proof["new"]
    assert verifier.check_consistency(
        3,
        4,
        bytes.fromhex(head["root"]),
        bytes.fromhex(newest["root"]),
        [bytes.fromhex(node) for node in proof["consistency"]],
    )
    assert client.get(f"{base}/consistency?old=4&new=3").status_code == 422
    copy = client.get(f"{base}/copy").json()
    assert verifier.verify_copy(copy) == []
    assert "@example.org" not in json.dumps(copy)


def test_concord_verify_checks_the_database_and_says_what_failed(sealed, capsys):
    call_command("verify", sealed.slug)
    assert "OK: 3 leaves, 1 heads" in capsys.readouterr().out
    Signature.objects.filter(declaration=sealed, email="signer1@example.org").update(name="X")
    with pytest.raises(CommandError):
        call_command("verify", sealed.slug)
    assert "does not match the signatory hash" in capsys.readouterr().err


def test_closing_and_amending_sign_final_heads(sealed, secretariat):
    closed = lifecycle.close_declaration(secretariat, sealed)
    final = TreeHead.objects.filter(declaration=closed).latest("id")
    assert final.final_list_sha256 == closed.final_export_sha256 and final.size == 3
    # A signatory takes their name out of the final list (as "Hide my name" does).
    Signature.objects.filter(declaration=closed, email="signer0@example.org").update(
        show_name=False
    )
    closed.refresh_from_db()
    amend_final_list(closed, reason="a signatory hid their name")
    newest = TreeHead.objects.filter(declaration=closed).latest("id")
    assert newest.pk != final.pk and newest.size == 3
    assert newest.final_list_sha256 == closed.final_export_sha256 != final.final_list_sha256


def test_the_log_starts_with_the_signatures_counted_before_it(sealed, secretariat):
    """A deployment's declarations existed before their logs: migration 0010 makes their
    counted signatures the first entries, without receipts, and the first seal signs them."""
    from importlib import import_module

    from django.apps import apps

    start = import_module("concord.declarations.migrations.0010_transparency_log")
    LogEntry.objects.all().delete()
    TreeHead.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    start.start_the_logs(apps, None)
    closed = lifecycle.close_declaration(secretariat, sealed)  # seals, as the job would
    assert TreeHead.objects.get(declaration=closed).size == 3
    assert not OutgoingEmail.objects.filter(key__startswith="log.receipt:").exists()
    copy = log_queries.copy(closed, log_queries.published_counts(closed))
    assert verifier.verify_copy(copy) == []


def test_reading_the_whole_log_is_limited_per_network(client, sealed, settings):
    """A copy, and a receipt's check, read every leaf: each network has a budget."""
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "log-copy": {"network": "2/hour"},
        "receipt-check": {"network": "1/hour"},
    }
    copy = f"/api/v1/declarations/{sealed.slug}/log/copy"
    assert [client.get(copy).status_code for _ in range(3)] == [200, 200, 429]
    receipt, _link = emailed_receipt("signer0@example.org")
    page = url("declarations:verify", sealed.slug)
    assert client.post(page, {"receipt": json.dumps(receipt)}).status_code == 200
    assert client.post(page, {"receipt": json.dumps(receipt)}).status_code == 429


def test_the_log_page_shows_the_key_the_heads_and_the_downloads(client, sealed):
    page = client.get(url("declarations:log", sealed.slug, language="fr"))
    assert page.status_code == 200
    text = page.content.decode()
    head = TreeHead.objects.get(declaration=sealed)
    assert head.public_key in text and head.root[:14] in text
    assert f'href="/api/v1/declarations/{sealed.slug}/log/copy"' in text
    verifier_file = client.get(url("declarations:verifier"))
    assert verifier_file["Content-Disposition"] == 'attachment; filename="verifier.py"'
    assert b"def verify_copy" in verifier_file.content
