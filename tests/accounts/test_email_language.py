"""The sign-in emails (allauth's, written as Concord's own) follow the same rule as every
other: the account's preference, else the page the person used; their links open pages in
that language, and their HTML part declares it, in all nine languages (allauth ships no
Swahili)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests import inbox
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-9"


def subject_in(language: str, msgid: str) -> str:
    with translation.override(language):
        return "[Concord] " + gettext(msgid)


def received_by(smtp_server, address: str):
    [received] = inbox.to(smtp_server.wait_for(1), address)
    return received, inbox.parts(received)


def test_a_password_reset_asked_on_the_english_page_is_in_the_accounts_language(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="sofia@example.org", language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "sofia@example.org"})
    assert response.status_code == 302

    received, body = received_by(smtp_server, "sofia@example.org")
    assert inbox.subject(received) == subject_in("ru", "Choose a new password")
    assert '<html lang="ru"' in body["text/html"]
    [link] = set(inbox.paths(*body.values()))
    assert link.startswith("/ru/accounts/password/reset/key/")
    # The link opens the Russian page that sets the new password.
    opened = client.get(link, follow=True)
    assert opened.status_code == 200
    assert opened.redirect_chain[-1][0].startswith("/ru/accounts/password/reset/key/")


def test_a_swahili_member_gets_the_reset_with_a_swahili_frame(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="baraka@example.org", language="sw")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fr/accounts/password/reset/", {"email": "baraka@example.org"})
    received, body = received_by(smtp_server, "baraka@example.org")
    assert inbox.subject(received) == subject_in("sw", "Choose a new password")
    assert '<html lang="sw" dir="ltr"' in body["text/html"]
    assert all(path.startswith("/sw/") for path in inbox.paths(*body.values()))


def test_signing_up_on_the_arabic_page_confirms_in_arabic(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/ar/accounts/signup/",
            {"email": "huda@example.org", "name": "Huda", "password1": PASSWORD,
             "password2": PASSWORD},
        )  # fmt: skip
    received, body = received_by(smtp_server, "huda@example.org")
    assert inbox.subject(received) == subject_in("ar", "Confirm your email address")
    assert '<html lang="ar" dir="rtl"' in body["text/html"]
    [link] = set(inbox.paths(*body.values()))
    assert link.startswith("/ar/accounts/confirm-email/")


def test_signing_up_again_with_an_accounts_address_answers_in_the_accounts_language(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="ines@example.org", language="pt")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {"email": "ines@example.org", "name": "Inês", "password1": PASSWORD,
             "password2": PASSWORD},
        )  # fmt: skip
    received, body = received_by(smtp_server, "ines@example.org")
    assert inbox.subject(received) == subject_in("pt", "You already have an account")
    assert set(inbox.paths(*body.values())) == {"/pt/accounts/password/reset/"}


def test_a_reset_for_an_unknown_address_answers_in_the_pages_language(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/es/accounts/password/reset/", {"email": "nadie@example.org"})
    received, body = received_by(smtp_server, "nadie@example.org")
    assert inbox.subject(received) == subject_in("es", "No account uses this address")
    assert set(inbox.paths(*body.values())) == {"/es/accounts/signup/"}
