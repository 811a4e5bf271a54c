"""The drafting and addressees pages do what the services do, with the same refusals and
the statuses the API answers; the public page shows co-sponsors and response coverage."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from concord.declarations.drafting import queries
from concord.declarations.drafting.models import Amendment, Comment
from concord.declarations.services import addressees, amendments, drafting, lifecycle
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db

TEXT = "First we call.\n\nSecond we ask."


@pytest.fixture
def draft(secretariat):
    return DeclarationFactory(created_by=secretariat, slug="draft-call", text=TEXT)


@pytest.fixture
def opened(draft, secretariat, member_org):
    drafting.open_for_comments(
        secretariat, draft, audience="group", closes_at=timezone.now() + timedelta(days=3),
        organisations=[member_org.pk],
    )  # fmt: skip
    return draft


def first_key(draft) -> int:
    return queries.paragraphs_of(queries.current_version(draft))[0][0]


def test_the_committee_opens_the_draft_for_comments_on_its_page(
    client, secretariat, draft, member_org
):
    client.force_login(secretariat)
    url = f"/declarations/{draft.slug}/drafting/manage/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "period", "period-audience": "group",
                            "period-closes_at": "2020-01-01T00:00"})  # fmt: skip
    assert bad.status_code == 422 and queries.current_version(draft) is None
    closes = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    done = client.post(url, {"action": "period", "period-audience": "group",
                             "period-closes_at": closes, "period-organisations": [member_org.pk]})  # fmt: skip
    assert done.status_code == 302
    assert queries.current_version(draft).number == 1


def test_participants_comment_and_propose_an_outsider_may_not_see(client, opened, owner, outsider):
    url = f"/fr/declarations/{opened.slug}/drafting/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "First we call." in page.content.decode()
    key = first_key(opened)
    empty = client.post(url, {"action": f"amend:{key}", f"a{key}-kind": "replace",
                              f"a{key}-text": "Nous appelons d'abord.", f"a{key}-reason": ""})  # fmt: skip
    assert empty.status_code == 422 and not Amendment.objects.exists()
    done = client.post(url, {"action": f"amend:{key}", f"a{key}-kind": "replace",
                             f"a{key}-text": "Nous appelons d'abord.", f"a{key}-reason": "Plus fort."})  # fmt: skip
    assert done.status_code == 302
    assert Amendment.objects.get().language == "fr"
    client.post(url, {"action": f"comment:{key}", f"c{key}-text": "D'accord."})
    assert Comment.objects.get().text == "D'accord."


def test_a_frozen_text_answers_409_on_the_page(client, opened, owner, secretariat):
    lifecycle.open_declaration(secretariat, opened)
    client.force_login(owner)
    key = first_key(opened)
    answer = client.post(f"/declarations/{opened.slug}/drafting/", {
        "action": f"amend:{key}", f"a{key}-kind": "replace", f"a{key}-text": "X", f"a{key}-reason": "Y",
    })  # fmt: skip
    assert answer.status_code in (403, 409)
    assert not Amendment.objects.exists()


def test_someone_else_may_not_edit_a_comment(client, opened, owner, colleague):
    comment = drafting.add_comment(owner, opened, paragraph=first_key(opened), text="Mine")
    client.force_login(colleague)
    url = f"/declarations/{opened.slug}/drafting/comments/{comment.pk}/"
    assert client.post(url, {"text": "Changed"}).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Mine"


def test_the_comparison_page_marks_insertions_and_deletions(client, opened, owner, secretariat):
    amendment = drafting.propose_amendment(
        owner, opened, paragraph=first_key(opened), kind="replace", text="First we demand.",
        reason="Stronger",
    )  # fmt: skip
    amendments.decide(secretariat, amendment, decision="accept", reason="Agreed")
    client.force_login(owner)
    page = client.get(
        f"/ar/declarations/{opened.slug}/drafting/compare/?old=1&new=2"
    ).content.decode()
    assert "<del>" in page and "<ins>" in page and "demand." in page


def test_the_public_page_lists_cosponsors_first_and_the_response_coverage(
    client, opened, owner, secretariat, member_org
):
    drafting.endorse(owner, opened, member_org.pk)
    drafting.set_history_public(secretariat, opened, True)
    opened = lifecycle.open_declaration(secretariat, opened)
    for code in ("SN", "KE", "BR"):
        addressees.add_addressee(secretariat, opened, kind="government", country=code)
    kenya = opened.addressees.get(country="KE")
    response = addressees.record_response(
        secretariat, kenya, received_on=date.today(), source="Ministry of Environment",
        text="Kenya supports the call.", pledges=[{"text": "A national plan", "deadline": date.today() + timedelta(days=90)}],
    )  # fmt: skip
    addressees.publish_response(secretariat, response)
    page = client.get(f"/declarations/{opened.slug}/").content.decode()
    assert page.index("Initial signatories") < page.index("Sign the declaration")
    assert "Mangrove Keepers" in page
    assert "Responses from <strong>1</strong> of 3 UN member states addressed" in page
    assert "A national plan" in page and "Ministry of Environment" in page
    assert f"/declarations/{opened.slug}/drafting/" in page
    assert client.get(f"/declarations/{opened.slug}/drafting/").status_code == 200  # public history
    assert client.get(f"/declarations/{opened.slug}/responses.svg").status_code == 200


def test_the_addressee_pages_refuse_bad_input_and_outsiders(client, secretariat, outsider, opened):
    client.force_login(outsider)
    assert client.get(f"/declarations/{opened.slug}/addressees/").status_code in (403, 404)
    client.force_login(secretariat)
    url = f"/declarations/{opened.slug}/addressees/"
    bad = client.post(url, {"addressee-kind": "government", "addressee-country": "",
                            "addressee-language": "en"})  # fmt: skip
    assert bad.status_code == 422 and not opened.addressees.exists()
    client.post(
        url, {"addressee-kind": "government", "addressee-country": "SN", "addressee-language": "fr"}
    )
    senegal = opened.addressees.get()
    page = f"/declarations/{opened.slug}/addressees/{senegal.pk}/"
    assert client.get(page).status_code == 200
    no_source = client.post(page, {"action": "response", "response-received_on": "2026-11-01",
                                   "response-text": "Oui", "response-language": "fr"})  # fmt: skip
    assert no_source.status_code == 422 and not senegal.responses.exists()
    delivered = client.post(page, {"action": "delivery", "delivery-delivered_on": "2026-11-01",
                                   "delivery-channel": "post"})  # fmt: skip
    assert delivered.status_code == 302 and senegal.deliveries.count() == 1


def test_a_member_outside_the_group_gets_no_page(client, opened):
    stranger = UserFactory()
    OrganisationFactory(admin=stranger)
    client.force_login(stranger)
    assert client.get(f"/declarations/{opened.slug}/drafting/").status_code == 404
