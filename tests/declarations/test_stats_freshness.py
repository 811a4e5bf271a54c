"""How long cached statistics stay fresh is one rule (queries.fresh_for): the page and the
/stats answer show the same count for as long as their figures are fresh, and both show the
new count once they are not."""

import gzip
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client

from concord.declarations import queries
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

PAGE = "/declarations/baku-call/"
STATS = "/api/v1/declarations/baku-call/stats"


@pytest.fixture(autouse=True)
def caching(settings):
    settings.STATS_CACHE_SECONDS = 1
    cache.clear()
    yield
    cache.clear()


def shown(page: str) -> int:
    return int(re.search(r"<strong>(\d+)</strong> signatures?", page).group(1))


def counts() -> tuple[int, int]:
    return shown(Client().get(PAGE).text), Client().get(STATS).json()["signatures"]


def test_page_and_api_follow_the_same_freshness(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", confirmed=True)
    started = time.time()
    assert counts() == (1, 1)
    SignatureFactory(declaration=declaration, email="b@example.org", confirmed=True)
    if time.time() - started < 0.9:  # both still within the figures' freshness
        assert counts() == (1, 1)
    time.sleep(max(0, started + 1.1 - time.time()))
    assert counts() == (2, 2)


def test_the_rule(declaration, settings):
    stats = queries.declaration_stats(declaration)
    assert 0.9 < queries.fresh_for(stats) <= 1
    settings.STATS_CACHE_SECONDS = 0
    assert queries.fresh_for(stats) == 0


def test_the_stats_answer_is_compressed_once_for_everyone(declaration, settings):
    settings.STATS_CACHE_SECONDS = 30
    SignatureFactory(declaration=declaration, email="a@example.org", confirmed=True)
    plain = Client().get(STATS)
    first, second = (Client().get(STATS, HTTP_ACCEPT_ENCODING="gzip") for _ in "12")
    assert first["Content-Encoding"] == "gzip" and first["ETag"] == second["ETag"]
    assert gzip.decompress(second.content) == plain.content
    assert "Accept-Encoding" in second["Vary"]
