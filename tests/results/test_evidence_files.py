"""Users' files: stored under names their checked content implies, served only through the
view that asks the owning app, with headers that keep a browser from running them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.core import files
from concord.results.services import updates

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_pdf_that_holds_a_web_page_is_refused(colleague, indicator):
    _, periods = indicator
    upload = SimpleUploadedFile("page.html", POLYGLOT, content_type="text/html")
    with pytest.raises(ValidationError) as error:
        updates.save_update(colleague, periods[0], {"value": "1"}, [upload])
    assert "not a PDF or an image" in str(error.value)


def test_evidence_is_stored_with_the_extension_of_its_checked_type(colleague, indicator):
    _, periods = indicator
    upload = SimpleUploadedFile("page.html", PDF, content_type="text/html")
    update = updates.save_update(colleague, periods[0], {"value": "1"}, [upload])
    evidence = update.evidence.get()
    assert evidence.file.name.endswith(".pdf") and "page" not in evidence.file.name
    assert (evidence.name, evidence.content_type) == ("page.pdf", "application/pdf")


def test_evidence_is_served_as_an_attachment_of_its_stored_type(
    client, owner, colleague, indicator
):
    _, periods = indicator
    upload = SimpleUploadedFile("r.html", PDF)
    update = updates.save_update(colleague, periods[0], {"value": "5", "submit": True}, [upload])
    updates.approve_update(owner, update)
    evidence = update.evidence.get()
    response = client.get(evidence.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == PDF


def test_a_draft_updates_evidence_is_refused_to_outsiders_and_anonymous(
    client, owner, colleague, outsider, secretariat, indicator
):
    _, periods = indicator
    update = updates.save_update(
        colleague, periods[0], {"value": "1"}, [SimpleUploadedFile("draft.pdf", PDF)]
    )
    url = update.evidence.get().file.url
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    for allowed in (colleague, owner, secretariat):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed
        assert response["Cache-Control"] == "private, no-store"


def test_files_no_app_owns_are_not_served(client):
    name = default_storage.save("notes.html", ContentFile(b"<script>alert(1)</script>"))
    orphan = default_storage.save("results/evidence/orphan.pdf", ContentFile(PDF))
    try:
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/media/{orphan}").status_code == 404
        assert client.get(f"/media/results/evidence/../../{name}").status_code == 404
    finally:
        default_storage.delete(name)
        default_storage.delete(orphan)


def test_on_another_origin_a_drafts_file_needs_a_signed_link(
    client, colleague, indicator, settings
):
    # Files on another host get no session cookie: the page the owner sees signs the link.
    settings.MEDIA_URL = "https://files.example.org/media/"
    _, periods = indicator
    update = updates.save_update(
        colleague, periods[0], {"value": "1"}, [SimpleUploadedFile("draft.pdf", PDF)]
    )
    name = update.evidence.get().file.name
    link = files.url_for(name)
    assert link.startswith("https://files.example.org/media/")
    path = link.removeprefix("https://files.example.org")
    assert client.get(path).status_code == 200
    assert client.get(path.split("?")[0]).status_code == 404
    assert client.get(path[:-2] + "xx").status_code == 404
    settings.MEDIA_LINK_SECONDS = -1
    assert client.get(path).status_code == 404
