"""The signing form members frame on their own sites: small, without JavaScript, and
working with no cookie at all (a signed form token stands in for the CSRF cookie)."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from concord.declarations.models import TITLE_MAX, Signature
from concord.declarations.services import lifecycle
from concord.declarations.views import embed
from tests.factories.declarations import DeclarationFactory, SignatureFactory

pytestmark = pytest.mark.django_db

EMBED = "/declarations/baku-call/embed/"
BUDGET = 15 * 1024


@pytest.fixture(autouse=True)
def quick_signers(settings):
    settings.SIGN_MIN_SECONDS = 0


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def posted(page: str, email: str, **changes) -> dict:
    """What a browser posts from the framed form, hidden fields as the page gave them."""
    form = {
        "name": "Ana Lima", "email": email, "country": "BR", "kind": "individual",
        "show_name": "on", "website": "",
        "language": hidden(page, "language"), "started": hidden(page, "started"),
        "form_token": hidden(page, "form_token"), "via": hidden(page, "via"),
    }  # fmt: skip
    form.update(changes)
    return form


def browser() -> Client:
    """A browser inside another site's frame: CSRF enforced, and no cookie ever kept."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("prefix", ["", "/ar", "/fr", "/zh-hans", "/ru"])
def test_the_page_is_small_and_whole(declaration, prefix):
    SignatureFactory(declaration=declaration, email="a@example.org", confirmed=True)
    response = browser().get(prefix + EMBED)
    assert response.status_code == 200
    assert len(response.content) < BUDGET, len(response.content)
    page = response.text
    assert '<select name="country"' in page and page.count("<option") > 200
    assert "<link" not in page and "<script" not in page  # one request, nothing to run
    assert re.search(r"<p class=\"count\">1 ", page)


@pytest.mark.parametrize(("language", "letter"), [("ru", "Б"), ("ar", "ن")])
def test_the_page_fits_with_the_longest_title_and_every_error(
    declaration, secretariat, language, letter
):
    """The worst case: a title at the limit in two-byte letters, and the form sent back
    with a message for each field."""
    lifecycle.set_text(
        secretariat, declaration, language=language, title=letter * TITLE_MAX, text=letter
    )
    url = f"/{language}{EMBED}"
    page = browser().get(url).text
    response = browser().post(url, posted(page, "not-an-address", name="", country="??"))
    assert response.status_code == 422 and response.text.count('class="errorlist"') >= 3
    assert len(response.content) < BUDGET, len(response.content)


def test_arabic_is_laid_out_right_to_left(declaration):
    page = browser().get("/ar" + EMBED).text
    assert '<html lang="ar" dir="rtl">' in page
    assert '<html lang="fr" dir="ltr">' in browser().get("/fr" + EMBED).text


def test_the_form_posts_to_this_site_by_an_absolute_path(declaration):
    page = browser().get("/fr" + EMBED).text
    assert re.search(r'<form method="post" action="/fr/declarations/baku-call/embed/"', page)
    assert "csrfmiddlewaretoken" not in page


def test_a_post_without_any_cookie_signs(declaration, django_capture_on_commit_callbacks):
    client = browser()
    page = client.get(EMBED).text
    client.cookies.clear()  # a third-party frame: the browser sends none back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMBED, posted(page, "ana@example.org"))
    assert response.status_code == 200
    assert "Check your email" in response.text
    signature = Signature.objects.get(email="ana@example.org")
    assert signature.user_id is None and signature.flags == ""


def test_the_answer_is_the_same_whatever_the_address(declaration, owner):
    SignatureFactory(declaration=declaration, email="seen@example.org", confirmed=True)
    page = browser().get(EMBED).text
    first = browser().post(EMBED, posted(page, "seen@example.org"))
    second = browser().post(EMBED, posted(page, "new@example.org"))
    assert first.status_code == second.status_code == 200
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", first.text) == strip.sub("", second.text)
    assert "seen@example.org" not in first.text


@pytest.mark.parametrize(
    "token",
    [
        "",
        "forged:abc:def",
        signing.TimestampSigner(salt=embed.TOKEN_SALT).sign("another-declaration"),
        signing.TimestampSigner(salt="another-salt").sign("baku-call"),
    ],
    ids=["missing", "forged", "other-declaration", "other-salt"],
)
def test_a_post_without_a_fitting_token_is_refused(declaration, token):
    page = browser().get(EMBED).text
    response = browser().post(EMBED, posted(page, "ana@example.org", form_token=token))
    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert 'value="Ana Lima"' in response.text  # the form again, as filled in
    assert hidden(response.text, "form_token")  # with a fresh token to send it again
    assert not Signature.objects.exists()


def test_an_expired_token_is_refused(declaration, monkeypatch):
    page = browser().get(EMBED).text
    later = time.time() + embed.TOKEN_SECONDS + 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = browser().post(EMBED, posted(page, "ana@example.org"))
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_a_session_does_not_sign_for_its_owner(declaration, owner):
    """A cookie that does arrive is ignored: a forged POST could not act for the victim."""
    client = browser()
    client.force_login(owner)
    page = client.get(EMBED).text
    assert owner.email not in page  # no prefilled form from the account
    assert client.post(EMBED, posted(page, owner.email)).status_code == 200
    assert Signature.objects.get(email=owner.email).user_id is None


def test_bad_input_is_shown_in_the_frame(declaration):
    page = browser().get(EMBED).text
    response = browser().post(EMBED, posted(page, "not-an-address"))
    assert response.status_code == 422
    assert 'class="errorlist"' in response.text
    assert not Signature.objects.exists()


def test_the_rate_limit_holds(declaration, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign": {"network": "600/hour", "address": "1/day"},
    }
    page = browser().get(EMBED).text
    assert browser().post(EMBED, posted(page, "ana@example.org")).status_code == 200
    assert browser().post(EMBED, posted(page, "ana@example.org")).status_code == 429


def test_via_is_carried_through(declaration):
    page = browser().get(EMBED + "?via=green-sahel%22%3E").text
    assert 'name="via" value="green-sahel&quot;&gt;"' in page
    again = browser().post(EMBED, posted(page, "x", via="green-sahel"))  # bad address: 422
    assert 'name="via" value="green-sahel"' in again.text


def test_a_draft_is_not_shown(secretariat):
    draft = DeclarationFactory(created_by=secretariat, slug="draft-call")
    assert browser().get(f"/declarations/{draft.slug}/embed/").status_code == 404


def test_a_closed_declaration_shows_no_form(declaration, secretariat):
    lifecycle.close_declaration(secretariat, declaration)
    page = browser().get(EMBED).text
    assert "<form" not in page
