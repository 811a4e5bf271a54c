"""The drafting and answers lists cost the same with one row as with three (one query count
each, pinned), on the page and in the API."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from concord.declarations.drafting import queries
from concord.declarations.services import addressees, drafting
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def drafted(secretariat, rows: int):
    draft = DeclarationFactory(created_by=secretariat, text="We call.\n\nWe ask.")
    drafting.open_for_comments(
        secretariat, draft, audience="members", closes_at=timezone.now() + timedelta(days=2)
    )
    key = queries.paragraphs_of(queries.current_version(draft))[0][0]
    people = []
    for index in range(rows):
        person = UserFactory()
        organisation = OrganisationFactory(name=f"Member {index}", admin=person)
        people.append((person, organisation))
        drafting.add_comment(person, draft, paragraph=key, text=f"Comment {index}")
        amendment = drafting.propose_amendment(
            person, draft, paragraph=key, kind="replace", text=f"Text {index}", reason="R",
            organisation=organisation,
        )  # fmt: skip
        for other, other_organisation in people[:-1]:
            drafting.support_amendment(other, amendment, other_organisation)
        drafting.endorse(person, draft, organisation)
    return draft, people[0][0]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_drafting_page_costs_the_same_for_one_or_many(client, secretariat, query_count, rows):
    draft, person = drafted(secretariat, rows)
    client.force_login(person)
    url = f"/declarations/{draft.slug}/drafting/"
    client.get(url)  # the session and the site's first reads
    with query_count(21):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_the_api_lists_cost_the_same_for_one_or_many(client, secretariat, query_count, rows):
    draft, person = drafted(secretariat, rows)
    client.force_login(person)
    base = f"/api/v1/declarations/{draft.slug}/drafting"
    client.get(base)
    with query_count(34):
        for path in ("/amendments", "/comments", "/cosponsors", "/versions"):
            assert client.get(base + path).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_the_responses_cost_the_same_for_one_or_many(client, secretariat, query_count, rows):
    declaration = DeclarationFactory(created_by=secretariat, opened=True)
    for code in ("SN", "KE", "BR")[:rows]:
        addressee = addressees.add_addressee(
            secretariat, declaration, kind="government", country=code
        )
        response = addressees.record_response(
            secretariat, addressee, received_on=date.today(), source="Ministry", text="Yes",
            pledges=[{"text": "A plan", "deadline": date.today() + timedelta(days=9)}],
        )  # fmt: skip
        addressees.publish_response(secretariat, response)
    client.get(f"/api/v1/declarations/{declaration.slug}/responses")
    with query_count(5):
        assert client.get(f"/api/v1/declarations/{declaration.slug}/responses").status_code == 200
