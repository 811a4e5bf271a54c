"""Signing and resending send mail to the address typed in, so both spend the budgets of
`settings.RATE_LIMITS` (per client network and per recipient address) before any work: a
spent budget answers 429 with `Retry-After`, records nothing and sends nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from concord.core import limits
from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature, SignatureIntake

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"


def spend(action: str, address: str) -> None:
    """Use up the address's budget from another network, as an attacker rotating networks."""
    with pytest.raises(limits.TooMany):
        for host in range(1, 100):
            limits.check(action, ip=f"203.0.{host}.9", address=address)


def body(email: str = VICTIM) -> dict:
    return {"name": "Ana Silva", "email": email, "country": "MZ", "kind": "individual"}


def path(name: str, declaration) -> str:
    with translation.override("en"):
        return reverse(name, args=[declaration.slug])


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Signature.objects.exists() and not SignatureIntake.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_sign_page_answers_429_once_the_address_budget_is_spent(client, declaration):
    spend("sign", VICTIM)
    response = client.post(path("declarations:sign", declaration), body())
    assert_refused(response)
    assert "Too many attempts" in response.content.decode()


def test_the_sign_api_answers_429_once_the_address_budget_is_spent(client, declaration):
    spend("sign", VICTIM)
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    response = client.post(url, body(), content_type="application/json")
    assert_refused(response)
    assert response.json()["code"] == "rate_limited"


def test_another_address_still_signs_from_the_same_client(client, declaration):
    spend("sign", VICTIM)
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    response = client.post(url, body("someone@example.org"), content_type="application/json")
    assert response.status_code == 202


def test_the_network_budget_holds_whatever_addresses_are_typed(client, declaration, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign": {"network": "2/hour", "address": "9/hour"},
    }
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    for n in range(2):
        assert client.post(url, body(f"a{n}@example.org"), content_type="application/json")
    response = client.post(url, body("third@example.org"), content_type="application/json")
    assert response.status_code == 429 and "Retry-After" in response
    assert not Signature.objects.filter(email="third@example.org").exists()


def test_resend_answers_429_on_the_page_and_in_the_api(client, declaration):
    spend("resend", VICTIM)
    page = client.post(path("declarations:resend", declaration), {"email": VICTIM})
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    url = f"/api/v1/declarations/{declaration.slug}/signatures/resend"
    api = client.post(url, {"email": VICTIM}, content_type="application/json")
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert not OutgoingEmail.objects.exists()
