"""A signer's emails are in the language of the page they signed on (or their account's
preference, if the address is an account's), with links that open pages in it; the API's
accepted submissions keep that language until the worker records them; the organisers
hear of a reached goal in their own language, from the worker."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from concord.declarations.models import Signature
from concord.declarations.services import scheduled
from tests import inbox
from tests.declarations.test_pages import form_data
from tests.factories.accounts import UserFactory
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db

CONFIRM = "Confirm your signature: %(title)s"


def subject_in(language: str, title: str) -> str:
    with translation.override(language):
        return gettext(CONFIRM) % {"title": title}


def sign_on(client, declaration, language: str, email: str):
    with translation.override(language):
        url = reverse("declarations:sign", args=[declaration.slug])
    return client.post(url, form_data(email, language=""))


def test_a_signer_on_the_arabic_page_gets_the_arabic_confirmation_with_arabic_links(
    client, declaration, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_on(client, declaration, "ar", "salma@example.org").status_code == 302

    [received] = inbox.to(smtp_server.wait_for(1), "salma@example.org")
    signed = Signature.objects.get(email="salma@example.org").language  # the version read
    assert inbox.subject(received) == subject_in("ar", declaration.title_for(signed))
    body = inbox.parts(received)
    assert '<html lang="ar" dir="rtl"' in body["text/html"]
    found = inbox.paths(*body.values())
    assert found and all(path.startswith(f"/ar/declarations/{declaration.slug}/") for path in found)


def test_an_address_with_an_account_gets_the_accounts_language(
    client, declaration, smtp_server, django_capture_on_commit_callbacks
):
    """Signed out, on the Arabic page, with the address of an account that asked for French."""
    UserFactory(email="claire@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_on(client, declaration, "ar", "claire@example.org").status_code == 302

    [received] = inbox.to(smtp_server.wait_for(1), "claire@example.org")
    signed = Signature.objects.get(email="claire@example.org").language  # the version read
    assert inbox.subject(received) == subject_in("fr", declaration.title_for(signed))
    found = inbox.paths(*inbox.parts(received).values())
    assert found and all(path.startswith(f"/fr/declarations/{declaration.slug}/") for path in found)


def test_an_api_signature_recorded_by_the_worker_keeps_the_language_it_was_sent_in(
    client, declaration
):
    """The 202 stores the submission; the worker (here at once) records it and writes the
    email, outside the request. The stored copy, not yet sent, still holds its links."""
    from concord.core.models import OutgoingEmail

    response = client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures",
        {"name": "Ana", "email": "ana@example.org", "country": "MZ"},
        content_type="application/json",
        headers={"accept-language": "pt"},
    )
    assert response.status_code == 202
    message = OutgoingEmail.objects.get(to="ana@example.org")
    assert message.subject == subject_in("pt", declaration.title_for("pt"))
    found = inbox.paths(message.body_text, message.body_html)
    assert found and all(path.startswith("/pt/") for path in found)


def test_a_reached_goal_is_told_in_each_organisers_language_from_the_worker(
    declaration, secretariat
):
    from concord.core.models import OutgoingEmail

    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    for number in range(declaration.goal_signatures):
        SignatureFactory(declaration=declaration, email=f"s{number}@example.org", confirmed=True)
    translation.deactivate()  # the worker: no request, no language of its own
    try:
        assert scheduled.notify_reached_goals() == [declaration.slug]
    finally:
        translation.activate("en")
    message = OutgoingEmail.objects.get(to=secretariat.email, key__startswith="declaration.goal:")
    assert '<html lang="fr"' in message.body_html
    found = inbox.paths(message.body_text, message.body_html)
    assert set(found) == {f"/fr/declarations/{declaration.slug}/"}


def test_a_link_asked_again_through_the_api_comes_in_the_clients_language(client, declaration):
    """The API's paths carry no language: the client's Accept-Language says which."""
    from concord.core.models import OutgoingEmail

    SignatureFactory(declaration=declaration, email="rania@example.org")
    OutgoingEmail.objects.all().delete()
    response = client.post(
        f"/api/v1/declarations/{declaration.slug}/signatures/resend",
        {"email": "rania@example.org"},
        content_type="application/json",
        headers={"accept-language": "ar"},
    )
    assert response.status_code == 202
    message = OutgoingEmail.objects.get(to="rania@example.org")
    assert message.subject == subject_in("ar", declaration.title_for("en"))
    found = inbox.paths(message.body_text, message.body_html)
    assert found and all(path.startswith(f"/ar/declarations/{declaration.slug}/") for path in found)
