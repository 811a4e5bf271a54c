"""Each set form of a permission (one query for a list) allows exactly what its `can_*`
allows, for every person and object of a small world: a rule changed in one and not the
other fails here."""

import pytest

from concord.events import permissions as event_permissions
from concord.organisations import permissions as organisation_permissions
from concord.partnerships import permissions as partnership_permissions
from concord.partnerships.models import ExpressionOfInterest, PartnershipRequest
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Admins and representatives of a member, of a pending and of a questioned applicant,
    someone with no organisation, and the secretariat."""
    admin, representative, applicant = UserFactory(), UserFactory(), UserFactory()
    member = OrganisationFactory(name="Member", admin=admin)
    RepresentativeFactory(organisation=member, user=representative)
    pending = OrganisationFactory(name="Pending", status="pending", admin=applicant)
    RepresentativeFactory(organisation=pending, user=representative)
    questioned = OrganisationFactory(name="Questioned", status="more_info", admin=representative)
    RepresentativeFactory(organisation=questioned, user=admin, role="representative")
    other = OrganisationFactory(name="Other", admin=UserFactory())
    people = [admin, representative, applicant, UserFactory(), UserFactory(staff=True)]
    return people, [member, pending, questioned, other]


def allowed(rule, user, objects) -> set[int]:
    return {thing.pk for thing in objects if rule(user, thing)}


def test_organisation_sets_match_their_rules(people):
    users, organisations = people
    for user in users:
        acted_for = organisation_permissions.organisations_acted_for(user)
        assert set(acted_for.values_list("pk", flat=True)) == allowed(
            organisation_permissions.can_act_for, user, organisations
        )
        administered = organisation_permissions.organisations_administered(user)
        edits = allowed(organisation_permissions.can_edit, user, organisations)
        if organisation_permissions.is_secretariat(user):
            # The secretariat edits every organisation without administering any.
            assert not administered.exists()
        else:
            assert set(administered.values_list("pk", flat=True)) == edits


def test_partnership_sets_match_their_rules(people):
    users, organisations = people
    # Interests in a request of each organisation (a request row needs no member status).
    interests = [
        ExpressionOfInterest(
            request=PartnershipRequest(organisation=organisation), organisation=organisations[3]
        )
        for organisation in organisations
    ]
    for user in users:
        answered_for = partnership_permissions.organisations_answered_for(user)
        assert set(answered_for.values_list("pk", flat=True)) == allowed(
            partnership_permissions.can_answer_for, user, organisations
        )
        answering = set(
            partnership_permissions.organisations_answering_interests(user).values_list(
                "pk", flat=True
            )
        )
        assert answering == {
            interest.request.organisation.pk
            for interest in interests
            if partnership_permissions.can_answer_interest(user, interest)
        }


def test_managed_events_match_can_manage(people):
    users, organisations = people
    admin, representative, _applicant, _outsider, secretariat = users
    member, pending, questioned, other = organisations
    events = [
        EventFactory(created_by=admin, organisation_ids=[member.pk]),
        EventFactory(created_by=secretariat, organisation_ids=[other.pk]),
        EventFactory(created_by=secretariat, organisation_ids=[member.pk, other.pk]),
        EventFactory(created_by=secretariat),
    ]
    events[3].organisers.add(representative)
    # Applicants named among an event's organisations (as the back office may): their admins
    # manage it too.
    events[1].organisations.add(questioned)
    events[3].organisations.add(pending)
    for user in users:
        managed = event_permissions.events_managed_by(user)
        assert set(managed.values_list("pk", flat=True)) == allowed(
            event_permissions.can_manage, user, events
        ), user
