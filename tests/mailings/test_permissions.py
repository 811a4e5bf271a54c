"""Who may mail whom: the secretariat any audience; an organisation's admin, when the
secretariat allows it, their own organisation's people and the kept-informed signatories of
a declaration they manage; a colleague who is no admin, and an outsider, nobody."""

import pytest
from django.core.exceptions import PermissionDenied

from concord.mailings import permissions
from concord.mailings.models import Audience
from concord.mailings.services import composing
from tests.factories.declarations import DeclarationFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(settings):
    settings.MAILINGS_BY_ORGANISATIONS = True


def _signatories(user, declaration, organisation):
    return composing.save_audience(
        user,
        composing.AudienceInput(
            name="Kept informed", kind="signatories", declaration=declaration.pk,
            organisation=organisation.pk,
        ),
    )  # fmt: skip


def test_without_the_secretariats_leave_an_admin_writes_nothing(owner, member_org):
    assert not permissions.can_write_mailings(owner)
    with pytest.raises(PermissionDenied):
        composing.save_audience(
            owner,
            composing.AudienceInput(
                name="Ours", kind="representatives", organisation=member_org.pk
            ),
        )


def test_an_admin_mails_their_own_people(
    allowed, owner, colleague, outsider, member_org, secretariat
):
    ours = composing.save_audience(
        owner,
        composing.AudienceInput(name="Ours", kind="representatives", organisation=member_org.pk),
    )
    assert permissions.can_use_audience(owner, ours)
    assert permissions.can_use_audience(secretariat, ours)
    assert not permissions.can_use_audience(colleague, ours)
    assert not permissions.can_use_audience(outsider, ours)
    everyone = Audience.objects.create(name="All members", kind="representatives")
    assert not permissions.can_use_audience(owner, everyone)
    assert not permissions.can_write_mailings(colleague)
    assert not permissions.can_write_mailings(outsider)


def test_an_admin_mails_the_signatories_of_a_declaration_they_manage_only(
    allowed, owner, member_org, secretariat
):
    managed = DeclarationFactory(created_by=secretariat, opened=True)
    managed.committee.add(owner)
    other = DeclarationFactory(created_by=secretariat, opened=True)
    assert permissions.can_use_audience(owner, _signatories(owner, managed, member_org))
    with pytest.raises(PermissionDenied):
        _signatories(owner, other, member_org)
    with pytest.raises(PermissionDenied):
        composing.save_audience(
            owner,
            composing.AudienceInput(
                name="Forum",
                kind="participants",
                event=EventFactory(created_by=secretariat).pk,
                organisation=member_org.pk,
            ),
        )
