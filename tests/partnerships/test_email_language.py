"""Partnership emails are written whole in the recipient's language: the words the service
fills in (an organisation's role) as well as the template's, whoever records it."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from concord.core.models import OutgoingEmail
from concord.partnerships.services import partnerships
from tests import inbox
from tests.partnerships.test_partnerships import payload

pytestmark = pytest.mark.django_db


def test_a_named_partner_reads_its_role_in_its_admins_language(
    member_org, partner_org, owner, partner_rep
):
    with translation.override("en"):  # the recording admin works in English
        recorded = partnerships.record_partnership(owner, payload(member_org, partner_org))
    message = OutgoingEmail.objects.get(to=partner_rep.email)  # French, per the fixture
    with translation.override("fr"):
        role = gettext("Partner")
        page = reverse("partnerships:partnership", args=[recorded.pk])
    assert role != "Partner" and page.startswith("/fr/")
    assert f"Costa Viva ({role})" in message.body_text
    assert inbox.paths(message.body_text) == [page]
