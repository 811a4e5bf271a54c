"""The site's language, message and CSP middleware give the answers Django's and django-csp's
give, while doing less per request (concord/core/headers.py)."""

from unittest import mock

import pytest
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from concord.core import headers

pytestmark = pytest.mark.django_db


def test_an_api_answer_keeps_every_security_header(client):
    response = client.get("/api/v1/declarations", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == build_policy()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The API's paths carry no language: the default, whatever the visitor prefers.
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("path", "preferred", "language"), [("/", "fr", "en"), ("/fr/", "en", "fr"), ("/ar/", "", "ar")]
)
def test_a_page_is_in_the_language_of_its_path(client, path, preferred, language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=preferred)
    assert response["Content-Language"] == language
    assert f'lang="{language}"' in response.content.decode()


def test_the_policy_text_is_built_once_per_process(client):
    headers._policies.clear()
    with mock.patch.object(headers, "build_policy", wraps=build_policy) as built:
        first = client.get("/api/v1/declarations")["Content-Security-Policy"]
        second = client.get("/")["Content-Security-Policy"]
    assert first == second == build_policy()
    assert [call.kwargs["report_only"] for call in built.call_args_list] == [False, True]


def test_the_policy_follows_a_settings_change(client):
    client.get("/api/v1/declarations")  # keeps the settings' policy
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'"]}}):
        assert client.get("/api/v1/declarations")["Content-Security-Policy"] == "default-src 'self'"
    assert client.get("/api/v1/declarations")["Content-Security-Policy"] == build_policy()


def test_languages_found_in_paths_follow_a_settings_change():
    assert headers.language_from_path("/fr/declarations/") == "fr"
    assert headers.language_from_path("/api/v1/declarations") is None
    with override_settings(LANGUAGES=[("en", "English")]):
        assert headers.language_from_path("/fr/declarations/") is None
    assert headers.language_from_path("/fr/declarations/") == "fr"


@pytest.mark.parametrize(("path", "stored"), [("/api/v1/declarations", False), ("/", True)])
def test_only_pages_get_a_message_storage(path, stored):
    request = RequestFactory().get(path)
    request.session = {}  # type: ignore[attr-defined]
    middleware = headers.MessageMiddleware(lambda request: HttpResponse())
    middleware(request)
    assert hasattr(request, "_messages") is stored
