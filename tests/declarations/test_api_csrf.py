"""A browser session counts on an unsafe API call only with a valid CSRF token: a page on
another site cannot make a signed-in person's browser sign (or act) in their name."""

import pytest
from django.conf import settings
from django.test import Client

from concord.declarations.models import Signature
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/declarations/baku-call/signatures"


@pytest.fixture
def browser():
    """A signed-in person's browser, with CSRF checks on as in production."""
    client = Client(enforce_csrf_checks=True)
    person = UserFactory(email="nadia@example.org", name="Nadia")
    client.force_login(person)
    return client


def sign(client, **headers):
    body = {"name": "Nadia", "email": "nadia@example.org", "country": "MZ", "kind": "individual"}
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_foreign_page_cannot_sign_as_the_session_user(
    browser, declaration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign(browser, HTTP_ORIGIN="https://attacker.example")
    assert response.status_code == 202
    signature = Signature.objects.get(email="nadia@example.org")
    assert signature.status == Signature.Status.PENDING  # waits for the emailed link
    assert signature.user_id is None


def test_a_session_with_a_valid_csrf_token_signs_as_the_user(browser, declaration):
    browser.get("/accounts/email/")  # a page with a form hands out the CSRF cookie
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = sign(browser, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 202
    signature = Signature.objects.get(email="nadia@example.org")
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.user.email == "nadia@example.org"


def test_endpoints_that_need_sign_in_still_refuse_without_a_token(browser, declaration):
    response = browser.post(
        "/api/v1/declarations/baku-call/close",
        {},
        content_type="application/json",
        HTTP_ORIGIN="https://attacker.example",
    )
    assert response.status_code in (401, 403)
