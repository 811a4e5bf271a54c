"""A member's new name or country goes back to the secretariat (a rename could impersonate
another organisation); other edits apply at once."""

import pytest

from concord.organisations.models import Organisation
from concord.organisations.services import update_organisation

pytestmark = pytest.mark.django_db


def test_a_rename_through_the_api_waits_for_the_secretariat(client, member_org, owner):
    client.force_login(owner)
    answer = client.patch(
        f"/api/v1/organisations/{member_org.pk}",
        {"name": "Greenpeace Senegal", "country": "FR", "city": "Ziguinchor"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    member_org.refresh_from_db()
    assert (member_org.name, member_org.country_id) == ("Mangrove Keepers", "SN")
    assert member_org.city == "Ziguinchor"  # not an identity change: applied at once
    assert (member_org.proposed_name, member_org.proposed_country_id) == (
        "Greenpeace Senegal", "FR",
    )  # fmt: skip
    client.logout()
    assert "Greenpeace Senegal" not in client.get("/members/").text
    assert "Greenpeace Senegal" not in client.get(f"/members/{member_org.pk}/").text


def test_the_secretariat_approves_or_declines_it(client, member_org, owner, secretariat):
    update_organisation(owner, member_org, {"name": "Mangrove Keepers Senegal"})
    client.force_login(secretariat)
    queue = client.get("/members/applications/").text
    assert 'id="identity-changes"' in queue and "Mangrove Keepers Senegal" in queue
    approved = client.post(f"/members/{member_org.pk}/identity/approve/")
    assert approved.status_code == 302
    member_org.refresh_from_db()
    assert member_org.name == "Mangrove Keepers Senegal" and not member_org.awaits_identity_review
    update_organisation(owner, member_org, {"country": "GM"})
    client.post(f"/members/{member_org.pk}/identity/decline/")
    member_org.refresh_from_db()
    assert (member_org.country_id, member_org.awaits_identity_review) == ("SN", False)
    assert client.post(f"/members/{member_org.pk}/identity/approve/").status_code == 409


def test_only_the_secretariat_reviews_it(client, member_org, owner):
    update_organisation(owner, member_org, {"name": "Someone Else"})
    client.force_login(owner)
    assert client.post(f"/members/{member_org.pk}/identity/approve/").status_code == 403
    assert Organisation.objects.get(pk=member_org.pk).name == "Mangrove Keepers"


def test_an_application_is_still_edited_freely(pending_org, owner):
    update_organisation(owner, pending_org, {"name": "Delta Youth Collective"})
    pending_org.refresh_from_db()
    assert pending_org.name == "Delta Youth Collective" and not pending_org.awaits_identity_review
