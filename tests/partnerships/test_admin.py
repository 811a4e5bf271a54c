"""The back office lists partnerships' rows for the secretariat."""

import pytest

from tests.factories import make_funding_call, make_partnership_request, make_user

pytestmark = pytest.mark.django_db


def test_back_office_pages_open(client, secretariat, member_org, owner):
    call = make_funding_call(secretariat, open_to_all=True)
    make_partnership_request(member_org, owner)
    admin = make_user("root@example.org", staff=True, is_superuser=True)
    client.force_login(admin)
    for model in (
        "partnershiprequest", "expressionofinterest", "partnership", "fundingcall",
        "fundingapplication",
    ):  # fmt: skip
        assert client.get(f"/admin/partnerships/{model}/").status_code == 200, model
    assert client.get(f"/admin/partnerships/fundingcall/{call.pk}/change/").status_code == 200
