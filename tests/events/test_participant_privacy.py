"""No public event page shows a participant's address, even when their account has no name."""

import re

import pytest

from concord.events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import RegistrationFactory, required_answers

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def test_a_nameless_participant_is_listed_without_their_address(client, event):
    nameless = UserFactory(email="quiet.activist@example.org", name="")
    RegistrationFactory(event=event, user=nameless, answers=required_answers(event), listed=True)
    for url in (f"/events/{event.slug}/", f"/events/{event.slug}/participants/"):
        page = client.get(url)
        assert page.status_code == 200
        assert ADDRESS.findall(page.text) == [], url
    assert Registration.objects.get(user=nameless).name == ""
    assert "Name not given" in client.get(f"/events/{event.slug}/participants/").text
