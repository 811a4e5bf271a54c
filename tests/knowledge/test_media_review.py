"""Photos and PDFs added to a published case study wait for the secretariat before anyone
else sees them; a draft's files are seen only by its authors and the secretariat."""

from django.core.files.uploadedfile import SimpleUploadedFile

from concord.knowledge.models import Document, Photo
from tests.factories.knowledge import PracticeFactory
from tests.organisations.test_logo import image_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WAITING = "Waiting for the secretariat's review"


def _upload(client, owner, practice):
    client.force_login(owner)
    client.post(f"/practices/{practice.pk}/media/", {"image": image_file("p.png", (40, 30), "PNG")})
    pdf = SimpleUploadedFile("plan.pdf", PDF)
    client.post(f"/practices/{practice.pk}/media/", {"file": pdf, "title": "Plan"})
    client.logout()
    return Photo.objects.get(), Document.objects.get()


def test_media_added_to_a_published_case_study_wait_for_review(
    client, member_org, owner, outsider, secretariat
):
    practice = PracticeFactory(organisation=member_org)
    photo, document = _upload(client, owner, practice)
    assert photo.awaits_review and document.awaits_review

    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert photo.image.url not in page and document.file.url not in page
    assert client.get(photo.image.url).status_code == 404
    client.force_login(outsider)
    assert client.get(document.file.url).status_code == 404

    client.force_login(owner)
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert photo.image.url in page and WAITING in page
    assert client.get(document.file.url).status_code == 200

    client.force_login(secretariat)
    review = client.get("/practices/review/").content.decode()
    assert document.file.url in review
    assert client.post(f"/practices/{practice.pk}/review/media/").status_code == 302

    client.logout()
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert photo.image.url in page and WAITING not in page
    image = client.get(photo.image.url)
    assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Disposition"].startswith("inline;")
    pdf = client.get(document.file.url)
    assert (pdf["Content-Type"], pdf["Content-Disposition"][:11]) == (
        "application/pdf",
        "attachment;",
    )


def test_only_the_secretariat_approves_waiting_media(client, member_org, owner):
    practice = PracticeFactory(organisation=member_org)
    photo, _ = _upload(client, owner, practice)
    client.force_login(owner)
    assert client.post(f"/practices/{practice.pk}/review/media/").status_code == 403
    photo.refresh_from_db()
    assert photo.awaits_review


def test_a_drafts_files_are_not_public(client, member_org, owner, outsider):
    practice = PracticeFactory(organisation=member_org, status="draft")
    photo, document = _upload(client, owner, practice)
    assert not photo.awaits_review  # reviewed with the case study itself
    for who in (None, outsider):
        if who:
            client.force_login(who)
        assert client.get(photo.image.url).status_code == 404
        assert client.get(document.file.url).status_code == 404
    client.force_login(owner)
    assert client.get(document.file.url).status_code == 200
