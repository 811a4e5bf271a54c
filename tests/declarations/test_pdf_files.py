"""The declaration's PDF: asked for only by its managers, built once per content, stored
under a random name, a draft's downloaded only by its managers, superseded files deleted."""

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from concord.declarations.models import Export
from concord.declarations.services import lifecycle
from tests.factories.declarations import DeclarationFactory


def pdf_page(declaration) -> str:
    with translation.override("en"):
        return reverse("declarations:pdf", args=[declaration.slug])


def build(client, user, declaration, capture) -> Export:
    client.force_login(user)
    with capture(execute=True):
        assert client.post(pdf_page(declaration), {"lang": "en"}).status_code == 302
    client.logout()
    return Export.objects.filter(declaration=declaration).order_by("-pk").first()


def test_a_drafts_pdf_has_a_random_name_and_only_its_managers_download_it(
    client, secretariat, outsider, django_capture_on_commit_callbacks
):
    draft = DeclarationFactory(created_by=secretariat, slug="secret-draft")
    export = build(client, secretariat, draft, django_capture_on_commit_callbacks)
    assert export.status == "done", export.error
    assert "secret-draft" not in export.file.name and export.file.name.endswith(".pdf")

    assert client.get(export.file.url).status_code == 404
    client.force_login(outsider)
    assert client.get(export.file.url).status_code == 404
    client.force_login(secretariat)
    response = client.get(export.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="secret-draft-en.pdf"'

    lifecycle.open_declaration(secretariat, draft)
    client.logout()
    assert client.get(export.file.url).status_code == 200


def test_a_visitor_cannot_make_the_site_build_a_pdf(client, outsider, secretariat):
    declaration = DeclarationFactory(created_by=secretariat, opened=True)
    assert client.post(pdf_page(declaration), {"lang": "en"}).status_code == 403
    client.force_login(outsider)
    assert client.post(pdf_page(declaration), {"lang": "en"}).status_code == 403
    assert not Export.objects.exists()
    page = client.get(pdf_page(declaration)).content.decode()
    assert "Prepare the PDF" not in page and "No PDF has been prepared yet." in page


def test_same_content_same_file_and_a_superseded_file_is_deleted(
    client, secretariat, django_capture_on_commit_callbacks
):
    draft = DeclarationFactory(created_by=secretariat)
    first = build(client, secretariat, draft, django_capture_on_commit_callbacks)
    again = build(client, secretariat, draft, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and Export.objects.count() == 1

    # A draft's text may still change: the PDF must then be rebuilt, and the old one goes.
    lifecycle.set_text(secretariat, draft, language="en", title="New title", text="New text.")
    newer = build(client, secretariat, draft, django_capture_on_commit_callbacks)
    assert newer.pk != first.pk and newer.status == "done"
    assert list(Export.objects.values_list("pk", flat=True)) == [newer.pk]
    assert not default_storage.exists(first.file.name)
    client.force_login(secretariat)
    assert newer.file.url in client.get(pdf_page(draft)).content.decode()
