"""Expressions of interest: sent through the platform, answered, turned into a partnership."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.core.errors import Refused
from concord.core.models import OutgoingEmail
from concord.partnerships.models import ExpressionOfInterest, Partner, Partnership
from concord.partnerships.services import interests
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(member_org, owner):
    return PartnershipRequestFactory(organisation=member_org, user=owner, title="Mangrove methods")


def test_interest_emails_the_requesters_representatives_without_addresses(
    posted, partner_org, partner_rep, owner, colleague
):
    interest = interests.express_interest(partner_rep, partner_org, posted, "We can help.")
    assert interest.status == "pending"
    emails = OutgoingEmail.objects.order_by("to")
    assert [e.to for e in emails] == [colleague.email, owner.email]
    for email in emails:
        assert email.subject == "Costa Viva is interested in “Mangrove methods”"
        assert "We can help." in email.body_text
        assert partner_rep.email not in email.body_text + email.body_html
        assert f"/partnerships/requests/{posted.pk}/" in email.body_text


def test_interest_in_ones_own_request_is_refused(posted, member_org, owner):
    with pytest.raises(ValidationError) as refused:
        interests.express_interest(owner, member_org, posted, "Us!")
    assert refused.value.message_dict["organisation"] == [
        "An organisation cannot express interest in its own request."
    ]
    assert not ExpressionOfInterest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_same_interest_twice_is_refused(posted, partner_org, partner_rep):
    interests.express_interest(partner_rep, partner_org, posted, "We can help.")
    with pytest.raises(Refused) as refused:
        interests.express_interest(partner_rep, partner_org, posted, "Again.")
    assert "already expressed interest" in str(refused.value)
    assert ExpressionOfInterest.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2  # the first interest's emails only


def test_an_outsider_may_not_express_interest_for_an_organisation(posted, partner_org, outsider):
    with pytest.raises(PermissionDenied):
        interests.express_interest(outsider, partner_org, posted, "Hello")
    assert not ExpressionOfInterest.objects.exists()


def test_accepting_records_a_partnership_and_tells_the_other_side(
    posted, partner_org, partner_rep, owner, member_org
):
    interest = interests.express_interest(partner_rep, partner_org, posted, "We can help.")
    partnership = interests.accept_interest(owner, interest)
    interest.refresh_from_db()
    assert interest.status == "accepted" and interest.decided_by == owner
    assert partnership.interest == interest and partnership.request == posted
    roles = dict(
        Partner.objects.filter(partnership=partnership).values_list("organisation", "role")
    )
    assert roles == {member_org.pk: "lead", partner_org.pk: "partner"}
    # Both sides chose each other: only now does each receive the other's addresses.
    to_helper = OutgoingEmail.objects.get(
        key__startswith="partnerships.introduced:", to=partner_rep.email
    )
    assert to_helper.subject == "Partenariat enregistré : « Mangrove methods »"  # in French
    assert "Awa Owner <owner@example.org>" in to_helper.body_text
    assert "Bakary Colleague <colleague@example.org>" in to_helper.body_text
    to_owner = OutgoingEmail.objects.get(key__startswith="partnerships.introduced:", to=owner.email)
    assert "Paulo Partner <partner@example.org>" in to_owner.body_text
    assert f"/partnerships/active/{partnership.pk}/" in to_owner.body_text
    assert OutgoingEmail.objects.filter(key__startswith="partnerships.introduced:").count() == 3


def test_only_the_requester_answers_and_only_once(posted, partner_org, partner_rep, owner):
    interest = interests.express_interest(partner_rep, partner_org, posted, "We can help.")
    with pytest.raises(PermissionDenied):
        interests.accept_interest(partner_rep, interest)
    interests.decline_interest(owner, interest)
    with pytest.raises(Refused) as refused:
        interests.accept_interest(owner, interest)
    assert refused.value.status == 409
    assert not Partnership.objects.exists()


def test_api_interest_then_accept(client, posted, partner_org, partner_rep, owner):
    client.force_login(partner_rep)
    url = f"/api/v1/partnership-requests/{posted.pk}/interests"
    answer = client.post(
        url, {"organisation": partner_org.pk, "message": "Hello"}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    again = client.post(
        url, {"organisation": partner_org.pk, "message": "Hello"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate"
    interest_id = answer.json()["id"]
    assert client.post(f"/api/v1/interests/{interest_id}/accept").status_code == 403
    client.force_login(owner)
    accepted = client.post(f"/api/v1/interests/{interest_id}/accept")
    assert accepted.status_code == 201
    assert {p["role"] for p in accepted.json()["partners"]} == {"lead", "partner"}


def test_pages_express_and_accept(client, posted, partner_org, partner_rep, owner):
    client.force_login(partner_rep)
    page = client.get(f"/partnerships/requests/{posted.pk}/").content.decode()
    assert "Express interest" in page and owner.email not in page
    client.post(
        f"/partnerships/requests/{posted.pk}/interest/",
        {"organisation": partner_org.pk, "message": "Let us work together."},
    )
    interest = ExpressionOfInterest.objects.get()
    client.force_login(owner)
    page = client.get(f"/partnerships/requests/{posted.pk}/").content.decode()
    assert "Let us work together." in page and partner_rep.email not in page
    answer = client.post(f"/partnerships/interests/{interest.pk}/accept/")
    partnership = Partnership.objects.get()
    assert answer["Location"] == f"/partnerships/active/{partnership.pk}/"


def test_pages_decline_and_close(client, posted, partner_org, partner_rep, owner):
    interest = interests.express_interest(partner_rep, partner_org, posted, "Hello")
    client.force_login(partner_rep)
    assert client.post(f"/partnerships/interests/{interest.pk}/decline/").status_code == 403
    interest.refresh_from_db()
    assert interest.status == "pending"  # only the requester answers
    client.force_login(owner)
    client.post(f"/partnerships/interests/{interest.pk}/decline/")
    interest.refresh_from_db()
    assert interest.status == "declined"
    assert client.post(f"/partnerships/interests/{interest.pk}/delete/").status_code == 404
    client.post(f"/partnerships/requests/{posted.pk}/close/")
    posted.refresh_from_db()
    assert posted.status == "closed"
    assert client.get("/api/v1/partnership-requests").json()["count"] == 0
