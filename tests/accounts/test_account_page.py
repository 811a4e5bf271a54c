"""The account page lists the organisations the person represents, whatever their status."""

import pytest
from django.urls import reverse

from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def test_the_account_page_lists_the_persons_organisations_by_name(
    client, owner, member_org, pending_org, outsider
):
    OrganisationFactory(name="Another Group", admin=outsider)
    client.force_login(owner)

    page = client.get("/account/").content.decode()

    assert page.index("Delta Youth Network") < page.index("Mangrove Keepers")
    assert f'href="/members/{pending_org.pk}/"' in page
    assert "Bangladesh" in page
    assert "Another Group" not in page
    assert "You do not represent an organisation yet." not in page


def test_a_representative_sees_each_organisation_once(client, colleague, member_org):
    RepresentativeFactory(organisation=OrganisationFactory(name="River Watch"), user=colleague)
    client.force_login(colleague)

    page = client.get("/account/").content.decode()

    assert page.count("Mangrove Keepers") == 1
    assert page.count("River Watch") == 1


def test_someone_without_an_organisation_is_offered_to_apply(client, outsider):
    client.force_login(outsider)

    page = client.get("/account/").content.decode()

    assert "You do not represent an organisation yet." in page
    assert 'href="/members/apply/"' in page


def test_the_secretariat_is_shown_the_review_queue_not_asked_to_apply(client, secretariat):
    client.force_login(secretariat)

    page = client.get("/account/").content.decode()

    assert "Apply for membership" not in page
    assert f'href="{reverse("organisations:review")}"' in page


def test_a_person_without_an_organisation_is_offered_to_apply(client, outsider):
    client.force_login(outsider)

    page = client.get("/account/").content.decode()

    assert f'href="{reverse("organisations:apply")}"' in page
    assert f'href="{reverse("organisations:review")}"' not in page


def test_the_page_title_is_only_the_pages_name(client, outsider):
    """The title block once swallowed the "My data" heading and links: the browser tab
    showed their markup as text."""
    client.force_login(outsider)

    page = client.get("/account/").content.decode()

    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "My account · Concord"
