"""Partnership requests and offers, and funding calls, made through the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from concord.partnerships.models import (
    ExpressionOfInterest,
    FundingCall,
    Partner,
    Partnership,
    PartnershipRequest,
)
from concord.partnerships.services import consent, funding, interests, partnerships, requests
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, someone_acting_for


class PartnershipRequestFactory(factory.django.DjangoModelFactory):
    """A request (or offer, kind="offer") posted through the service, as a page would, by
    `user` or else by one of the organisation's representatives."""

    class Meta:
        model = PartnershipRequest

    organisation = factory.SubFactory(OrganisationFactory)
    user = None
    purpose = "knowledge_exchange"
    title = "Partner sought for mangrove restoration"
    description = "We restore mangroves with fishing communities."

    @classmethod
    def _create(cls, model_class, organisation, user=None, **data):
        return requests.post_request(user or someone_acting_for(organisation), organisation, data)


class FundingCallFactory(factory.django.DjangoModelFactory):
    """A grant call closing in 30 days, entered through the service by `user` (staff)."""

    class Meta:
        model = FundingCall

    user = factory.SubFactory(UserFactory, staff=True)
    title = "Community adaptation grants"
    funder = "Adaptation Fund"
    instrument = "grant"
    amount_min = 10000
    amount_max = 50000
    currency = "USD"
    deadline = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=30)).replace(tzinfo=None)
    )
    deadline_timezone = "UTC"
    link = "https://example.org/call"

    @classmethod
    def _create(cls, model_class, user, **data):
        return funding.create_funding_call(user, data)


def record_agreed(user, data: dict) -> Partnership:
    """A partnership recorded through the service, then accepted by an admin of each named
    organisation, so it is listed publicly."""
    partnership = partnerships.record_partnership(user, data)
    for member in partnership.members.filter(answer=Partner.Answer.PENDING):
        admin = member.organisation.representatives.filter(role="admin").first()
        consent.answer_partnership(admin.user, partnership, member.organisation, accept=True)
    partnership.refresh_from_db()
    return partnership


class InterestFactory(factory.django.DjangoModelFactory):
    """An organisation's expression of interest in a request, sent through the service by
    `user` (else one of the interested organisation's representatives)."""

    class Meta:
        model = ExpressionOfInterest

    request = factory.SubFactory(PartnershipRequestFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    user = None
    message = "We restore mangroves too and would share our nursery methods."

    @classmethod
    def _create(cls, model_class, request, organisation, user=None, message=""):
        user = user or someone_acting_for(organisation)
        return interests.express_interest(user, organisation, request, message)
