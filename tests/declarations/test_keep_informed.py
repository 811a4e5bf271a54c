""" "Keep me informed about this declaration": unticked unless the signer ticks it, on the page
and through the API (recorded later by the worker), stored with its time and the very
sentence shown, in the signer's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from concord.declarations import intake
from concord.declarations.models import Signature
from concord.declarations.services.signing import KEEP_INFORMED
from tests.declarations.test_pages import form_data

pytestmark = pytest.mark.django_db


def test_the_box_is_unticked_on_the_signing_page(client, declaration):
    page = client.get(reverse("declarations:detail", args=[declaration.slug])).content.decode()
    box = page.split('name="keep_informed"', 1)[1].split(">", 1)[0]
    assert 'name="keep_informed"' in page and "checked" not in box


def test_an_unticked_box_stores_no_consent(client, declaration):
    client.post(reverse("declarations:sign", args=[declaration.slug]), form_data())
    signature = Signature.objects.get()
    assert not signature.keep_informed and signature.keep_informed_at is None
    assert signature.keep_informed_text == ""


def test_a_ticked_box_stores_its_time_and_the_sentence_in_the_signers_language(client, declaration):
    with translation.override("fr"):
        url = reverse("declarations:sign", args=[declaration.slug])
    client.post(url, form_data(keep_informed="on", language="fr"))
    signature = Signature.objects.get()
    assert signature.keep_informed and signature.keep_informed_at is not None
    with translation.override("fr"):
        french = str(KEEP_INFORMED)
    assert signature.keep_informed_text == french


def test_the_api_field_is_recorded_by_the_worker(client, declaration, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    body = {
        "name": "Ana", "email": "ana@example.org", "country": "MZ", "keep_informed": True,
    }  # fmt: skip
    url = f"/api/v1/declarations/{declaration.slug}/signatures"
    assert client.post(url, body, content_type="application/json").status_code == 202
    body = {"name": "Bo", "email": "bo@example.org", "country": "MZ"}
    assert client.post(url, body, content_type="application/json").status_code == 202
    intake.process()
    assert Signature.objects.get(email="ana@example.org").keep_informed
    assert Signature.objects.get(email="ana@example.org").keep_informed_text
    assert not Signature.objects.get(email="bo@example.org").keep_informed
