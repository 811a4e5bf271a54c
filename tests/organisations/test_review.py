"""The secretariat reviews applications; applicants are told by email."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from concord.core.errors import Refused
from concord.core.models import AuditEvent, OutgoingEmail
from concord.organisations import services
from concord.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def review(client, user, organisation, action, note=""):
    client.force_login(user)
    return client.post(
        reverse("organisations:review_action", args=[organisation.pk]),
        # A decline is confirmed on a second step; this posts the confirmed step.
        {"action": action, "note": note, "confirm": "yes"},
    )


def test_approval_makes_a_member_and_tells_the_applicant(
    client, secretariat, pending_org, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(client, secretariat, pending_org, "approve")
    pending_org.refresh_from_db()
    assert pending_org.status == "member"
    assert pending_org.member_since is not None
    email = OutgoingEmail.objects.get(to=owner.email)
    assert "Delta Youth Network" in email.subject
    assert email.sent_at is not None
    event = AuditEvent.objects.get(action="membership.approved")
    assert event.actor == secretariat
    client.logout()
    assert "Delta Youth Network" in client.get(reverse("organisations:directory")).text


def test_rejection_needs_a_reason_which_the_applicant_receives(
    client, secretariat, pending_org, owner, django_capture_on_commit_callbacks
):
    review(client, secretariat, pending_org, "reject", note="")
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        review(client, secretariat, pending_org, "reject", note="Not a registered non-profit.")
    pending_org.refresh_from_db()
    assert pending_org.status == "rejected"
    assert "Not a registered non-profit." in OutgoingEmail.objects.get(to=owner.email).body_text


def test_asking_for_information_then_resubmitting(
    client, secretariat, pending_org, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(client, secretariat, pending_org, "more_info", note="Add your registration number.")
    pending_org.refresh_from_db()
    assert pending_org.status == "more_info"
    client.force_login(owner)
    page = client.get(reverse("organisations:detail", args=[pending_org.pk])).text
    assert "Add your registration number." in page
    client.post(reverse("organisations:resubmit", args=[pending_org.pk]))
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"
    assert AuditEvent.objects.filter(action="membership.resubmitted").exists()


def test_an_approved_member_cannot_be_approved_again(secretariat, member_org):
    with pytest.raises(Refused):
        services.approve_membership(secretariat, member_org)


def test_the_applicant_is_emailed_in_their_language(
    secretariat, pending_org, owner, django_capture_on_commit_callbacks
):
    owner.language = "fr"
    owner.save()
    services.approve_membership(secretariat, pending_org)
    email = OutgoingEmail.objects.get(to=owner.email)
    english = "Welcome: Delta Youth Network is now a member"
    assert "Delta Youth Network" in email.subject
    assert email.subject != english


@pytest.mark.parametrize("persona", ["owner", "colleague", "outsider"])
def test_only_the_secretariat_reviews(client, request, pending_org, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.approve_membership(user, pending_org)
    client.force_login(user)
    assert client.get(reverse("organisations:review")).status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"


def test_real_smtp_delivery_of_the_decision(
    secretariat, pending_org, owner, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.review_with_note(
            secretariat, pending_org, Organisation.Status.REJECTED, "Outside the coalition's scope."
        )
    received = smtp_server.wait_for(1)
    assert len(received) == 1
    assert received[0]["To"] == owner.email
    assert "Outside the coalition" in received[0].as_string()
    assert Organisation.objects.get(pk=pending_org.pk).status == "rejected"
