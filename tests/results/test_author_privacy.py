"""An approved update names its author, never the author's email address, on the public page
and through the API, even when the account has no name."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.organisations import RepresentativeFactory
from tests.factories.results import UpdateFactory

pytestmark = pytest.mark.django_db

ADDRESS = "nameless.reporter@example.org"


@pytest.fixture
def nameless_update(owner, member_org, indicator):
    nameless = UserFactory(email=ADDRESS, name="")
    RepresentativeFactory(organisation=member_org, user=nameless)
    _, periods = indicator
    return UpdateFactory(user=nameless, approved_by=owner, period=periods[0], value="7")


def test_the_public_update_page_shows_no_address(client, nameless_update):
    page = client.get(f"/results/updates/{nameless_update.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ADDRESS not in text and "nameless.reporter" not in text
    assert "Name not given" in text


def test_the_api_answer_shows_no_address(client, project, nameless_update):
    period = nameless_update.period
    answer = client.get(f"/api/v1/projects/{project.pk}/periods/{period.pk}/updates")
    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()] == [nameless_update.pk]
    assert "nameless.reporter" not in answer.content.decode()


def test_a_named_author_is_shown_by_name(client, colleague, owner, indicator):
    _, periods = indicator
    update = UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="7")
    text = client.get(f"/results/updates/{update.pk}/").content.decode()
    assert "Bakary Colleague" in text and "colleague@example.org" not in text
