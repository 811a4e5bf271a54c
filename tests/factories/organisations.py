"""Organisations of the registry and the people who represent them."""

import factory

from concord.accounts.models import User
from concord.organisations.models import Organisation, Representative
from tests.factories.accounts import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A member organisation in Senegal; `admin=user` makes that person its admin."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coastal Action Group {n}")
    country_id = "SN"
    status = "member"

    @factory.post_generation
    def admin(organisation, create, extracted, **kwargs):
        if create and extracted is not None:
            RepresentativeFactory(organisation=organisation, user=extracted, admin=True)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    """A person acting for an organisation; `admin=True` for the organisation's admin."""

    class Meta:
        model = Representative

    class Params:
        admin = factory.Trait(role=Representative.Role.ADMIN)

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Representative.Role.REPRESENTATIVE


def someone_acting_for(organisation: Organisation) -> User:
    """The organisation's first representative, or a new one when it has none."""
    representative = organisation.representatives.select_related("user").first()
    if representative is None:
        representative = RepresentativeFactory(organisation=organisation)
    return representative.user
