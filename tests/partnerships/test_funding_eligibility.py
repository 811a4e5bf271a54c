"""An organisation's funding list and a call's page answer "eligible?" the same way, and
themes only order and mark the list, never hide an eligible call."""

import pytest
from django.utils import translation

from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import FundingCallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mozambique(owner):
    """A member in an LDC working on coasts, represented by `owner`."""
    organisation = OrganisationFactory(name="Costa Viva", country_id="MZ", admin=owner)
    organisation.themes.set(["oceans-coasts"])
    return organisation


def listed(client, organisation) -> list[str]:
    page = client.get(f"/partnerships/organisations/{organisation.pk}/funding/")
    return [match.call.title for match, _deadline in page.context["matches"]]


def eligible_on_call_page(client, call) -> list[str]:
    return [org.name for org, _reason in client.get(f"/partnerships/funding/{call.pk}/").context[
        "eligible"
    ]]  # fmt: skip


def test_an_eligible_call_on_other_themes_is_listed_and_not_marked(
    client, secretariat, owner, mozambique
):
    other = FundingCallFactory(
        user=secretariat, title="LDC water grants", eligible_groups=["ldc"], themes=["water"]
    )
    coasts = FundingCallFactory(
        user=secretariat,
        title="LDC coast grants",
        eligible_groups=["ldc"],
        themes=["oceans-coasts"],
    )
    client.force_login(owner)
    assert eligible_on_call_page(client, other) == ["Costa Viva"]
    # Listed, with the calls on its themes first.
    assert listed(client, mozambique) == [coasts.title, other.title]
    with translation.override("en"):
        page = client.get(f"/partnerships/organisations/{mozambique.pk}/funding/").content.decode()
    assert page.count("Matches your themes") == 1
    assert page.index("Matches your themes") < page.index("LDC water grants")
    assert "Calls that share one of its themes are marked" in page


def test_a_call_whose_eligibility_was_corrected_is_listed_as_its_page_says(
    client, secretariat, owner, mozambique
):
    call = FundingCallFactory(user=secretariat, title="Fixed later", eligible_countries=["BR"])
    call.eligible_groups.set(["ldc"])  # corrected in the back office after it was entered
    client.force_login(owner)
    assert eligible_on_call_page(client, call) == ["Costa Viva"]
    assert listed(client, mozambique) == ["Fixed later"]


def test_a_call_for_an_intermediate_region_is_open_to_its_countries(
    client, secretariat, owner, mozambique
):
    call = FundingCallFactory(user=secretariat, title="Eastern Africa", eligible_regions=["014"])
    western = FundingCallFactory(user=secretariat, title="Western Africa", eligible_regions=["011"])
    client.force_login(owner)
    assert eligible_on_call_page(client, call) == ["Costa Viva"]
    assert eligible_on_call_page(client, western) == []
    assert listed(client, mozambique) == ["Eastern Africa"]


def test_the_list_and_every_call_page_agree(client, secretariat, owner, mozambique):
    calls = [
        FundingCallFactory(
            user=secretariat, title="LDC", eligible_groups=["ldc"], themes=["energy"]
        ),
        FundingCallFactory(user=secretariat, title="SIDS", eligible_groups=["sids"]),
        FundingCallFactory(user=secretariat, title="Africa", eligible_regions=["002"]),
        FundingCallFactory(user=secretariat, title="Brazil", eligible_countries=["BR"]),
        FundingCallFactory(user=secretariat, title="All", open_to_all=True, themes=["health"]),
    ]
    client.force_login(owner)
    on_pages = {call.title for call in calls if eligible_on_call_page(client, call)}
    assert set(listed(client, mozambique)) == on_pages == {"LDC", "Africa", "All"}


def test_the_api_lists_the_same_calls_and_says_which_match_the_themes(
    client, secretariat, mozambique
):
    FundingCallFactory(user=secretariat, title="Water", eligible_groups=["ldc"], themes=["water"])
    FundingCallFactory(
        user=secretariat, title="Coasts", eligible_groups=["ldc"], themes=["oceans-coasts"]
    )
    found = client.get(f"/api/v1/organisations/{mozambique.pk}/funding-matches").json()
    assert [(m["call"]["title"], m["matches_themes"], m["shared_themes"]) for m in found["results"]] == [
        ("Coasts", True, ["oceans-coasts"]),
        ("Water", False, []),
    ]  # fmt: skip
