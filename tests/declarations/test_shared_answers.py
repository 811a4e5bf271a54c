"""The page and statistics everyone without a cookie gets alike are answered in front of
Django (core/shared_answers.py), through the whole WSGI application of concord.wsgi: the
same bytes and headers Django gave, for no longer than their figures are fresh, and never to
a visitor with a cookie, another encoding, a conditional request or another host."""

import gzip

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from concord import wsgi
from concord.core import shared_answers
from concord.core.precompressed import SHARED_FOR
from tests.wsgi import request_environ

pytestmark = pytest.mark.django_db

PAGE = "/declarations/baku-call/"
STATS = "/api/v1/declarations/baku-call/stats"


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.STATS_CACHE_SECONDS = 30
    shared_answers.forget()
    cache.clear()
    # As Django's test client does: the handler would close the test's own connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    shared_answers.forget()


@pytest.fixture
def django_runs(monkeypatch):
    """How many requests reached Django."""
    calls: list[str] = []
    real = wsgi.django_application

    def counted(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return real(environ, start_response)

    monkeypatch.setattr(wsgi, "django_application", counted)
    return calls


def get(path: str, method: str = "GET", **headers: str) -> tuple[str, dict, bytes]:
    environ = {
        **request_environ(path, method),
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    answered: dict = {}

    def start_response(status, response_headers, exc_info=None):
        answered["status"], answered["headers"] = status, response_headers

    body = b"".join(wsgi.application(environ, start_response))
    return answered["status"], {k.lower(): v for k, v in answered["headers"]}, body


def test_a_crowd_gets_the_page_from_the_first_answer(declaration, django_runs):
    first = get(PAGE, ACCEPT_ENCODING="gzip")
    assert first[0].startswith("200")
    again = [get(PAGE, ACCEPT_ENCODING="gzip") for _ in range(3)]
    assert django_runs == [PAGE]
    assert all(answer == first for answer in again)
    _status, headers, body = first
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"<!doctype html>")
    assert SHARED_FOR.lower() not in headers  # the mark never leaves the process
    assert "content-security-policy" in headers and headers["x-frame-options"] == "DENY"


def test_each_encoding_and_each_host_has_its_own_answer(declaration, django_runs):
    gzipped = get(PAGE, ACCEPT_ENCODING="gzip")
    plain = get(PAGE)
    assert "content-encoding" not in plain[1]
    assert gzip.decompress(gzipped[2]) == plain[2]
    get(PAGE, ACCEPT_ENCODING="gzip")
    get(PAGE)
    assert django_runs == [PAGE, PAGE]
    get(PAGE, HOST="other.example")  # Django judges each host itself (ALLOWED_HOSTS)
    get(PAGE, X_FORWARDED_PROTO="https")  # and each scheme (the HTTPS redirect)
    assert len(django_runs) == 4


def test_visitors_with_a_cookie_or_a_condition_reach_django(declaration, django_runs):
    get(PAGE)
    get(PAGE, COOKIE="sessionid=abc")
    get(PAGE, IF_NONE_MATCH='"x"')
    get(PAGE, AUTHORIZATION="Bearer x")
    get(PAGE, method="HEAD")
    assert len(django_runs) == 5


def test_the_statistics_are_shared_no_longer_than_they_are_fresh(
    declaration, django_runs, settings, monkeypatch
):
    import time as clock

    first = get(STATS)
    assert first[0].startswith("200") and get(STATS) == first
    assert django_runs == [STATS]
    later = clock.time() + settings.STATS_CACHE_SECONDS + 1
    monkeypatch.setattr(shared_answers.time, "time", lambda: later)
    get(STATS)
    assert django_runs == [STATS, STATS]


def test_answers_not_marked_as_shared_are_never_kept(declaration, django_runs):
    get("/healthz")
    get("/healthz")
    get("/declarations/")
    get("/declarations/")
    assert len(django_runs) == 4


def test_a_draft_is_never_shared(declaration, django_runs):
    declaration.status = declaration.Status.DRAFT
    declaration.save()
    get(STATS)
    get(STATS)
    assert len(django_runs) == 2
