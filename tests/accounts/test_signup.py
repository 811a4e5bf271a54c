"""Signing up: a normalised address, a verification email through the outbox, a confirmation
that needs a POST, preferences, and right-to-left pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext

from concord.accounts.models import User
from concord.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-9"


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def sign_up(email: str = "  Awa.Diallo@Example.ORG ", prefix: str = "", name="Awa Diallo"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"{prefix}/accounts/signup/",
                {"email": email, "name": name, "password1": PASSWORD, "password2": PASSWORD},
            )

    return sign_up


def confirmation_path(text: str) -> str:
    match = re.search(r"http://testserver(/(?:[a-z]{2}/)?accounts/confirm-email/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def test_sign_up_creates_an_account_with_a_normalised_address(sign_up):
    response = sign_up()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "awa.diallo@example.org"
    assert user.check_password(PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert address.email == "awa.diallo@example.org"
    assert address.verified is False


def test_the_same_address_in_other_letters_cannot_sign_up_twice(sign_up, client):
    sign_up("awa@example.org")
    client.logout()
    sign_up("AWA@EXAMPLE.ORG")
    assert list(User.objects.values_list("email", flat=True)) == ["awa@example.org"]


def test_sign_up_sends_a_verification_email_through_the_outbox(sign_up):
    sign_up()
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.key.startswith("allauth:account/email/email_confirmation_signup:")
    assert outgoing.to == "awa.diallo@example.org"
    assert outgoing.subject.startswith("[Concord] ")
    assert outgoing.sent_at is not None
    assert outgoing.attempts == 1
    assert "/accounts/confirm-email/" not in outgoing.body_text  # cut once delivered

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["awa.diallo@example.org"]
    assert sent.subject == outgoing.subject
    assert confirmation_path(sent.body).startswith("/accounts/confirm-email/")


def test_verification_email_names_the_platform(sign_up, settings):
    sign_up()
    outgoing = OutgoingEmail.objects.get()
    assert f"signed up on {settings.SITE_NAME} with this address" in outgoing.body_text
    assert outgoing.body_html.rstrip().endswith(f"{settings.SITE_NAME}</p>\n</body></html>")


def test_verification_email_is_in_the_language_of_the_sign_up_page(sign_up):
    sign_up(prefix="/fr")
    outgoing = OutgoingEmail.objects.get()
    with translation.override("fr"):
        assert outgoing.subject == "[Concord] " + gettext("Confirm your email address")
    assert '<html lang="fr"' in outgoing.body_html
    assert confirmation_path(mail.outbox[0].body).startswith("/fr/accounts/confirm-email/")
    assert User.objects.get().language == "fr"


def test_account_page_is_closed_until_the_address_is_confirmed(sign_up, client):
    sign_up()
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    login = client.post(
        "/accounts/login/", {"login": "awa.diallo@example.org", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == "/accounts/confirm-email/"
    assert client.get("/account/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_opening_the_confirmation_link_does_not_confirm(sign_up, client):
    sign_up()
    link = confirmation_path(mail.outbox[0].body)

    page = client.get(link)

    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<form[^>]*method="post"', html)
    assert "awa.diallo@example.org" in html
    assert EmailAddress.objects.get().verified is False


def test_posting_the_confirmation_verifies_the_address_and_opens_the_account(sign_up, client):
    sign_up()
    link = confirmation_path(mail.outbox[0].body)

    response = client.post(link)

    assert response.status_code == 302
    address = EmailAddress.objects.get()
    assert address.verified is True
    assert address.primary is True
    page = client.get("/account/")
    assert page.status_code == 200
    assert "Signed in as awa.diallo@example.org." in strip_tags(page.content.decode())


def test_a_forged_confirmation_link_confirms_nothing(sign_up, client):
    sign_up()
    client.post("/accounts/confirm-email/MQ:forged:signature/")
    assert EmailAddress.objects.get().verified is False


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_preferences_form_saves_name_and_language(signed_in, owner):
    response = signed_in.post(
        "/account/", {"save_preferences": "1", "name": "  Awa Diop ", "language": "ar"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    owner.refresh_from_db()
    assert owner.language == "ar"
    assert owner.name == "Awa Diop"
    page = signed_in.get("/account/").content.decode()
    assert "Your preferences have been saved." in page
    assert re.search(r'<option value="ar" selected>', page)


def test_an_unknown_language_is_refused_and_changes_nothing(signed_in, owner):
    response = signed_in.post(
        "/account/", {"save_preferences": "1", "name": "Awa Diop", "language": "xx"}
    )
    assert response.status_code == 200
    assert "xx is not one of the available choices" in response.content.decode()
    owner.refresh_from_db()
    assert owner.language == "en"
    assert owner.name == "Awa Owner"


@pytest.mark.parametrize("path", ["/ar/", "/ar/accounts/signup/"])
def test_arabic_pages_are_right_to_left(client, path):
    html = client.get(path).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_arabic_account_page_is_right_to_left(signed_in):
    html = signed_in.get("/ar/account/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_english_pages_are_left_to_right(client):
    assert '<html lang="en" dir="ltr">' in client.get("/").content.decode()


def test_sign_up_records_the_name(sign_up):
    assert sign_up(name="  Awa Diallo ").status_code == 302
    assert User.objects.get().name == "Awa Diallo"


@pytest.mark.parametrize("name", ["", "   "])
def test_sign_up_without_a_name_is_refused(sign_up, name):
    response = sign_up(name=name)
    assert response.status_code == 200
    assert "Please give your name" in response.content.decode()
    assert not User.objects.exists()
    assert not OutgoingEmail.objects.exists()
