"""How the event pages show the declarations adopted there (linking one is a declarations
service: the management page only carries its form)."""

import pytest

from concord.declarations.models import Declaration, DeclarationText
from concord.events.models import Outcome

pytestmark = pytest.mark.django_db


def adopted(event, slug: str, status: str) -> Declaration:
    declaration = Declaration.objects.create(slug=slug, status=status, original_language="en")
    DeclarationText.objects.create(
        declaration=declaration, language="en", title="The Dakar Call", body="We call."
    )
    DeclarationText.objects.create(
        declaration=declaration, language="fr", title="L'appel de Dakar", body="Nous appelons."
    )
    Outcome.objects.create(event=event, declaration=declaration)
    return declaration


def test_the_event_page_shows_outcomes_in_the_readers_language_and_hides_drafts(client, event):
    adopted(event, "dakar-call", Declaration.Status.OPEN)
    adopted(event, "draft-call", Declaration.Status.DRAFT)
    english = client.get(f"/events/{event.slug}/").content.decode()
    assert "/declarations/dakar-call/" in english and "The Dakar Call" in english
    assert "/declarations/draft-call/" not in english
    french = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert "L&#x27;appel de Dakar" in french or "L'appel de Dakar" in french


def test_the_management_page_carries_the_outcome_form(client, event, secretariat):
    client.force_login(secretariat)
    page = client.get(f"/events/{event.slug}/manage/").content.decode()
    assert 'id="outcome-form"' in page and 'name="declaration"' in page
    assert "Short name of the declaration" in page
