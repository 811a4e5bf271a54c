"""granian starts each request's environ from the process environment; concord.wsgi takes that
copy out again, so request.META holds the request only, as under gunicorn."""

import os

import pytest

from concord import wsgi
from tests.wsgi import request_environ as wsgi_request

pytestmark = pytest.mark.django_db


def request_environ(server: str, **extra: str) -> dict:
    # The request's own names win over the process environment granian copies in.
    return {**extra, **wsgi_request(server=server)}


@pytest.fixture
def seen(monkeypatch):
    """What Django was handed: the environ after concord.wsgi's filter."""
    handed: list[dict] = []

    def django_application(environ, start_response):
        handed.append(dict(environ))
        start_response("200 OK", [])
        return [b""]

    monkeypatch.setattr(wsgi, "django_application", django_application)
    monkeypatch.setattr(wsgi, "_process_environment", None)
    monkeypatch.setenv("CONCORD_TEST_SECRET", "do-not-show")
    monkeypatch.setenv("HTTP_X_FORWARDED_PROTO", "https")
    return handed


def call(environ: dict) -> None:
    wsgi.application(environ, lambda status, headers: None)


def test_granians_copy_of_the_process_environment_is_taken_out(seen):
    # As granian builds it: the whole process environment, then the request over it.
    call(request_environ("Granian", **os.environ))
    assert "CONCORD_TEST_SECRET" not in seen[0]
    # An environment variable does not pass for a header the client never sent.
    assert "HTTP_X_FORWARDED_PROTO" not in seen[0]
    assert seen[0]["PATH_INFO"] == "/healthz" and seen[0]["SERVER_NAME"] == "testserver"


def test_a_header_the_client_sent_stays(seen):
    call(request_environ("Granian", **{**os.environ, "HTTP_X_FORWARDED_PROTO": "http"}))
    assert seen[0]["HTTP_X_FORWARDED_PROTO"] == "http"


def test_under_gunicorn_the_environ_is_left_as_it_is(seen):
    environ = request_environ("gunicorn/27.0.1", HTTP_X_FORWARDED_PROTO="https")
    call(environ)
    assert seen[0] == environ
