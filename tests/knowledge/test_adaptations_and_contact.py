"""'We adapted this' records and messages to the owning organisation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from concord.core.models import OutgoingEmail
from concord.knowledge.models import Adaptation
from concord.knowledge.services import adaptations
from tests.factories.knowledge import PracticeFactory


def test_another_member_records_an_adaptation_once_per_place(member_org, other_org, adapter):
    practice = PracticeFactory(organisation=member_org)
    adaptations.record_adaptation(
        adapter,
        practice,
        other_org,
        {"country": "BD", "place": "Khulna", "account": "We planted 20 ha."},
    )
    assert Adaptation.objects.get().country_id == "BD"
    with pytest.raises(ValidationError):
        adaptations.record_adaptation(
            adapter, practice, other_org, {"country": "BD", "account": "Again"}
        )
    assert Adaptation.objects.count() == 1


def test_owner_and_outsider_cannot_record_adaptations(member_org, owner, outsider, other_org):
    practice = PracticeFactory(organisation=member_org)
    with pytest.raises(PermissionDenied):
        adaptations.record_adaptation(
            owner, practice, member_org, {"country": "SN", "account": "x"}
        )
    with pytest.raises(PermissionDenied):
        adaptations.record_adaptation(
            outsider, practice, other_org, {"country": "BD", "account": "x"}
        )


def test_adaptation_needs_a_real_country_and_an_account(member_org, other_org, adapter):
    practice = PracticeFactory(organisation=member_org)
    with pytest.raises(ValidationError) as error:
        adaptations.record_adaptation(
            adapter, practice, other_org, {"country": "ZZ", "account": ""}
        )
    assert set(error.value.message_dict) == {"country", "account"}
    assert not Adaptation.objects.exists()


def test_contact_reaches_representatives_without_showing_addresses(
    member_org, owner, colleague, outsider, client
):
    practice = PracticeFactory(organisation=member_org)
    assert adaptations.contact_organisation(outsider, practice, "Can we visit your nursery?") == 2
    recipients = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert recipients == {owner.email, colleague.email}
    page = client.get(f"/practices/{practice.pk}/").content.decode()
    assert owner.email not in page and colleague.email not in page


def test_anonymous_cannot_contact(member_org):
    from django.contrib.auth.models import AnonymousUser

    practice = PracticeFactory(organisation=member_org)
    with pytest.raises(PermissionDenied):
        adaptations.contact_organisation(AnonymousUser(), practice, "Hello")
