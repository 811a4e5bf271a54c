"""Behind a trusted proxy each signer is counted in their own network, not the proxy's."""

import pytest

from concord.declarations.models import Signature
from tests.declarations.test_pages import form_data, url_for

pytestmark = pytest.mark.django_db

BODY = {"name": "Ana", "email": "ana@example.org", "country": "MZ", "kind": "individual"}


def sign(client, declaration, **headers):
    return client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures",
        BODY,
        content_type="application/json",
        REMOTE_ADDR="10.0.0.5",
        **headers,
    )


def test_behind_a_trusted_proxy_the_signer_network_is_the_client_one(
    settings, client, declaration, django_capture_on_commit_callbacks
):
    settings.TRUSTED_PROXIES = "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = sign(client, declaration, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 202
    assert Signature.objects.get(email="ana@example.org").network == "203.0.113.0/24"


def test_a_forged_x_forwarded_for_is_ignored_without_trusted_proxies(
    settings, client, declaration, django_capture_on_commit_callbacks
):
    settings.TRUSTED_PROXIES = ""
    with django_capture_on_commit_callbacks(execute=True):
        response = sign(client, declaration, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 202
    assert Signature.objects.get(email="ana@example.org").network == "10.0.0.0/24"


def test_the_sign_page_takes_the_client_address_from_a_trusted_proxy(settings, client, declaration):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    url = url_for("declarations:sign", args=[declaration.slug])
    response = client.post(
        url, form_data(), REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert response.status_code == 302
    assert Signature.objects.get(email="fatou@example.org").network == "198.51.100.0/24"
