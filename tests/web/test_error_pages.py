"""Error pages speak the page's language inside the site's layout, with its menu."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from concord.urls import urlpatterns as site_patterns


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [*site_patterns, path("fails/", fails)]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", "Page not found"), ("/fr", "Page introuvable"), ("/ar", "الصفحة غير موجودة")],
)
def test_not_found_is_in_the_page_language_with_the_menu(client, prefix, words):
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert words in html
    assert 'nav aria-label="' in html and 'href="' + prefix + '/members/"' in html
    if prefix == "/ar":
        assert 'dir="rtl"' in html


def test_permission_denied_uses_the_layout(client, outsider):
    client.force_login(outsider)
    response = client.get("/fr/members/applications/")
    assert response.status_code == 403
    assert "Action non autorisée" in response.content.decode()


def test_an_expired_form_says_so_in_the_page_language():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fr/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_is_the_site_page_not_django_default():
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "<nav" in html
