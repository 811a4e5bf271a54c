"""Only the embeddable form may be framed by other sites, and it sets no cookie."""

import re

import pytest
from django.test import Client

from tests.declarations.test_embed import EMBED, posted
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_signers(settings):
    settings.SIGN_MIN_SECONDS = 0


def frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]+)", response["Content-Security-Policy"]).group(1)


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_embed_may_be_framed_by_any_site(declaration, prefix):
    response = Client().get(prefix + EMBED)
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    # Its one inline stylesheet is allowed by its hash, nothing else inline.
    policy = response["Content-Security-Policy"]
    assert re.search(r"style-src 'self' 'sha256-[\w+/=]+'", policy)
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    "path",
    [
        "/declarations/baku-call/",
        "/ar/declarations/baku-call/",
        "/declarations/baku-call/signed/",
        "/declarations/",
        "/",
    ],
)
def test_every_other_page_refuses_to_be_framed(declaration, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_the_refused_and_the_accepted_post_keep_their_headers(declaration):
    page = Client().get(EMBED).text
    for form in (posted(page, "ana@example.org"), posted(page, "ana@example.org", form_token="")):
        response = Client(enforce_csrf_checks=True).post(EMBED, form)
        assert response.status_code in (200, 403)
        assert frame_ancestors(response) == "*" and "X-Frame-Options" not in response


def no_cookie(response) -> bool:
    return not response.cookies and "Set-Cookie" not in response.headers


def test_no_answer_of_the_embed_sets_a_cookie(declaration):
    SignatureFactory(declaration=declaration, email="seen@example.org", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    shown = client.get("/fr" + EMBED)
    assert shown.status_code == 200 and no_cookie(shown)
    page = shown.text
    answers = [
        client.post("/fr" + EMBED, posted(page, "ana@example.org")),  # accepted
        client.post("/fr" + EMBED, posted(page, "seen@example.org")),  # signed already
        client.post("/fr" + EMBED, posted(page, "not-an-address")),  # bad input
        client.post("/fr" + EMBED, posted(page, "ana@example.org", form_token="x")),  # stale
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 422, 403]
    assert all(no_cookie(answer) for answer in answers)


def test_the_ordinary_page_still_sets_the_csrf_cookie_for_a_session(declaration, owner):
    """The contrast that shows the check above can fail: a form with Django's token does."""
    client = Client()
    client.force_login(owner)
    assert "csrftoken" in client.get("/declarations/baku-call/").cookies
