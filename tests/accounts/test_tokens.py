"""Personal API tokens: created on the account page or the command line, shown once,
stored as a hash, accepted as `Authorization: Bearer ...`, revocable by their owner only."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from concord.accounts.models import ApiToken
from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PROTECTED = "/api/v1/organisations"


def call_api(client, secret: str | None = None, scheme: str = "Bearer"):
    """POST an empty body to an endpoint that needs a person: 422 means the caller was let in
    (and the body refused); 401 means the caller was not."""
    headers = {"Authorization": f"{scheme} {secret}"} if secret is not None else {}
    return client.post(PROTECTED, data={}, content_type="application/json", headers=headers)


def new_token_on_page(html: str) -> str | None:
    match = re.search(r'<code class="token" id="new-token"[^>]*>([^<]+)</code>', html)
    return match.group(1) if match else None


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def test_token_created_on_the_account_page_is_shown_once(signed_in, owner):
    response = signed_in.post("/account/tokens/", {"name": "CRM sync"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"

    first = signed_in.get("/account/").content.decode()
    secret = new_token_on_page(first)
    assert secret is not None
    assert secret.startswith("cnc_")
    assert len(secret) > 40
    assert "CRM sync" in first

    second = signed_in.get("/account/").content.decode()
    assert new_token_on_page(second) is None
    assert secret not in second
    # The list still names the token and shows its first characters.
    assert "CRM sync" in second
    assert f"{secret[:10]}…" in second


def test_only_the_hash_of_the_secret_is_stored(signed_in, owner):
    signed_in.post("/account/tokens/", {"name": "CRM sync"})
    secret = new_token_on_page(signed_in.get("/account/").content.decode())

    token = ApiToken.objects.get(user=owner)
    assert token.name == "CRM sync"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.hint == secret[:10]
    stored = [str(value) for value in ApiToken.objects.values().get(pk=token.pk).values()]
    assert not any(secret in value for value in stored)
    assert "new_api_token" not in signed_in.session
    event = AuditEvent.objects.get(action="api_token.created")
    assert event.actor == owner
    assert event.subject == f"accounts.apitoken:{token.pk}"
    assert secret not in str(event.data)


def test_a_token_without_a_name_is_refused(signed_in, owner):
    response = signed_in.post("/account/tokens/", {"name": "  "}, follow=True)
    assert not ApiToken.objects.exists()
    assert "Give the token a name." in response.content.decode()
    assert new_token_on_page(response.content.decode()) is None


def test_the_token_form_needs_a_signed_in_person(client):
    response = client.post("/account/tokens/", {"name": "CRM sync"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ApiToken.objects.exists()


def test_a_valid_token_lets_a_program_in(client, owner):
    _token, secret = create_api_token(owner, "CRM sync")
    response = call_api(client, secret)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_a_token_acts_as_the_person_it_belongs_to(client, owner):
    from concord.organisations.models import Organisation

    _token, secret = create_api_token(owner, "CRM sync")
    response = client.post(
        PROTECTED,
        data={"name": "Sahel Water Watch", "country": "ML"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(name="Sahel Water Watch")
    assert organisation.applied_by == owner
    assert list(organisation.representatives.values_list("user__email", flat=True)) == [owner.email]


def test_a_request_without_a_token_is_refused(client):
    response = call_api(client)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required: send a valid Bearer token."}


@pytest.mark.parametrize(
    "secret",
    ["cnc_not-a-real-token", "not-even-the-prefix", "cnc_"],
)
def test_a_wrong_token_is_refused(client, owner, secret):
    create_api_token(owner, "CRM sync")
    assert call_api(client, secret).status_code == 401


def test_a_token_must_be_sent_as_a_bearer_token(client, owner):
    _token, secret = create_api_token(owner, "CRM sync")
    assert call_api(client, secret, scheme="Token").status_code == 401
    assert call_api(client, secret, scheme="Basic").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(client, owner):
    _token, secret = create_api_token(owner, "CRM sync")
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert call_api(client, secret).status_code == 401


def test_revoked_token_is_refused(signed_in, client, owner):
    token, secret = create_api_token(owner, "CRM sync")
    assert call_api(client, secret).status_code == 422

    response = signed_in.post(f"/account/tokens/{token.pk}/revoke/", follow=True)

    assert "The token was revoked" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    signed_in.logout()
    assert call_api(client, secret).status_code == 401
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == owner
    assert event.data == {"name": "CRM sync"}


def test_another_person_cannot_revoke_my_token(client, owner, outsider):
    token, secret = create_api_token(owner, "CRM sync")
    client.force_login(outsider)

    response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)

    assert "The token was revoked" not in response.content.decode()
    assert ApiToken.objects.filter(pk=token.pk, user=owner).exists()
    assert not AuditEvent.objects.filter(action="api_token.revoked").exists()
    client.logout()
    assert call_api(client, secret).status_code == 422


def test_revoking_needs_a_post(signed_in, owner):
    token, _secret = create_api_token(owner, "CRM sync")
    assert signed_in.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_my_tokens_are_listed_but_not_other_peoples(signed_in, owner, outsider):
    create_api_token(owner, "Mine")
    create_api_token(outsider, "Theirs")
    html = signed_in.get("/account/").content.decode()
    assert "Mine" in html
    assert "Theirs" not in html


def test_using_a_token_records_when_it_was_last_used(client, owner):
    token, secret = create_api_token(owner, "CRM sync")
    assert token.last_used_at is None

    before = timezone.now()
    call_api(client, secret)

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_last_used_is_written_at_most_once_a_minute(client, owner):
    token, secret = create_api_token(owner, "CRM sync")
    recently = timezone.now() - timedelta(seconds=10)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    call_api(client, secret)
    token.refresh_from_db()
    assert token.last_used_at == recently

    long_ago = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    call_api(client, secret)
    token.refresh_from_db()
    assert token.last_used_at > long_ago + timedelta(minutes=4)


def test_command_line_prints_a_token_that_works(client, owner):
    out = io.StringIO()
    call_command("apitoken", "create", "  OWNER@Example.ORG ", "--name", "Nightly", stdout=out)

    secret = out.getvalue().strip()
    assert secret.startswith("cnc_")
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Nightly"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert call_api(client, secret).status_code == 422


def test_command_line_refuses_an_unknown_address(owner):
    with pytest.raises(
        CommandError, match=r"No active account has the address nobody@example\.org"
    ):
        call_command("apitoken", "create", "nobody@example.org", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_command_line_refuses_a_deactivated_account(owner):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="No active account"):
        call_command("apitoken", "create", owner.email, stdout=io.StringIO())
    assert not ApiToken.objects.exists()
