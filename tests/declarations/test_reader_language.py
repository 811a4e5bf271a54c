"""Which language version a reader gets is Declaration.text_for: the version asked for, then
the reader's language, then the original. The page, the signature recorded through the page
and through the API, and the confirmation email all follow it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature
from tests.declarations.test_pages import form_data

pytestmark = pytest.mark.django_db

ENGLISH = "The Baku Call for Climate Justice"
FRENCH = "L'Appel de Bakou pour la justice climatique"
FRENCH_IN_HTML = "Bakou pour la justice climatique"


@pytest.fixture(autouse=True)
def fresh_signing_checks():
    cache.clear()


def test_the_model_rule(declaration):
    assert declaration.text_for("fr").title == FRENCH
    assert declaration.text_for("", "fr").title == FRENCH  # nothing asked: the reader's
    assert declaration.text_for("es", "de").title == ENGLISH  # neither exists: the original
    assert declaration.text_for("en", "fr").title == ENGLISH  # asked for beats the reader's


def test_the_page_shows_the_version_asked_for_then_the_readers(client, declaration):
    with translation.override("en"):
        url = reverse("declarations:detail", args=[declaration.slug])
    assert FRENCH_IN_HTML in client.get(url, {"text": "fr"}).content.decode()
    assert ENGLISH in client.get(url).content.decode()
    with translation.override("fr"):
        french_url = reverse("declarations:detail", args=[declaration.slug])
    assert french_url != url
    assert FRENCH_IN_HTML in client.get(french_url).content.decode()


@pytest.mark.parametrize(("language", "title"), [("fr", FRENCH), ("es", ENGLISH)])
def test_page_and_api_record_and_email_the_same_version(
    client, declaration, language, title, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        sign_url = reverse("declarations:sign", args=[declaration.slug])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(sign_url, form_data("page@example.org", language=language))
        api = client.post(
            f"/api/v1/declarations/{declaration.slug}/signatures",
            {"name": "Ana", "email": "api@example.org", "country": "MZ", "language": language},
            content_type="application/json",
        )
    assert page.status_code == 302 and api.status_code == 202
    by_page = Signature.objects.get(email="page@example.org")
    by_api = Signature.objects.get(email="api@example.org")
    assert by_page.language == by_api.language == declaration.text_for(language).language
    assert by_page.text_sha256 == by_api.text_sha256 != ""
    for email in ("page@example.org", "api@example.org"):
        assert title in OutgoingEmail.objects.get(to=email).subject


def test_a_simplified_chinese_reader_gets_the_text_stored_as_chinese(declaration):
    # Chinese versions are stored as "zh"; the interface's Chinese is "zh-hans".
    declaration.texts.create(
        language="zh", title="巴库气候正义呼吁", body="我们呼吁公平的气候资金。"
    )
    declaration = type(declaration).objects.get(pk=declaration.pk)
    assert declaration.text_for("", "zh-hans").title == "巴库气候正义呼吁"
    assert declaration.text_for("", "zh-hant").title == "巴库气候正义呼吁"
    assert declaration.text_for("pt-br").title == ENGLISH
