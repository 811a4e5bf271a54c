"""Regions and country groups on an event's participants page, named in the page's language."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.events import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "region", "group"),
    [
        ("/fr", "Afrique", "Pays les moins avancés"),
        ("/ar", "أفريقيا", "أقل البلدان نموًا"),
        ("", "Africa", "Least Developed Countries"),
    ],
)
def test_participants_page_names_regions_and_groups_in_its_language(
    client, event, prefix, region, group
):
    RegistrationFactory(event=event, user=UserFactory(), listed=True)  # Senegal: Africa, an LDC
    page = client.get(f"{prefix}/events/{event.slug}/participants/").content.decode()
    assert f'<th scope="row">{region}</th>' in page
    assert f'<th scope="row">{group}</th>' in page
