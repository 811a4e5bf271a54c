"""Closing signing and invalidating signatures cannot be undone: the first POST only shows
what will happen, the page's own form posts again with confirm=yes, and only that acts.
Once invalidated, the same rows are not offered for invalidation again."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from concord.core.models import AuditEvent
from concord.declarations.models import Signature
from tests.declarations.test_pages import add_confirmed

pytestmark = pytest.mark.django_db

UNDONE = "This cannot be undone."


def url_for(name: str, slug: str) -> str:
    with translation.override("en"):
        return reverse(f"declarations:{name}", args=[slug])


def text_of(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def hidden_fields(response) -> dict:
    """What the confirmation form posts again, read from the page as a browser would."""
    return {name: value for name, value in response.context["fields"]} | {"confirm": "yes"}


def test_closing_asks_first_then_closes_on_the_confirmed_post(client, secretariat, declaration):
    add_confirmed(declaration, 2)
    client.force_login(secretariat)
    manage = url_for("manage", declaration.slug)

    asked = client.post(manage, {"action": "close"})
    assert asked.status_code == 200
    assert "Signing stops for good" in text_of(asked) and UNDONE in text_of(asked)
    assert 'name="confirm" value="yes"' in asked.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == "open"
    assert not AuditEvent.objects.filter(action="declaration.closed").exists()

    done = client.post(manage, hidden_fields(asked))
    assert done.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == "closed"
    assert declaration.final_signature_count == 2

    # A close that would be refused is refused at once, without asking.
    refused = client.post(manage, {"action": "close"}, follow=True)
    assert "Only an open declaration can be closed." in text_of(refused)
    assert UNDONE not in text_of(refused)


def test_invalidating_asks_first_then_acts_and_is_not_offered_again(
    client, secretariat, declaration
):
    add_confirmed(declaration, 3)
    client.force_login(secretariat)
    review = url_for("review", declaration.slug)
    chosen = {"domain": "example.org", "reason": "A burst from one domain"}

    asked = client.post(review, chosen)
    assert asked.status_code == 200
    page = text_of(asked)
    assert "3 signatures matching the filter will be marked invalid" in page
    assert UNDONE in page and "A burst from one domain" in page
    assert not Signature.objects.filter(status="invalidated").exists()

    done = client.post(review, hidden_fields(asked), follow=True)
    assert "3 signatures invalidated" in text_of(done)
    assert Signature.objects.filter(status="invalidated").count() == 3
    # The rows are still listed, but no form offers to invalidate them again.
    assert done.context["page"].paginator.count == 3
    assert 'name="reason"' not in done.content.decode()
    assert "Every matching signature is already invalidated" in text_of(done)

    again = client.post(review, chosen)
    assert again.status_code == 422
    assert UNDONE not in text_of(again)
    assert AuditEvent.objects.filter(action="signatures.invalidated").count() == 1


def test_only_the_rows_still_counted_are_offered(client, secretariat, declaration):
    add_confirmed(declaration, 4)
    Signature.objects.filter(email="signer0@example.org").update(status="invalidated")
    client.force_login(secretariat)
    listed = client.get(url_for("review", declaration.slug), {"domain": "example.org"})
    assert listed.context["page"].paginator.count == 4
    assert "This marks the 3 signatures matching the filter" in text_of(listed)
