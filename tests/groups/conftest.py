import pytest

from concord.groups.models import Group
from concord.groups.services import membership
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

DOMAIN = "reply.concord.test"


@pytest.fixture(autouse=True)
def reply_domain(settings):
    settings.REPLY_DOMAIN = DOMAIN
    settings.BOUNCE_DOMAIN = DOMAIN


@pytest.fixture
def people(db, member_org, owner, colleague, outsider):
    """The moderator (owner of Mangrove Keepers, Senegal), a colleague of the same
    organisation, a French-speaking representative of another member in Mali, an outsider."""
    mali = OrganisationFactory(name="Sahel Water Network", acronym="SWN", country_id="ML")
    fatou = RepresentativeFactory(
        organisation=mali,
        user=UserFactory(email="fatou@sahel.example", name="Fatou Diallo", language="fr"),
    ).user
    return {"moderator": owner, "colleague": colleague, "fatou": fatou, "outsider": outsider}


@pytest.fixture
def group(people) -> Group:
    return membership.create_group(
        people["moderator"],
        membership.GroupInput(
            name="Adaptation in the Sahel", purpose="Share what works.",
            kind=Group.Kind.REGIONAL, admission=Group.Admission.REQUEST,
            visibility=Group.Visibility.MEMBERS,
        ),
    )  # fmt: skip


@pytest.fixture
def members(group, people):
    """Colleague and Fatou joined (by request, approved); Fatou reads every post."""
    for name in ("colleague", "fatou"):
        asked = membership.join(people[name], group)
        membership.approve(people["moderator"], asked)
    return group
