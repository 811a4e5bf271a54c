"""Event times in the page's (or the recipient's) language with the CLDR's patterns: French
pages showed Django's "lun 2 Déc 2030"; participant counts agree with their noun."""

from datetime import datetime

import pytest

from concord.core.models import OutgoingEmail
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(secretariat):
    # Monday 2 December 2030, 09:00 in Dakar.
    return EventFactory(
        created_by=secretariat,
        slug="dakar-2030",
        starts_at=datetime(2030, 12, 2, 9, 0),
        ends_at=datetime(2030, 12, 2, 17, 0),
    )


def test_the_french_list_and_page_write_babels_french_date(client, forum):
    listing = client.get("/fr/events/").content.decode()
    assert "lun. 2 déc. 2030, 09:00" in listing and "Déc 2030" not in listing
    page = client.get(f"/fr/events/{forum.slug}/").content.decode()
    assert "lun. 2 déc. 2030, 09:00" in page


def test_the_registration_email_writes_the_time_in_the_recipients_language(forum):
    RegistrationFactory(event=forum, user=UserFactory(email="awa@example.org", language="fr"))
    email = OutgoingEmail.objects.get(to="awa@example.org")
    assert "lun. 2 déc. 2030, 09:00" in email.body_text


def test_one_participant_is_singular(client, forum):
    RegistrationFactory(event=forum, user=UserFactory(name="Awa"), listed=True)
    for path in (f"/events/{forum.slug}/", f"/events/{forum.slug}/participants/"):
        page = client.get(path).content.decode()
        assert "1 participant from 1 country" in page and "1 participants" not in page
