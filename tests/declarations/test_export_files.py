"""The public CSV/JSON exports are built files: once per change window, once after closing."""

import hashlib
from datetime import timedelta

import pytest

from concord.declarations import export_files, exports
from concord.declarations.models import SignatoryFile, Signature
from concord.declarations.services import lifecycle
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the list was read to make an export, per format."""
    counted = {"csv": 0, "json": 0}
    for format, name in (("csv", "signatories_csv_chunks"), ("json", "signatories_json_chunks")):
        real = getattr(exports, name)

        def counting(declaration, real=real, format=format):
            counted[format] += 1
            return real(declaration)

        monkeypatch.setattr(exports, name, counting)
    return counted


def download(client, declaration, format: str = "csv"):
    response = client.get(f"/api/v1/declarations/{declaration.slug}/signatories.{format}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def sign(declaration, name: str, email: str):
    return SignatureFactory(declaration=declaration, email=email, name=name, confirmed=True)


def queue_without_running(monkeypatch) -> list:
    """Builds asked for, left queued (as when the worker is busy or away)."""
    queued: list = []

    class Queue:
        @staticmethod
        def enqueue(*args):
            queued.append(args)

    monkeypatch.setattr(export_files, "build_signatory_file", Queue)
    return queued


def age_files(declaration, seconds: float) -> None:
    """Let time pass: the files and the signatures are all that much older."""
    for built in SignatoryFile.objects.filter(declaration=declaration):
        built.built_at -= timedelta(seconds=seconds)
        built.save(update_fields=["built_at"])
    for signature in Signature.objects.filter(declaration=declaration):
        signature.confirmed_at -= timedelta(seconds=seconds)
        signature.save(update_fields=["confirmed_at"])


@pytest.mark.parametrize("format", ["csv", "json"])
def test_two_requests_in_one_window_cost_one_build(client, declaration, builds, format):
    sign(declaration, "Awa Diallo", "awa@example.org")
    first, first_body = download(client, declaration, format)
    sign(declaration, "Bakary Camara", "bakary@example.org")
    second, second_body = download(client, declaration, format)
    assert first.status_code == second.status_code == 200
    assert builds[format] == 1
    assert second_body == first_body and b"Awa Diallo" in first_body
    assert second["ETag"] == f'"{hashlib.sha256(first_body).hexdigest()}"'


def test_a_new_signature_after_the_window_gives_a_new_file(client, declaration, settings, builds):
    sign(declaration, "Awa Diallo", "awa@example.org")
    _, old = download(client, declaration)
    sign(declaration, "Bakary Camara", "bakary@example.org")
    age_files(declaration, settings.SIGNATORY_EXPORT_SECONDS + 1)
    _, new = download(client, declaration)
    assert b"Bakary Camara" in new and b"Bakary Camara" not in old
    assert builds["csv"] == 2
    # The superseded file is gone; one remains.
    assert SignatoryFile.objects.filter(declaration=declaration, format="csv").count() == 1


def test_an_unchanged_list_is_not_rebuilt_after_the_window(client, declaration, settings, builds):
    sign(declaration, "Awa Diallo", "awa@example.org")
    download(client, declaration)
    age_files(declaration, settings.SIGNATORY_EXPORT_SECONDS + 1)
    download(client, declaration)
    assert builds["csv"] == 1


def test_a_stale_file_is_served_at_once_and_rebuilt_in_the_background(
    client, declaration, settings, monkeypatch
):
    sign(declaration, "Awa Diallo", "awa@example.org")
    _, old = download(client, declaration)
    queued = queue_without_running(monkeypatch)
    sign(declaration, "Bakary Camara", "bakary@example.org")
    age_files(declaration, settings.SIGNATORY_EXPORT_SECONDS + 1)
    for _ in range(3):
        response, body = download(client, declaration)
        assert response.status_code == 200 and body == old
    assert queued == [(declaration.pk, "csv")]  # one build asked for, not one per request


def test_without_a_file_the_first_request_answers_being_prepared(client, declaration, monkeypatch):
    queued = queue_without_running(monkeypatch)
    for _ in range(2):
        response, _body = download(client, declaration)
        assert response.status_code == 503
        assert response["Retry-After"]
        assert response.json()["code"] == "being_prepared"
    assert queued == [(declaration.pk, "csv")]


def test_a_closed_declaration_serves_exactly_the_fingerprinted_bytes(
    client, declaration, secretariat, builds, django_capture_on_commit_callbacks
):
    sign(declaration, "Awa Diallo", "awa@example.org")
    download(client, declaration)  # a file from while it was open
    sign(declaration, "Bakary Camara", "bakary@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        closed = lifecycle.close_declaration(secretariat, declaration)
    # Whatever happens to the rows afterwards, the final file is what was fingerprinted.
    Signature.objects.filter(declaration=declaration).update(role="Changed later")
    for _ in range(2):
        response, body = download(client, closed)
        assert response.status_code == 200
        assert hashlib.sha256(body).hexdigest() == closed.final_export_sha256
    assert b"Bakary Camara" in body and b"Changed later" not in body
    assert builds["csv"] == 2  # the open one, and the final one at closing: no more
    final = SignatoryFile.objects.get(declaration=declaration, format="csv")
    assert final.final and final.sha256 == closed.final_export_sha256


def test_a_closed_declarations_json_is_built_once(client, declaration, secretariat, builds):
    sign(declaration, "Awa Diallo", "awa@example.org")
    closed = lifecycle.close_declaration(secretariat, declaration)
    _, first = download(client, closed, "json")
    Signature.objects.filter(declaration=declaration).update(role="Changed later")
    age_files(declaration, 10**6)
    _, second = download(client, closed, "json")
    assert first == second and builds["json"] == 1
