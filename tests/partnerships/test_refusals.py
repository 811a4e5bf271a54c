"""A move from the wrong state is refused the same way on the page and in the API: 409, with
the same message, and nothing changes."""

import pytest

from concord.core.models import OutgoingEmail
from concord.partnerships.models import ExpressionOfInterest, Partnership
from concord.partnerships.services import interests, requests
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db

ANSWERED = "This expression of interest has already been answered."
CLOSED = "This request is closed."


@pytest.fixture
def posted(member_org, owner):
    return PartnershipRequestFactory(organisation=member_org, user=owner, title="Mangrove methods")


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_an_answered_interest_cannot_be_answered_again_on_the_page_or_in_the_api(
    client, posted, partner_org, partner_rep, owner, action
):
    interest = interests.express_interest(partner_rep, partner_org, posted, "We can help.")
    interests.decline_interest(owner, interest)
    emails = OutgoingEmail.objects.count()
    client.force_login(owner)

    page = client.post(f"/partnerships/interests/{interest.pk}/{action}/")
    api = client.post(f"/api/v1/interests/{interest.pk}/{action}")

    assert page.status_code == api.status_code == 409
    assert ANSWERED in page.content.decode()
    assert api.json() == {"detail": ANSWERED, "code": "answered"}
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.DECLINED
    assert not Partnership.objects.exists()
    assert OutgoingEmail.objects.count() == emails


def close(owner, posted, partner_org, partner_rep) -> None:
    requests.close_request(owner, posted)


def express(owner, posted, partner_org, partner_rep) -> None:
    interests.express_interest(partner_rep, partner_org, posted, "We can help.")


@pytest.mark.parametrize(
    ("before", "message", "code"),
    [
        (close, CLOSED, "closed"),
        (express, "Your organisation has already expressed interest in this.", "duplicate"),
    ],
)
def test_interest_in_a_closed_request_or_twice_is_refused_on_the_page_and_in_the_api(
    client, posted, partner_org, partner_rep, owner, before, message, code
):
    before(owner, posted, partner_org, partner_rep)
    interests_before = ExpressionOfInterest.objects.count()
    emails = OutgoingEmail.objects.count()
    client.force_login(partner_rep)
    data = {"organisation": partner_org.pk, "message": "We can help."}

    page = client.post(f"/partnerships/requests/{posted.pk}/interest/", data)
    api = client.post(
        f"/api/v1/partnership-requests/{posted.pk}/interests", data, content_type="application/json"
    )

    assert page.status_code == api.status_code == 409
    assert message in page.content.decode()
    assert api.json() == {"detail": message, "code": code}
    assert ExpressionOfInterest.objects.count() == interests_before
    assert OutgoingEmail.objects.count() == emails
