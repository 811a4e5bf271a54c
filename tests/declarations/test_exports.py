"""Exports: public fields only, safe in a spreadsheet, and the PDF lists every signatory."""

import csv
import hashlib
import io
import json
import unicodedata

import pytest
from pypdf import PdfReader

from concord.core.csv import spreadsheet_safe
from concord.declarations import pdf
from concord.declarations.exports import signatories_csv, signatories_json_chunks
from concord.declarations.models import Export
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Ana", "Ana"),
    ],
)
def test_formula_cells_are_neutralised(value, safe):
    assert spreadsheet_safe(value) == safe


def test_csv_has_public_fields_only_and_every_counted_signature(declaration):
    SignatureFactory(
        declaration=declaration,
        email="shown@example.org",
        country="SN",
        name='=HYPERLINK("http://x","click")',
        role="Chair",
        confirmed=True,
    )
    SignatureFactory(
        declaration=declaration,
        email="hidden@example.org",
        country="BD",
        name="Hidden Person",
        show_name=False,
        role="Secret",
        confirmed=True,
    )
    SignatureFactory(
        declaration=declaration, email="pending@example.org", country="KE", name="Not Yet"
    )
    content = signatories_csv(declaration).decode()
    assert "@example.org" not in content
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 2
    assert rows[0]["country"] == "BD" and rows[0]["name"] == "" and rows[0]["role"] == ""
    assert rows[1]["name"] == '\'=HYPERLINK("http://x","click")'
    assert "Hidden Person" not in content and "Not Yet" not in content


def test_json_export_matches_the_csv(declaration):
    SignatureFactory(
        declaration=declaration, email="a@example.org", country="SN", name="Ana", confirmed=True
    )
    document = json.loads(b"".join(signatories_json_chunks(declaration)))
    assert document["declaration"] == "baku-call"
    assert [row["name"] for row in document["signatories"]] == ["Ana"]


def test_downloaded_list_matches_the_published_fingerprint(client, secretariat, declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    closed = lifecycle.close_declaration(secretariat, declaration)
    response = client.get(f"/api/v1/declarations/{closed.slug}/signatories.csv")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == closed.final_export_sha256


def test_pdf_contains_every_public_signatory_in_any_script(secretariat, declaration):
    names = ["Aïssatou Ndiaye", "محمد الأمين", "Анна Петрова", "李华", "<b>Not Bold</b>"]
    for index, name in enumerate(names):
        SignatureFactory(
            declaration=declaration,
            email=f"s{index}@example.org",
            country=["SN", "EG", "KZ", "CN", "KE"][index],
            name=name,
            confirmed=True,
        )
    SignatureFactory(
        declaration=declaration,
        email="hidden@example.org",
        country="SN",
        name="Withheld Name",
        show_name=False,
        confirmed=True,
    )
    export = Export.objects.create(declaration=declaration, language="en", requested_by=secretariat)
    pdf.build(export.pk)
    export.refresh_from_db()
    assert export.status == "done" and export.progress == 100
    assert export.signature_count == 6
    with export.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    compact = "".join(text.split())
    for name in ["Aïssatou Ndiaye", "Анна Петрова", "李华", "<b>Not Bold</b>"]:
        assert "".join(name.split()) in compact, name
    # Arabic comes out of the PDF in presentation forms, in visual order: normalise first.
    arabic = unicodedata.normalize("NFKC", text)
    assert "الأمين" in arabic or "الأمين"[::-1] in arabic
    assert "Withheld Name" not in text
    assert "The Baku Call for Climate Justice" in text
