"""Security headers on pages, and CSRF protection on forms."""

import re

import pytest
from django.test import Client

from concord.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:
    directives = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("path", ["/", "/ar/", "/accounts/login/"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "*" not in header


def test_home_page_has_no_inline_script_or_style(client):
    html = client.get("/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_pages_may_not_be_framed_or_sniffed(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_form_post_without_csrf_token_is_refused(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)

    response = browser.post("/account/tokens/", {"name": "CRM sync"})

    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=owner).exists()


def test_the_same_form_post_with_the_csrf_token_is_accepted(owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    page = browser.get("/account/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())

    response = browser.post(
        "/account/tokens/", {"name": "CRM sync", "csrfmiddlewaretoken": token.group(1)}
    )

    assert response.status_code == 302
    assert ApiToken.objects.filter(user=owner, name="CRM sync").count() == 1
