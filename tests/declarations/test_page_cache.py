"""The public declaration page is cached for anonymous watchers, but never shared wrongly:
each visitor still gets their own CSRF token and bot-check time, and signed-in people
always get their own page."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from concord.declarations.models import Signature
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

URL = "/declarations/baku-call/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.STATS_CACHE_SECONDS = 30
    settings.SIGN_MIN_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def test_a_second_anonymous_visit_is_served_from_the_cache(declaration, query_count):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    Client().get(URL)
    with query_count(0):
        response = Client().get(URL)
    assert response.status_code == 200
    assert "Senegal" in response.text


def test_each_visitor_gets_their_own_token_and_time(declaration):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(URL).text
    time.sleep(1.1)
    page_two = second.get(URL).text
    assert "placeholder" not in page_one and "placeholder" not in page_two
    assert hidden(page_one, "csrfmiddlewaretoken") != hidden(page_two, "csrfmiddlewaretoken")
    started_one = signing.loads(hidden(page_one, "started"))
    started_two = signing.loads(hidden(page_two, "started"))
    assert started_two > started_one
    # The second visitor signs with the values of the cached page: accepted, not flagged.
    response = second.post(
        "/declarations/baku-call/sign/",
        {
            "name": "Ana Lima", "email": "ana@example.org", "country": "BR", "kind": "individual",
            "show_name": "on", "language": "en", "website": "",
            "started": hidden(page_two, "started"),
            "csrfmiddlewaretoken": hidden(page_two, "csrfmiddlewaretoken"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert Signature.objects.get(email="ana@example.org").flags == ""


def test_signed_in_people_get_their_own_page(client, declaration, owner):
    Client().get(URL)  # fills the cache with the anonymous page
    client.force_login(owner)
    page = client.get(URL).text
    assert 'value="owner@example.org"' in page  # the form is prefilled for them


def test_the_shown_count_follows_the_statistics_cache(declaration, settings):
    settings.STATS_CACHE_SECONDS = 0  # no caching at all: every visit shows the live count
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    Client().get(URL)
    SignatureFactory(declaration=declaration, email="b@example.org", country="KE", confirmed=True)
    assert "Kenya" in Client().get(URL).text
