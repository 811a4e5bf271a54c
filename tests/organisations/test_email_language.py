"""Membership emails are in the recipient's language and link to pages in it, though the
secretariat or the inviting admin works in another one."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from concord.organisations import services
from tests import inbox
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_the_welcome_email_links_to_the_members_language(
    secretariat, pending_org, owner, smtp_server, django_capture_on_commit_callbacks
):
    owner.language = "fr"
    owner.save(update_fields=["language"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.approve_membership(secretariat, pending_org)  # the secretariat works in English

    [welcome] = inbox.to(smtp_server.wait_for(1), owner.email)
    with translation.override("fr"):
        french = gettext("Welcome: %(name)s is now a member") % {"name": pending_org.name}
    assert inbox.subject(welcome) == french
    body = inbox.parts(welcome)
    assert '<html lang="fr"' in body["text/html"]
    assert set(inbox.paths(*body.values())) == {f"/fr/members/{pending_org.pk}/"}


def test_an_invitation_to_someone_with_an_account_follows_their_preference(
    member_org, owner, smtp_server, django_capture_on_commit_callbacks
):
    """The admin writes in English; the invitee's account asks for Arabic."""
    UserFactory(email="nour@example.org", name="Nour", language="ar")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.invite_representative(owner, member_org, "nour@example.org")

    [invitation] = inbox.to(smtp_server.wait_for(1), "nour@example.org")
    with translation.override("ar"):
        arabic = gettext("Invitation to represent %(name)s") % {"name": member_org.name}
    assert inbox.subject(invitation) == arabic
    body = inbox.parts(invitation)
    [link] = set(inbox.paths(*body.values()))
    assert link.startswith("/ar/members/invitations/")


def test_an_invitation_to_a_newcomer_is_in_the_inviters_language(
    member_org, owner, django_capture_on_commit_callbacks
):
    from concord.core.models import OutgoingEmail

    owner.language = "es"
    owner.save(update_fields=["language"])
    with translation.override("en"):
        services.invite_representative(owner, member_org, "nuevo@example.org")
    message = OutgoingEmail.objects.get(to="nuevo@example.org")
    assert '<html lang="es"' in message.body_html
    assert all(path.startswith("/es/") for path in inbox.paths(message.body_text))
