"""The public member directory: filters, the coverage summary, and a fixed query count."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from concord.organisations.queries import DirectoryFilters, members, members_coverage
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalition():
    senegal = OrganisationFactory(name="Mangrove Keepers", country_id="SN")
    senegal.themes.set(["oceans-coasts"])
    senegal.sdgs.set([13, 14])
    fiji = OrganisationFactory(name="Reef Guardians", country_id="FJ")
    fiji.themes.set(["oceans-coasts", "adaptation"])
    fiji.sdgs.set([14])
    france = OrganisationFactory(name="Solidarité Climat", country_id="FR")
    france.themes.set(["climate-finance"])
    OrganisationFactory(name="Still Pending", country_id="BD", status="pending")
    return senegal, fiji, france


def names(filters):
    return sorted(members(filters).values_list("name", flat=True))


def test_filters(coalition):
    assert names(DirectoryFilters()) == ["Mangrove Keepers", "Reef Guardians", "Solidarité Climat"]
    assert names(DirectoryFilters(country="sn")) == ["Mangrove Keepers"]
    assert names(DirectoryFilters(region="009")) == ["Reef Guardians"]  # Oceania
    assert names(DirectoryFilters(region="202")) == ["Mangrove Keepers"]  # Sub-Saharan Africa
    assert names(DirectoryFilters(group="sids")) == ["Reef Guardians"]
    assert names(DirectoryFilters(group="global-south")) == ["Mangrove Keepers", "Reef Guardians"]
    assert names(DirectoryFilters(theme="oceans-coasts")) == ["Mangrove Keepers", "Reef Guardians"]
    assert names(DirectoryFilters(sdg=13)) == ["Mangrove Keepers"]
    assert names(DirectoryFilters(q="reef")) == ["Reef Guardians"]


def test_coverage_summary_counts_countries_not_organisations(coalition):
    OrganisationFactory(name="Second Senegalese Member", country_id="SN")
    summary = members_coverage(members())
    assert summary.countries == 3
    assert summary.un_member_states == 3
    assert {g.slug: g.count for g in summary.groups}["global-south"] == 2


def test_page_shows_total_and_explained_shares(client, coalition):
    page = client.get(reverse("organisations:directory")).text
    assert "Mangrove Keepers" in page
    assert "Still Pending" not in page
    text = " ".join(strip_tags(page).split())
    assert "3 member organisations" in text
    assert "3 UN member states = 2% of the 193 UN member states" in text
    assert "of the world's population lives in these countries (2022 figures)" in text


def test_page_filters_by_query_string(client, coalition):
    page = client.get(reverse("organisations:directory"), {"group": "sids"}).text
    assert "Reef Guardians" in page
    assert "Mangrove Keepers" not in page


def test_unknown_filter_values_are_ignored_with_the_form_showing_the_error(client, coalition):
    response = client.get(reverse("organisations:directory"), {"country": "ZZ", "sdg": "99"})
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(("url_name", "queries"), [("organisations:directory", 9), ("web:home", 7)])
def test_query_count_does_not_grow_with_members(client, url_name, queries, rows, query_count):
    url = reverse(url_name)
    OrganisationFactory(name="Only One", country_id="KE").themes.set(["water"])
    for index in range(rows - 1):
        OrganisationFactory(
            name=f"Member {index}", country_id=["KE", "SN", "BD"][index % 3]
        ).themes.set(["water"])
    client.get(url)  # warm the reference cache
    with query_count(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_api_list_query_count_does_not_grow(client, rows, query_count):
    OrganisationFactory(name="Only One", country_id="KE")
    for index in range(rows - 1):
        OrganisationFactory(name=f"Member {index}", country_id="SN").sdgs.set([13])
    client.get("/api/v1/organisations")
    with query_count(4):
        assert client.get("/api/v1/organisations").status_code == 200
