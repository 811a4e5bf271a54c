"""Optional two-factor sign-in (TOTP): once a person turns it on, a password is not enough."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_without_two_factor_a_password_signs_in(client):
    UserFactory(email="plain@example.org", password="a-long-pass-phrase")
    response = client.post(
        "/accounts/login/", {"login": "plain@example.org", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_with_two_factor_the_code_is_required(client):
    user = UserFactory(email="careful@example.org", password="a-long-pass-phrase")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(
        "/accounts/login/", {"login": "careful@example.org", "password": "a-long-pass-phrase"}
    )
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/account/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/account/").status_code == 302
    right = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.get("/account/").status_code == 200


def test_the_two_factor_page_is_reachable_from_the_account(client):
    client.force_login(UserFactory(email="someone@example.org"))
    assert 'href="/accounts/2fa/"' in client.get("/account/").text
    assert client.get("/accounts/2fa/").status_code == 200
