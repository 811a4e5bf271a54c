"""Who may do what, checked with personas: owner, colleague, outsider, secretariat."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from concord.organisations import permissions

pytestmark = pytest.mark.django_db

EXPECTED = {
    # persona: (view pending, edit, manage representatives, review, act for member)
    "owner": (True, True, True, False, True),
    "colleague": (False, False, False, False, True),
    "outsider": (False, False, False, False, False),
    "secretariat": (True, True, True, True, False),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_rules_per_persona(request, persona, member_org, pending_org):
    user = request.getfixturevalue(persona)
    view, edit, manage, review, act = EXPECTED[persona]
    assert permissions.can_view(user, pending_org) is view
    assert permissions.can_view(user, member_org) is True
    assert permissions.can_edit(user, member_org) is edit
    assert permissions.can_manage_representatives(user, member_org) is manage
    assert permissions.can_review_applications(user) is review
    assert permissions.can_act_for(user, member_org) is act


def test_anonymous_visitors_see_members_only(member_org, pending_org):
    anonymous = AnonymousUser()
    assert permissions.can_view(anonymous, member_org)
    assert not permissions.can_view(anonymous, pending_org)
    assert not permissions.can_edit(anonymous, member_org)
    assert not permissions.can_apply(anonymous)


def test_an_outsider_is_refused_the_edit_page_and_changes_nothing(client, outsider, member_org):
    client.force_login(outsider)
    url = reverse("organisations:edit", args=[member_org.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Taken Over", "country": "SN", "kind": "ngo"})
    assert response.status_code == 403
    member_org.refresh_from_db()
    assert member_org.name == "Mangrove Keepers"


def test_the_owner_edits_the_profile(client, owner, member_org):
    client.force_login(owner)
    response = client.post(
        reverse("organisations:edit", args=[member_org.pk]),
        {
            "name": "Mangrove Keepers of Casamance",
            "country": "SN",
            "kind": "cbo",
            "themes": ["oceans-coasts"],
        },
    )
    assert response.status_code == 302
    member_org.refresh_from_db()
    # A member's new name waits for the secretariat; the other fields apply at once.
    assert (member_org.name, member_org.proposed_name) == (
        "Mangrove Keepers", "Mangrove Keepers of Casamance",
    )  # fmt: skip
    assert member_org.kind == "cbo"
    assert list(member_org.themes.values_list("slug", flat=True)) == ["oceans-coasts"]
