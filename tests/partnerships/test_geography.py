"""Where suggested partners are, in words that hold: "next to" means a shared land border,
a request about the coast leaves out organisations based in landlocked countries, and a
suggestion's points say what they are out of."""

import re

import pytest
from django.utils import translation

from concord.partnerships import matching
from concord.partnerships.matching import matches_for
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db

COASTAL_NOTE = (
    "This request is about the coast, so organisations based in landlocked countries are not "
    "suggested."
)


def member(name: str, country: str, themes: list[str]):
    organisation = OrganisationFactory(name=name, country_id=country)
    organisation.themes.set(themes)
    return organisation


def ask(organisation, owner, **data):
    """A request whose title and description say nothing of the coast unless given."""
    data = {"title": "Partners sought", "description": "We work with villages."} | data
    return PartnershipRequestFactory(organisation=organisation, user=owner, **data)


def reasons_of(found) -> dict[str, list[str]]:
    return {s.organisation.name: s.reasons for s in found.suggestions}


@pytest.fixture
def senegal(owner):
    return OrganisationFactory(name="Eaux du Saloum", country_id="SN", admin=owner)


def test_nearby_means_a_shared_border_not_the_same_m49_area(no_embedder, owner, senegal):
    member("Kigali Water", "RW", ["water"])  # Eastern Africa, far from Senegal
    member("Banjul Water", "GM", ["water"])  # surrounded by Senegal
    member("Dar Water", "TZ", ["water"])  # Eastern Africa, borders Mozambique
    at_home = ask(senegal, owner, themes=["water"])
    in_mozambique = ask(senegal, owner, themes=["water"], countries=["MZ"])
    with translation.override("en"):
        home, away = reasons_of(matches_for(at_home)), reasons_of(matches_for(in_mozambique))
    assert home["Kigali Water"] == [
        "works on water",
        "faces the same challenges in another least developed country (Rwanda)",
    ]
    # Rwanda shares Mozambique's M49 area (Eastern Africa) but no border with it.
    assert away["Kigali Water"] == [
        "works on water",
        "faces the same challenges in another least developed country (Rwanda)",
    ]
    assert "works in Gambia, next to Senegal" in home["Banjul Water"]
    assert "works in Tanzania, next to Mozambique" in away["Dar Water"]


def test_a_coastal_request_leaves_out_organisations_in_landlocked_countries(no_embedder, owner):
    bangladesh = OrganisationFactory(name="Delta Watch", country_id="BD", admin=owner)
    member("Himalaya Ready", "NP", ["disaster-risk-reduction"])  # landlocked
    member("Addis Alert", "ET", ["disaster-risk-reduction"])  # landlocked
    member("Odisha Shelters", "IN", ["disaster-risk-reduction"])
    # The theme is a broad one: the words of the request say it is about the coast.
    posted = ask(
        bangladesh,
        owner,
        purpose="consortium",
        title="Consortium for a cyclone early-warning application",
        description="Community-led cyclone and flood early warning in coastal deltas.",
        themes=["disaster-risk-reduction"],
        countries=["BD", "MM", "PH"],
    )
    with translation.override("en"):
        found = matches_for(posted)
    assert [s.organisation.name for s in found.suggestions] == ["Odisha Shelters"]
    assert COASTAL_NOTE in found.notes


def test_a_request_on_other_subjects_keeps_landlocked_countries_in(no_embedder, owner, senegal):
    member("Bamako Basin", "ML", ["water"])
    posted = ask(senegal, owner, title="Wells for villages à côté du fleuve", themes=["water"])
    assert [s.organisation.name for s in matches_for(posted).suggestions] == ["Bamako Basin"]


@pytest.mark.parametrize(
    ("title", "themes"),
    [
        ("Restauration des mangroves du Saloum", ["water"]),
        ("Élévation du niveau de la mer", ["adaptation"]),
        ("Any title", ["oceans-coasts"]),
        ("红树林恢复", ["adaptation"]),
    ],
)
def test_coasts_are_recognised_in_the_themes_or_in_any_language(
    no_embedder, owner, senegal, title, themes
):
    member("Bamako Basin", "ML", ["water", "adaptation", "oceans-coasts"])  # landlocked
    member("Nouakchott Coast", "MR", ["water", "adaptation", "oceans-coasts"])
    posted = ask(senegal, owner, title=title, themes=themes)
    assert [s.organisation.name for s in matches_for(posted).suggestions] == ["Nouakchott Coast"]


def test_a_landlocked_country_of_work_keeps_its_neighbours_in(no_embedder, owner):
    """Cyclones reach Malawi: a request that works there wants partners there."""
    malawi = OrganisationFactory(name="Shire Relief", country_id="MW", admin=owner)
    member("Lusaka Relief", "ZM", ["disaster-risk-reduction"])
    posted = ask(
        malawi, owner, title="Recovery after a cyclone", themes=["disaster-risk-reduction"]
    )
    found = matches_for(posted)
    assert [s.organisation.name for s in found.suggestions] == ["Lusaka Relief"]
    assert COASTAL_NOTE not in found.notes


def test_each_suggestion_says_what_its_points_are_out_of(
    client, no_embedder, member_org, owner, partner_org
):
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        themes=["oceans-coasts"],
        countries=["MZ"],
        languages=["pt"],
    )
    # What an organisation can earn for this request: themes, place, language, case studies
    # (no SDGs named, no text model).
    most = matching.THEMES + matching.IN_COUNTRY + matching.LANGUAGE + matching.CASE_STUDY_MAX
    page = client.get(f"/partnerships/requests/{posted.pk}/").content.decode()
    assert f"12 of {most:g} possible points" in page
    assert not re.search(r"score \d", page)
    assert "<li>works on oceans and coasts in Mozambique</li>" in page
    assert "<li>speaks Portuguese</li>" in page
    assert "Neighbouring and landlocked countries: mledoze/countries" in page
    answer = client.get(f"/api/v1/partnership-requests/{posted.pk}/matches").json()
    assert [(r["score"], r["score_max"]) for r in answer["results"]] == [(12.0, most)]
    assert [(s["key"], s["as_of"]) for s in answer["sources"]] == [("borders", "2025-06")]
