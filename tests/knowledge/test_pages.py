"""Pages: search in each language, the case study page, writing and reviewing, uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from concord.knowledge.models import Document, Photo, Practice
from concord.knowledge.services import media
from tests.factories.knowledge import PracticeFactory
from tests.organisations.test_logo import claimed_size_png, image_file

pytestmark = pytest.mark.django_db

FORM = {
    "organisation": None,
    "title": "Zaï pits bring crusted land back",
    "summary": "Farmers dig zaï pits filled with manure that hold rain water.",
    "language": "en",
    "setting": "drylands",
    "countries": ["BF"],
    "themes": ["food-agriculture"],
    "block_1_title": "Digging teams",
    "block_1_lessons": "Start before the rains.",
}


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_search_page_in_each_language(client, member_org, prefix):
    practice = PracticeFactory(organisation=member_org)
    response = client.get(f"{prefix}/practices/", {"q": "mangroves", "mode": "fulltext"})
    assert response.status_code == 200
    assert f"/practices/{practice.pk}/" in response.text
    assert "<mark>mangroves</mark>" in response.text


def test_bad_search_shows_a_message_not_an_error(client):
    response = client.get("/practices/", {"q": "x" * 10_000, "theme": "astrology"})
    assert response.status_code == 200
    assert 'role="alert"' in response.text


def test_semantic_off_is_said_on_the_page(client, member_org, settings):
    from concord.knowledge.embeddings import _load

    PracticeFactory(organisation=member_org)
    settings.EMBEDDING_MODEL = "none"
    _load.cache_clear()
    try:
        response = client.get("/practices/", {"q": "mangroves"})
        assert "Search by meaning is off" in response.text
        assert "Mangrove belts" in response.text
    finally:
        _load.cache_clear()


@pytest.mark.parametrize("rows", [1, 3])
def test_search_page_query_count_does_not_grow(client, member_org, rows, query_count):
    PracticeFactory(organisation=member_org)
    for index in range(rows - 1):
        PracticeFactory(organisation=member_org, title=f"Mangroves {index}", countries=("SN", "GM"))
    client.get("/practices/", {"q": "mangroves"})
    with query_count(16):
        client.get("/practices/", {"q": "mangroves"})


def test_write_and_submit_through_the_pages(client, member_org, colleague, secretariat):
    client.force_login(colleague)
    response = client.post("/practices/new/", {**FORM, "organisation": member_org.pk})
    assert response.status_code == 302, response.content
    practice = Practice.objects.get()
    assert [b.title for b in practice.blocks.all()] == ["Digging teams"]
    client.post(f"/practices/{practice.pk}/submit/")
    assert Practice.objects.get().status == "submitted"
    client.force_login(secretariat)
    assert practice.title in client.get("/practices/review/").text
    client.post(f"/practices/{practice.pk}/review/", {"action": "return", "comment": "Add yields."})
    assert Practice.objects.get().status == "returned"
    client.force_login(colleague)
    assert "Add yields." in client.get(f"/practices/{practice.pk}/").text


def test_outsider_cannot_open_drafts_or_the_review_queue(client, member_org, outsider):
    draft = PracticeFactory(organisation=member_org, status="draft")
    client.force_login(outsider)
    assert client.get(f"/practices/{draft.pk}/").status_code == 404
    assert client.get("/practices/review/").status_code == 403
    assert client.get("/practices/new/").status_code == 403


def test_detail_shows_map_adaptations_similar_and_escapes_text(
    client, member_org, other_org, adapter
):
    practice = PracticeFactory(organisation=member_org, summary="Shore <b>bold</b> & mangroves")
    PracticeFactory(
        organisation=member_org,
        title="Mangrove nurseries",
        summary="Nurseries of mangrove seedlings.",
    )
    client.force_login(adapter)
    client.post(
        f"/practices/{practice.pk}/adaptations/",
        {"organisation": other_org.pk, "country": "BD", "place": "Khulna", "account": "We did it."},
    )
    page = client.get(f"/practices/{practice.pk}/").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<svg" in page and "Adapted in 1 country." in page
    assert "Khulna" in page and "Mangrove nurseries" in page


def _media(client, user, practice, data):
    client.force_login(user)
    return client.post(f"/practices/{practice.pk}/media/", data)


def test_photo_is_reencoded_without_location(client, member_org, owner):
    practice = PracticeFactory(organisation=member_org)
    response = _media(
        client, owner, practice, {"image": image_file("p.jpg", (3000, 1000), "JPEG", exif=True)}
    )
    assert response.status_code == 302
    with Image.open(Photo.objects.get().image.path) as stored:
        assert stored.format == "WEBP" and max(stored.size) == 1600 and not stored.getexif()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("p.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"),
        SimpleUploadedFile("p.png", claimed_size_png(30000, 30000), content_type="image/png"),
    ],
)
def test_disguised_or_bomb_photos_are_refused(client, member_org, owner, upload):
    practice = PracticeFactory(organisation=member_org)
    response = _media(client, owner, practice, {"image": upload})
    assert response.status_code == 200 and "errorlist" in response.text
    assert not Photo.objects.exists()


def test_pdf_is_checked_by_content_and_size(client, member_org, owner):
    practice = PracticeFactory(organisation=member_org)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _media(client, owner, practice, {"file": fake, "title": "Report"})
    assert "Upload a PDF document." in response.text
    assert not Document.objects.exists()
    real = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert _media(client, owner, practice, {"file": real, "title": "Report"}).status_code == 302
    assert Document.objects.get().size > 0


def test_oversized_pdf_is_refused(client, member_org, owner, monkeypatch):
    monkeypatch.setattr(media, "DOCUMENT_MAX_BYTES", 100)
    practice = PracticeFactory(organisation=member_org)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 500 + b"\n%%EOF\n")
    response = _media(client, owner, practice, {"file": big, "title": "Big"})
    assert "too large" in response.text
    assert not Document.objects.exists()


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("path", "person", "queries"),
    # The review page's seventh query lists published case studies with media waiting.
    [("/practices/review/", "secretariat", 7), ("/practices/mine/", "owner", 7)],
)
def test_review_and_own_lists_query_counts_do_not_grow(
    client, member_org, owner, secretariat, path, person, queries, rows, query_count
):
    PracticeFactory(organisation=member_org, status="submitted")
    for index in range(rows - 1):
        PracticeFactory(
            organisation=member_org,
            status="submitted",
            title=f"Case {index}",
            countries=("SN", "ML"),
        )
    client.force_login({"secretariat": secretariat, "owner": owner}[person])
    client.get(path)
    with query_count(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_adaptations_endpoint_query_count_does_not_grow(client, member_org, rows, query_count):
    from concord.knowledge.models import Adaptation
    from tests.factories.organisations import OrganisationFactory

    practice = PracticeFactory(organisation=member_org)
    path = f"/api/v1/practices/{practice.pk}/adaptations"
    first = OrganisationFactory(name="Adapter 0", country_id="BD")
    Adaptation.objects.create(practice=practice, organisation=first, country_id="BD", account="x")
    for index in range(1, rows):
        other = OrganisationFactory(name=f"Adapter {index}", country_id="KE")
        Adaptation.objects.create(
            practice=practice, organisation=other, country_id="KE", account="y"
        )
    client.get(path)
    with query_count(12):
        assert client.get(path).status_code == 200
