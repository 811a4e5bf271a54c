"""Signers who hid their name cannot be re-identified from the public exports: their row
holds only the country and the day, and the final fingerprint is still that of the file."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest

from concord.declarations.models import Signature
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

CONFIRMED_AT = datetime(2025, 11, 14, 9, 41, 27, tzinfo=UTC)


@pytest.fixture
def hidden_and_shown(declaration):
    for email, name, show in [
        ("hidden@example.org", "Hidden Person", False),
        ("shown@example.org", "Shown Person", True),
    ]:
        SignatureFactory(
            declaration=declaration,
            email=email,
            country="BD",
            name=name,
            kind=Signature.Kind.ORGANISATION,
            organisation="Dhaka Riverkeepers" if not show else "Open Coalition",
            role="Field coordinator" if not show else "Chair",
            show_name=show,
            confirmed=True,
        )
    Signature.objects.filter(declaration=declaration).update(confirmed_at=CONFIRMED_AT)
    return declaration


def csv_rows(client, declaration) -> tuple[bytes, list[dict[str, str]]]:
    response = client.get(f"/api/v1/declarations/{declaration.slug}/signatories.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, list(csv.DictReader(io.StringIO(body.decode())))


def json_rows(client, declaration) -> list[dict[str, str]]:
    response = client.get(f"/api/v1/declarations/{declaration.slug}/signatories.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))["signatories"]


HIDDEN_ROW = {
    "country": "BD",
    "country_name": "Bangladesh",
    "kind": "",
    "name": "",
    "organisation": "",
    "role": "",
    "confirmed_at": "2025-11-14",
}


@pytest.mark.parametrize("rows", [lambda c, d: csv_rows(c, d)[1], json_rows])
def test_a_hidden_row_shows_only_the_country_and_the_day(client, hidden_and_shown, rows):
    published = rows(client, hidden_and_shown)
    hidden = [row for row in published if row["name"] == ""]
    assert hidden == [HIDDEN_ROW]
    text = json.dumps(published)
    assert "Dhaka Riverkeepers" not in text and "Field coordinator" not in text
    assert "09:41" not in json.dumps(hidden)


@pytest.mark.parametrize("rows", [lambda c, d: csv_rows(c, d)[1], json_rows])
def test_a_shown_row_is_unchanged(client, hidden_and_shown, rows):
    (shown,) = [row for row in rows(client, hidden_and_shown) if row["name"]]
    assert shown == {
        "country": "BD",
        "country_name": "Bangladesh",
        "kind": "organisation",
        "name": "Shown Person",
        "organisation": "Open Coalition",
        "role": "Chair",
        "confirmed_at": "2025-11-14T09:41:27Z",
    }


def test_a_hidden_row_does_not_sit_between_shown_rows_by_time(client, declaration):
    """Ordered by time, a hidden row between two shown ones would betray its minute."""
    for minute, (email, show) in enumerate(
        [("a@example.org", True), ("hidden@example.org", False), ("b@example.org", True)]
    ):
        signature = SignatureFactory(
            declaration=declaration, email=email, country="SN", show_name=show, confirmed=True
        )
        Signature.objects.filter(pk=signature.pk).update(
            confirmed_at=CONFIRMED_AT.replace(minute=minute)
        )
    _, rows = csv_rows(client, declaration)
    assert [bool(row["name"]) for row in rows] == [True, True, False]


def test_the_fingerprint_is_recomputed_from_the_published_csv(
    client, secretariat, hidden_and_shown
):
    closed = lifecycle.close_declaration(secretariat, hidden_and_shown)
    body, rows = csv_rows(client, closed)
    assert HIDDEN_ROW in rows
    assert hashlib.sha256(body).hexdigest() == closed.final_export_sha256
