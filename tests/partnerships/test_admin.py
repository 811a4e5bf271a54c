"""The back office lists partnerships' rows for the secretariat."""

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.partnerships import FundingCallFactory, PartnershipRequestFactory

pytestmark = pytest.mark.django_db


def test_back_office_pages_open(client, secretariat, member_org, owner):
    call = FundingCallFactory(user=secretariat, open_to_all=True)
    PartnershipRequestFactory(organisation=member_org, user=owner)
    admin = UserFactory(email="root@example.org", staff=True, is_superuser=True)
    client.force_login(admin)
    for model in (
        "partnershiprequest", "expressionofinterest", "partnership", "fundingcall",
        "fundingapplication",
    ):  # fmt: skip
        assert client.get(f"/admin/partnerships/{model}/").status_code == 200, model
    assert client.get(f"/admin/partnerships/fundingcall/{call.pk}/change/").status_code == 200
