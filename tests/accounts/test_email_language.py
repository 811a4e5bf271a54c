"""The sign-in emails (allauth's) follow the same rule as every other: the account's
preference, else the page the person used; their links open pages in that language."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests import inbox
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def allauth_subject(language: str, msgid: str) -> str:
    with translation.override(language):
        return "[Concord] " + gettext(msgid)


def test_a_password_reset_asked_on_the_english_page_is_in_the_accounts_language(
    client, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(email="sofia@example.org", language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "sofia@example.org"})
    assert response.status_code == 302

    [received] = inbox.to(smtp_server.wait_for(1), "sofia@example.org")
    assert inbox.subject(received) == allauth_subject("ru", "Password Reset Email")
    [link] = inbox.paths(*inbox.parts(received).values())
    assert link.startswith("/ru/accounts/password/reset/key/")
    # The link opens the Russian page that sets the new password.
    opened = client.get(link, follow=True)
    assert opened.status_code == 200
    assert opened.redirect_chain[-1][0].startswith("/ru/accounts/password/reset/key/")


def test_signing_up_on_the_arabic_page_confirms_in_arabic(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/ar/accounts/signup/",
            {
                "email": "huda@example.org",
                "name": "Huda",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            },
        )
    [received] = inbox.to(smtp_server.wait_for(1), "huda@example.org")
    assert inbox.subject(received) == allauth_subject("ar", "Please Confirm Your Email Address")
    [link] = inbox.paths(*inbox.parts(received).values())
    assert link.startswith("/ar/accounts/confirm-email/")
