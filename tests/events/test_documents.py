"""Badges (with a QR code that carries the signed code) and certificates of attendance."""

import io

import pytest
from pypdf import PdfReader

from concord.events import documents
from concord.events.services.checkin import badge_code, check_in
from tests.factories.accounts import UserFactory
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_badge_shows_name_organisation_country_and_the_code(event):
    person = UserFactory(name="Nour Al-Huda")
    registration = RegistrationFactory(event=event, user=person, country="JO")
    text = pdf_text(documents.badges_pdf(event, [registration], "en"))
    assert "Nour Al-Huda" in text and "Jordan" in text
    assert badge_code(registration) in text


def test_arabic_names_render_on_badges_and_certificates(event, secretariat):
    person = UserFactory(name="فاطمة الزهراء")
    registration = RegistrationFactory(event=event, user=person, country="MA")
    badge = documents.badges_pdf(event, [registration], "ar")
    assert pdf_text(badge).strip()
    fonts = {
        str(font.get("/BaseFont", ""))
        for page in PdfReader(io.BytesIO(badge)).pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    assert any("Arabic" in font for font in fonts), fonts
    check_in(secretariat, event, badge_code(registration))
    registration.refresh_from_db()
    certificate = documents.certificate_pdf(registration, "ar")
    assert certificate.startswith(b"%PDF")


def test_the_qr_code_holds_the_badge_code(event):
    registration = RegistrationFactory(event=event)
    svg = documents.qr_svg(badge_code(registration))
    assert svg.startswith("<svg") and "path" in svg


def test_the_certificate_is_only_for_those_checked_in(client, event, secretariat):
    registration = RegistrationFactory(event=event)
    client.force_login(registration.user)
    assert client.get(f"/events/{event.slug}/certificate/").status_code == 404
    check_in(secretariat, event, badge_code(registration))
    response = client.get(f"/events/{event.slug}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Certificate of attendance" in pdf_text(response.content)


def test_badges_are_for_the_participant_and_the_organisers(client, event, outsider, secretariat):
    registration = RegistrationFactory(event=event)
    client.force_login(registration.user)
    assert client.get(f"/events/{event.slug}/badge/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/events/{event.slug}/badge/").status_code == 404
    assert client.get(f"/events/{event.slug}/badges/").status_code == 403
    client.force_login(secretariat)
    sheet = client.get(f"/events/{event.slug}/badges/")
    assert sheet.status_code == 200 and registration.name in pdf_text(sheet.content)
