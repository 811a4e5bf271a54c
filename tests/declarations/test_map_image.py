"""The declaration's map is an image at its own URL: versioned by the counts it shows, so
browsers keep it; safe to open on its own; compressed once; a draft's stays private."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories.declarations import DeclarationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

URL = "/declarations/baku-call/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.STATS_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def map_url(page: str) -> str:
    return re.search(r'<img class="map" src="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_the_map_answers_svg_that_browsers_keep(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    response = Client().get(map_url(Client().get(URL).text))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "<title>Senegal: 1</title>" in svg
    assert "<script" not in svg.lower() and " on" not in re.sub(r'"[^"]*"', "", svg).lower()


def test_the_map_url_changes_with_the_counts(declaration, settings):
    settings.STATS_CACHE_SECONDS = 0  # every page shows the live count
    before = map_url(Client().get(URL).text)
    assert map_url(Client().get(URL).text) == before  # nothing moved: the browser's copy holds
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    after = map_url(Client().get(URL).text)
    assert after != before
    assert "<title>Senegal: 1</title>" in Client().get(after).content.decode()


def test_an_old_or_missing_version_is_not_kept_long(declaration):
    response = Client().get("/declarations/baku-call/map.svg?v=0123456789abcdef")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"


def test_the_map_is_compressed_once(declaration):
    url = map_url(Client().get(URL).text)
    plain = Client().get(url)
    packed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert "Accept-Encoding" in packed["Vary"]


def test_the_map_speaks_the_language_of_its_url(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    url = map_url(Client().get(f"/fr{URL}").text)
    assert url.startswith("/fr/")
    assert "<title>Sénégal: 1</title>" in Client().get(url).content.decode()


def test_a_drafts_map_is_hidden_from_visitors(client, secretariat):
    DeclarationFactory(created_by=secretariat, slug="draft-call", title="Draft", language="en")
    assert Client().get("/declarations/draft-call/map.svg").status_code == 404
    client.force_login(secretariat)
    response = client.get("/declarations/draft-call/map.svg")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
