"""Admins invite colleagues as representatives; the link needs a click, not just a visit."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from concord.organisations import services
from concord.organisations.models import Representative
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def invitation_path(email: str) -> str:
    # The message as sent: the stored copy loses its one-time link once delivered.
    body = [sent for sent in mail.outbox if sent.to == [email]][-1].body
    return re.search(r"http://testserver(/\S+/invitations/\S+/)", body).group(1)


def test_invited_colleague_accepts_and_becomes_a_representative(
    client, owner, member_org, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:invite", args=[member_org.pk]),
            {"email": "New.Person@Example.org", "role": "representative"},
        )
    path = invitation_path("new.person@example.org")
    newcomer = UserFactory(email="new.person@example.org")
    client.force_login(newcomer)
    assert client.get(path).status_code == 200  # a mail scanner's visit changes nothing
    assert not Representative.objects.filter(user=newcomer).exists()
    client.post(path)
    assert Representative.objects.get(user=newcomer).organisation == member_org
    client.post(path)  # a used link is refused
    assert Representative.objects.filter(user=newcomer).count() == 1


def test_an_invitation_is_only_for_its_address(owner, outsider, member_org):
    _, token = services.invite_representative(owner, member_org, "someone@example.org")
    with pytest.raises(PermissionDenied):
        services.accept_invitation(outsider, token)


def test_a_colleague_cannot_invite(colleague, member_org):
    with pytest.raises(PermissionDenied):
        services.invite_representative(colleague, member_org, "friend@example.org")


def test_the_last_admin_cannot_be_removed(owner, secretariat, member_org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.remove_representative(secretariat, member_org, owner.pk)
    assert Representative.objects.filter(user=owner, role="admin").exists()


def test_the_owner_removes_a_colleague(client, owner, colleague, member_org):
    client.force_login(owner)
    client.post(reverse("organisations:remove_representative", args=[member_org.pk, colleague.pk]))
    assert not Representative.objects.filter(user=colleague).exists()
