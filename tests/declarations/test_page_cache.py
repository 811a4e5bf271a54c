"""The public declaration page is cached for anonymous watchers as the same bytes for everyone
(no CSRF token, no per-visitor value), compressed once; signed-in people and sessions still
get their own page, and their forms keep their CSRF protection."""

import gzip
import re
import time

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.cache import cache
from django.test import Client

from concord.declarations.models import Signature
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

URL = "/declarations/baku-call/"
SIGN = "/declarations/baku-call/sign/"
KENYA_ROW = '<th scope="row">Kenya</th>'


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.STATS_CACHE_SECONDS = 30
    settings.SIGN_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def signature_form(page: str, email: str) -> dict:
    """What a browser posts from the page's signing form, hidden fields as the page gave them."""
    return {
        "name": "Ana Lima", "email": email, "country": "BR", "kind": "individual",
        "show_name": "on", "website": "",
        "language": hidden(page, "language"), "started": hidden(page, "started"),
    }  # fmt: skip


def test_a_second_anonymous_visit_is_served_from_the_cache(declaration, query_count):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    Client().get(URL)
    with query_count(0):
        response = Client().get(URL)
    assert response.status_code == 200
    assert "Senegal" in response.text


def test_anonymous_visitors_get_the_same_bytes_without_any_token(declaration):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(URL)
    time.sleep(1.1)  # a per-request "form shown at" would now differ
    page_two = second.get(URL)
    assert page_one.content == page_two.content
    assert "csrfmiddlewaretoken" not in page_one.text
    assert django_settings.CSRF_COOKIE_NAME not in page_two.cookies  # nothing set per visitor
    assert signing.loads(hidden(page_one.text, "started")) <= time.time() - 1


def test_signed_in_people_get_their_own_page_with_a_token(client, declaration, owner):
    anonymous = Client().get(URL).text  # fills the cache with the anonymous page
    client.force_login(owner)
    page = client.get(URL).text
    assert 'value="owner@example.org"' in page  # the form is prefilled for them
    assert hidden(page, "csrfmiddlewaretoken")
    assert page != anonymous


def test_a_visitor_with_a_session_gets_a_page_with_a_token(declaration):
    Client().get(URL)
    browser = Client()
    browser.cookies[django_settings.SESSION_COOKIE_NAME] = "an-anonymous-session"
    assert hidden(browser.get(URL).text, "csrfmiddlewaretoken")


def test_french_and_arabic_pages_are_cached_apart(declaration, query_count):
    for prefix in ("/fr", "/ar"):
        Client().get(f"{prefix}{URL}")
    with query_count(0):
        french, again = (Client().get(f"/fr{URL}", HTTP_ACCEPT_ENCODING="gzip") for _ in "12")
        arabic = Client().get(f"/ar{URL}").text
    assert french.content == again.content  # one compressed body per language
    french = gzip.decompress(french.content).decode()
    assert '<html lang="fr" dir="ltr">' in french
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "L'Appel de Bakou" in french.replace("&#x27;", "'")


def test_the_count_shown_is_at_most_one_period_old(declaration, settings):
    settings.STATS_CACHE_SECONDS = 1
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    assert "<strong>1</strong> signature" in Client().get(URL).text
    SignatureFactory(declaration=declaration, email="b@example.org", country="KE", confirmed=True)
    assert KENYA_ROW not in Client().get(URL).text  # the same period: the cached page
    time.sleep(1.1)
    page = Client().get(URL).text
    assert "<strong>2</strong> signatures" in page and KENYA_ROW in page


def test_an_anonymous_visitor_signs_from_the_cached_page_without_a_token(declaration):
    Client().get(URL)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(URL).text
    response = browser.post(SIGN, signature_form(page, "ana@example.org"))
    assert response.status_code == 302
    signature = Signature.objects.get(email="ana@example.org")
    assert signature.user_id is None and signature.flags == ""


def test_the_bot_check_still_flags_a_too_fast_signature(declaration, settings):
    settings.SIGN_MIN_SECONDS = 60  # the page was shown a moment ago: too fast
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(URL).text
    assert browser.post(SIGN, signature_form(page, "ana@example.org")).status_code == 302
    assert "fast" in Signature.objects.get(email="ana@example.org").flags


def test_a_signed_in_person_without_a_token_is_refused(declaration, owner):
    browser = Client(enforce_csrf_checks=True)
    page = Client().get(URL).text  # the cached page, as a foreign site would copy it
    browser.force_login(owner)
    response = browser.post(SIGN, signature_form(page, "owner@example.org"))
    assert response.status_code == 403
    assert not Signature.objects.filter(email="owner@example.org").exists()


def test_a_signed_in_person_with_the_token_signs(declaration, owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    page = browser.get(URL).text
    form = signature_form(page, "owner@example.org")
    form["csrfmiddlewaretoken"] = hidden(page, "csrfmiddlewaretoken")
    assert browser.post(SIGN, form).status_code == 302
    assert Signature.objects.get(email="owner@example.org").user == owner


def test_the_language_menu_of_the_cached_page_works_without_a_token(declaration):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(URL).text
    assert 'action="/i18n/setlang/"' in page
    response = browser.post("/i18n/setlang/", {"language": "fr", "next": URL})
    assert response.status_code == 302 and response["Location"] == f"/fr{URL}"


def test_the_language_menu_still_needs_the_token_with_a_session(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post("/i18n/setlang/", {"language": "fr", "next": URL})
    assert response.status_code == 403


def test_the_page_is_compressed_once_and_served_with_its_encoding(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    plain = Client().get(URL)
    packed = Client().get(URL, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content)
    for response in (plain, packed):
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"Accept-Encoding", "Cookie"} <= vary
    assert packed["ETag"] != plain["ETag"]  # one ETag per encoding


def test_a_reload_with_the_etag_answers_not_modified(declaration):
    first = Client().get(URL, HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get(URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_the_map_is_an_image_with_a_text_alternative(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    page = Client().get(URL).text
    assert "<title>Senegal: 1</title>" not in page  # the map is no longer inline
    image = re.search(r'<img class="map" src="([^"]+)"[^>]* alt="([^"]+)"', page)
    assert image.group(1).startswith("/declarations/baku-call/map.svg?v=")
    assert "1 country with signatures" in image.group(2)
    assert re.search(r'<th scope="row">Senegal</th>', page)  # the figures, as text
    french = Client().get(f"/fr{URL}").text
    assert 'src="/fr/declarations/baku-call/map.svg?v=' in french
    assert "1 pays" in re.search(r'<img class="map"[^>]* alt="([^"]+)"', french).group(1)
