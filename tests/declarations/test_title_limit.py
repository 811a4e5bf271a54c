"""A title has one limit (TITLE_MAX) and one message, on the page form, in the API and in
the service: the page and the API refuse the same title with the same 422 and words."""

import pytest
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.core.checks import length_message
from concord.declarations.models import TITLE_MAX, Declaration, DeclarationText

pytestmark = pytest.mark.django_db

MESSAGE = "Keep this to 300 characters or fewer."


def test_the_message_names_the_limit():
    assert TITLE_MAX == 300 and length_message(TITLE_MAX) == MESSAGE


@pytest.mark.parametrize("length", [TITLE_MAX + 1, TITLE_MAX])
def test_page_and_api_agree_on_a_new_declaration(client, secretariat, length):
    body = {"title": "T" * length, "text": "We call.", "language": "en"}
    client.force_login(secretariat)
    page = client.post(
        reverse("declarations:create"), {**body, "slug": "page-call", "eligibility": "anyone"}
    )
    _, token = create_api_token(secretariat, "test")
    api = client.post(
        "/api/v1/declarations",
        {**body, "slug": "api-call"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    if length > TITLE_MAX:
        assert page.status_code == api.status_code == 422
        assert page.context["form"].errors["title"] == [MESSAGE]
        assert api.json()["detail"] == [
            {"loc": ["body", "title"], "msg": MESSAGE, "type": "value_error"}
        ]
        assert not Declaration.objects.exists()
    else:
        assert page.status_code == 302 and api.status_code == 201
        assert Declaration.objects.count() == 2


def test_page_and_api_agree_on_a_translation(client, secretariat, declaration):
    too_long = {"language": "es", "title": "T" * (TITLE_MAX + 1), "text": "Llamamos."}
    client.force_login(secretariat)
    page = client.post(
        reverse("declarations:manage", args=[declaration.slug]), {**too_long, "action": "text"}
    )
    _, token = create_api_token(secretariat, "test")
    api = client.post(
        f"/api/v1/declarations/{declaration.slug}/translations",
        too_long,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert page.status_code == api.status_code == 422
    assert page.context["text_form"].errors["title"] == [MESSAGE]
    assert api.json()["detail"][0]["msg"] == MESSAGE
    assert not DeclarationText.objects.filter(language="es").exists()


def test_the_schema_documents_the_limit(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["DeclarationIn"]["properties"]["title"]["maxLength"] == TITLE_MAX
    assert schema["TranslationIn"]["properties"]["title"]["maxLength"] == TITLE_MAX
