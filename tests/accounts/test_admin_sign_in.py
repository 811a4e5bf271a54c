"""The back office signs people in through allauth: two-factor codes and rate limits apply."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.accounts.test_two_factor import current_code
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase"


def sign_in_form(client) -> str:
    """Where a person who opens /admin/login/ is asked for a password."""
    response = client.get("/admin/login/?next=/admin/")
    return response["Location"] if response.status_code == 302 else "/admin/login/?next=/admin/"


def submit(client, url: str, email: str, password: str):
    # Both forms' field names, so the same post works on either sign-in page.
    return client.post(url, {"username": email, "login": email, "password": password})


def test_a_password_alone_opens_no_admin_session_when_two_factor_is_on(client):
    staff = UserFactory(email="staff@example.org", password=PASSWORD, is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    submit(client, sign_in_form(client), "staff@example.org", PASSWORD)
    assert client.get("/admin/").status_code == 302  # still asked to sign in
    assert "_auth_user_id" not in client.session
    answer = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_route_leads_to_the_throttled_sign_in(client, settings):
    del settings.ACCOUNT_RATE_LIMITS  # allauth's own limits, as deployed
    UserFactory(email="staff@example.org", password=PASSWORD, is_staff=True)
    url = sign_in_form(client)
    assert url.startswith("/accounts/login/")
    for _attempt in range(5):
        assert submit(client, url, "staff@example.org", "wrong guess").status_code == 200
    refused = submit(client, url, "staff@example.org", PASSWORD)
    assert refused.status_code == 429 or "Too many failed login attempts" in refused.text
    assert client.get("/admin/").status_code == 302
