"""The pages isolate what may be written in the other direction: a funding range, a badge
code, country codes and identifiers read left to right as one piece; organisation names,
titles and deadlines are set apart from the sentence around them; inputs carry their
writing direction. (tests/browser/test_right_to_left.py checks what the eye sees.)"""

import re

import pytest
from django.urls import reverse

from concord.core.bidi import EN_DASH
from concord.partnerships.digests import local_deadline
from tests.factories.events import EventFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import FundingCallFactory
from tests.factories.results import ProjectFactory

pytestmark = pytest.mark.django_db

# A left-to-right piece, whatever writes the figures inside it.
AMOUNT_RANGE = re.compile(rf'<bdi dir="ltr">[^<]*20[^<]*{EN_DASH}[^<]*100[^<]*USD</bdi>')


def tag(html: str, name: str, field: str) -> str:
    """The opening tag of the input (or textarea) for a form field."""
    found = re.search(rf'<{name}\b[^>]*\bname="{field}"[^>]*>', html)
    assert found, f"no {name} for {field}"
    return found.group()


@pytest.fixture
def funding_call(secretariat):
    return FundingCallFactory(
        user=secretariat,
        funder="Green Climate Fund",
        amount_min=20000,
        amount_max=100000,
        open_to_all=True,
    )


def test_a_funding_range_is_one_left_to_right_piece(client, funding_call):
    listing = client.get("/ar/partnerships/funding/").text
    assert AMOUNT_RANGE.search(listing)
    assert "<bdi>Green Climate Fund</bdi>" in listing
    call = client.get(f"/ar/partnerships/funding/{funding_call.pk}/").text
    assert AMOUNT_RANGE.search(call)
    assert f"<dd><bdi>{local_deadline(funding_call)}</bdi></dd>" in call


def test_the_badge_code_example_and_input_read_left_to_right(client, secretariat):
    event = EventFactory(created_by=secretariat)
    client.force_login(secretariat)
    page = client.get(f"/ar/events/{event.slug}/checkin/").text
    help_text = re.search(r'<span class="helptext" id="id_code_helptext">(.*?)</span>', page)
    assert help_text, "no help text for the code"
    assert re.search(r'<bdi dir="ltr">C?\d+-[0-9A-F]{16}</bdi>', help_text.group(1))
    assert 'dir="ltr"' in tag(page, "input", "code")
    assert 'dir="auto"' in tag(page, "input", "door")


def test_organisation_names_are_set_apart_from_the_sentence(client):
    organisation = OrganisationFactory(name="Green Earth Ltd.", acronym="GEL", city="Dakar")
    directory = client.get("/ar/members/").text
    assert "<bdi>Green Earth Ltd.</bdi></a> (<bdi>GEL</bdi>)" in directory
    assert "<bdi>Dakar</bdi>, " in directory
    detail = client.get(f"/ar/members/{organisation.pk}/").text
    assert re.search(r"<h1>\s*<bdi>Green Earth Ltd\.</bdi> \(<bdi>GEL</bdi>\)</h1>", detail)


def test_the_approval_message_isolates_the_name(client, secretariat):
    organisation = OrganisationFactory(name="Green Earth Ltd.", status="pending")
    client.force_login(secretariat)
    answer = client.post(
        reverse("organisations:review_action", args=[organisation.pk]),
        {"action": "approve", "note": ""},
        follow=True,
    )
    assert "<bdi>Green Earth Ltd.</bdi>" in answer.text.split('class="messages"')[1]


def test_country_codes_read_left_to_right(client):
    table = client.get("/ar/data/countries/?region=002").text
    assert '<bdi dir="ltr">SN · SEN · 686</bdi>' in table


def test_a_project_budget_and_its_iati_identifier_read_left_to_right(client):
    project = ProjectFactory(title="Mangrove belts.")
    page = client.get(f"/ar/results/projects/{project.pk}/").text
    assert re.search(r'<bdi dir="ltr">120[^<]*XOF</bdi>', page)
    assert f'<code dir="ltr">{project.iati_identifier}</code>' in page
    assert "<h1><bdi>Mangrove belts.</bdi></h1>" in page


def test_sign_up_inputs_follow_what_is_typed_and_addresses_read_left_to_right(client):
    page = client.get("/ar/accounts/signup/").text
    assert 'dir="ltr"' in tag(page, "input", "email")
    assert 'dir="auto"' in tag(page, "input", "name")
    assert "dir=" not in tag(page, "input", "password1")


def test_review_notes_take_the_direction_of_what_is_typed(client, secretariat):
    OrganisationFactory(status="pending")
    client.force_login(secretariat)
    page = client.get("/ar/members/applications/").text
    assert 'dir="auto"' in tag(page, "textarea", "note")
