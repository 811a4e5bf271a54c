"""A partnership names organisations only with their consent: recorded by one, it is seen only
by the people involved until an admin of each named organisation accepts or declines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from concord.core.models import OutgoingEmail
from concord.partnerships.models import Partner, Partnership
from concord.partnerships.services import partnerships
from concord.web.demo import build_demo
from tests.partnerships.test_partnerships import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(member_org, partner_org, far_org, owner):
    """Mangrove Keepers' admin names Costa Viva (lead) and Sahel Solar, over a year ago."""
    started = (timezone.localdate() - timedelta(days=400)).isoformat()
    return partnerships.record_partnership(
        owner, payload(partner_org, far_org, member_org, title="Named", started_on=started)
    )


def test_named_organisations_are_not_listed_before_they_accept(
    client, recorded, partner_org, far_org, outsider
):
    assert "Named" not in client.get("/partnerships/active/").text
    assert "Named" not in client.get("/partnerships/active/?status=late").text
    assert client.get("/api/v1/partnerships").json()["count"] == 0
    assert client.get(f"/partnerships/active/{recorded.pk}/").status_code == 404
    assert client.get(f"/api/v1/partnerships/{recorded.pk}").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/partnerships/active/{recorded.pk}/").status_code == 404


def test_each_named_organisations_admins_are_asked(recorded, partner_org, partner_rep, owner):
    asked = set(OutgoingEmail.objects.filter(key__startswith="partnerships.named:"))
    assert {email.to for email in asked} == {partner_rep.email, "sahel@example.org"}
    assert all("Named" in email.subject for email in asked)
    # The recorder is an admin of its own organisation: recording it was its answer.
    own = recorded.members.get(organisation__name="Mangrove Keepers")
    assert (own.answer, own.answered_by) == (Partner.Answer.ACCEPTED, owner)


def test_listed_once_every_named_organisation_accepts(
    client, recorded, partner_org, far_org, partner_rep
):
    client.force_login(partner_rep)
    page = client.get(f"/partnerships/active/{recorded.pk}/")
    assert page.status_code == 200 and f'id="answer-{partner_org.pk}"' in page.text
    assert "Named" in client.get("/partnerships/active/").text  # in its "awaiting" list
    accepted = client.post(f"/partnerships/active/{recorded.pk}/partners/{partner_org.pk}/accept/")
    assert accepted.status_code == 302
    client.logout()
    assert client.get("/api/v1/partnerships").json()["count"] == 0  # Sahel Solar has not answered
    sahel = far_org.representatives.get().user
    client.force_login(sahel)
    answer = client.post(f"/api/v1/partnerships/{recorded.pk}/partners/{far_org.pk}/accept")
    assert answer.status_code == 200 and answer.json()["answer"] == "accepted"
    client.logout()
    listed = client.get("/api/v1/partnerships?status=late").json()["results"]
    assert [p["id"] for p in listed] == [recorded.pk]
    assert {p["organisation"]["name"] for p in listed[0]["partners"]} == {
        "Costa Viva", "Sahel Solar", "Mangrove Keepers",
    }  # fmt: skip
    assert client.get(f"/partnerships/active/{recorded.pk}/").status_code == 200


def test_a_declining_organisation_is_never_listed(client, recorded, partner_org, far_org):
    sahel = far_org.representatives.get().user
    client.force_login(sahel)
    page = client.post(f"/partnerships/active/{recorded.pk}/partners/{far_org.pk}/decline/")
    assert page.status_code == 302
    again = client.post(f"/api/v1/partnerships/{recorded.pk}/partners/{far_org.pk}/accept")
    assert again.status_code == 409
    client.force_login(partner_org.representatives.get().user)
    client.post(f"/partnerships/active/{recorded.pk}/partners/{partner_org.pk}/accept/")
    client.logout()
    assert "Sahel Solar" not in client.get(f"/partnerships/active/{recorded.pk}/").text
    listed = client.get(f"/api/v1/partnerships/{recorded.pk}").json()
    assert {p["organisation"]["name"] for p in listed["partners"]} == {
        "Costa Viva", "Mangrove Keepers",
    }  # fmt: skip


def test_only_the_named_organisations_admins_answer(
    client, recorded, partner_org, colleague, secretariat
):
    for person in (colleague, secretariat):
        client.force_login(person)
        url = f"/api/v1/partnerships/{recorded.pk}/partners/{partner_org.pk}/accept"
        assert client.post(url).status_code == 403
        page = client.post(f"/partnerships/active/{recorded.pk}/partners/{partner_org.pk}/accept/")
        assert page.status_code == 403
    assert recorded.members.get(organisation=partner_org).awaits_answer


def test_demo_partnerships_are_agreed():
    build_demo(size=60)
    assert Partnership.objects.exists()
    assert not Partner.objects.filter(answer=Partner.Answer.PENDING).exists()
    assert not Partnership.objects.filter(agreed_at__isnull=True).exists()
