"""A review move the case study's status does not allow is refused the same way on the page
and through the API: 409 with the same message, and nothing changes."""

import html

import pytest
from django.urls import reverse

from concord.accounts.services import create_api_token
from concord.core.models import AuditEvent, OutgoingEmail
from concord.knowledge.models import Practice
from tests.factories.knowledge import PracticeFactory

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user, 'tests')[1]}"}


@pytest.mark.parametrize(
    ("action", "comment"), [("publish", ""), ("return", "Add the number of households.")]
)
def test_reviewing_a_draft_is_refused_alike_on_the_page_and_the_api(
    client, member_org, secretariat, action, comment
):
    practice = PracticeFactory(organisation=member_org, status="draft")
    message = "This case study is “Draft” and cannot be changed that way."
    client.force_login(secretariat)

    page = client.post(
        reverse("knowledge:review_action", args=[practice.pk]),
        {"action": action, "comment": comment},
    )
    api = client.post(
        f"/api/v1/practices/{practice.pk}/review",
        {"action": action, "comment": comment},
        content_type="application/json",
        **bearer(secretariat),
    )

    assert page.status_code == api.status_code == 409
    text = html.unescape(page.content.decode())
    assert message in text
    assert practice.title in text
    assert api.json() == {"detail": message, "code": "wrong_state"}
    practice.refresh_from_db()
    assert practice.status == Practice.Status.DRAFT
    assert practice.review_note == ""
    assert not AuditEvent.objects.filter(action__startswith="practice.").exists()
    assert not OutgoingEmail.objects.exists()


def test_submitting_a_published_case_study_is_refused_alike(client, member_org, owner):
    practice = PracticeFactory(organisation=member_org, status="published")
    message = "This case study is “Published” and cannot be changed that way."
    client.force_login(owner)

    page = client.post(reverse("knowledge:submit", args=[practice.pk]))
    api = client.post(f"/api/v1/practices/{practice.pk}/submit", **bearer(owner))

    assert page.status_code == api.status_code == 409
    assert message in html.unescape(page.content.decode())
    assert api.json()["detail"] == message
    practice.refresh_from_db()
    assert practice.status == Practice.Status.PUBLISHED
    assert practice.submitted_at is None
