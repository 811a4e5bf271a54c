"""A review or resubmission the application's status does not allow is refused the same way
on the page and through the API: 409 with the same message, and nothing changes."""

import html

import pytest
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent, OutgoingEmail

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


REVIEWS = [
    ("reject", "reject", {"reason": "Outside the coalition's scope."}),
    ("more_info", "request-information", {"message": "Add your registration number."}),
    ("approve", "approve", {}),
]


@pytest.mark.parametrize(("action", "endpoint", "payload"), REVIEWS)
def test_reviewing_a_member_is_refused_alike_on_the_page_and_the_api(
    client, secretariat, member_org, action, endpoint, payload
):
    message = "This application is “Member” and cannot be changed that way."
    client.force_login(secretariat)

    page = client.post(
        reverse("organisations:review_action", args=[member_org.pk]),
        {"action": action, "note": next(iter(payload.values()), "")},
    )
    api = client.post(
        f"/api/v1/membership-applications/{member_org.pk}/{endpoint}",
        payload,
        content_type="application/json",
        **bearer(secretariat),
    )

    assert page.status_code == api.status_code == 409
    assert message in html.unescape(page.content.decode())
    assert api.json() == {"detail": message, "code": "wrong_state"}
    member_org.refresh_from_db()
    assert member_org.status == "member"
    assert member_org.review_note == ""
    assert not AuditEvent.objects.filter(action__startswith="membership.").exists()
    assert not OutgoingEmail.objects.exists()


def test_resubmitting_an_application_not_awaiting_information_is_refused_alike(
    client, owner, pending_org
):
    message = "Only an application awaiting information can be resubmitted."
    client.force_login(owner)

    page = client.post(reverse("organisations:resubmit", args=[pending_org.pk]))
    api = client.post(f"/api/v1/membership-applications/{pending_org.pk}/resubmit", **bearer(owner))

    assert page.status_code == api.status_code == 409
    assert message in html.unescape(page.content.decode())
    assert "Delta Youth Network" in page.content.decode()
    assert api.json()["detail"] == message
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"
    assert not AuditEvent.objects.filter(action="membership.resubmitted").exists()
