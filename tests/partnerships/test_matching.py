"""Matching: ranked, explained suggestions; the requester excluded; similarity optional."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from concord.partnerships import vectors
from concord.partnerships.matching import matches_for
from concord.partnerships.models import TextVector
from concord.partnerships.services import requests
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory
from tests.partnerships import evaluation

pytestmark = pytest.mark.django_db


def names(found) -> list[str]:
    return [s.organisation.name for s in found.suggestions]


def test_suggestions_explain_themes_place_and_language(
    no_embedder, member_org, owner, partner_org, far_org
):
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        themes=["oceans-coasts"],
        countries=["MZ"],
        languages=["pt"],
    )
    with translation.override("en"):
        found = matches_for(posted)
    assert names(found) == ["Costa Viva"]
    suggestion = found.suggestions[0]
    assert suggestion.reasons == ["works on oceans and coasts in Mozambique", "speaks Portuguese"]
    assert suggestion.signals == {"themes": 6.0, "geography": 4.0, "language": 2.0}
    assert suggestion.score == 12.0


def test_requesting_organisation_and_its_offers_are_never_suggested(
    no_embedder, member_org, owner, partner_org
):
    member_org.themes.set(["oceans-coasts"])
    PartnershipRequestFactory(
        organisation=member_org, user=owner, kind="offer", themes=["oceans-coasts"]
    )
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"]
    )
    found = matches_for(posted)
    assert "Mangrove Keepers" not in names(found)
    assert names(found) == ["Costa Viva"]


def test_other_members_offers_are_suggested_with_their_reasons(
    no_embedder, member_org, owner, partner_org, partner_rep
):
    offer = PartnershipRequestFactory(
        organisation=partner_org,
        user=partner_rep,
        kind="offer",
        title="Peer training on mangrove nurseries",
        themes=["oceans-coasts"],
        countries=["MZ", "TZ"],
        languages=["pt", "en"],
    )
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        themes=["oceans-coasts"],
        countries=["TZ"],
        languages=["en"],
    )
    with translation.override("en"):
        found = matches_for(posted)
    offers = [s for s in found.suggestions if s.kind == "offer"]
    assert [s.offer for s in offers] == [offer]
    assert offers[0].reasons == [
        "works on oceans and coasts in Tanzania",
        "speaks English",
        "offers what is sought (knowledge exchange)",
    ]


def test_south_south_similar_challenges_elsewhere_count(no_embedder, owner):
    tuvalu = OrganisationFactory(name="Tuvalu Water", country_id="TV", admin=owner)
    fiji = OrganisationFactory(name="Fiji Rain", country_id="FJ")
    fiji.themes.set(["water"])
    posted = PartnershipRequestFactory(organisation=tuvalu, user=owner, themes=["water"])
    with translation.override("en"):
        found = matches_for(posted)
    assert found.suggestions[0].reasons[1] == (
        "faces the same challenges in another small island developing state (Fiji)"
    )


def test_pending_organisations_and_unrelated_work_are_not_suggested(
    no_embedder, member_org, owner, far_org
):
    pending = OrganisationFactory(name="Delta Pending", country_id="MZ", status="pending")
    pending.themes.set(["oceans-coasts"])
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"]
    )
    assert names(matches_for(posted)) == []


def test_without_a_text_model_matching_works_and_says_so(no_embedder, member_org, owner):
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"]
    )
    with translation.override("en"):
        found = matches_for(posted)
    assert not found.similarity_used
    assert found.notes == ["Description similarity is off: no text model is configured."]


def test_reasons_are_in_the_readers_language(no_embedder, member_org, owner, partner_org):
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        themes=["oceans-coasts"],
        countries=["MZ"],
        languages=["pt"],
    )
    with translation.override("fr"):
        reasons = matches_for(posted).suggestions[0].reasons
    assert reasons == ["travaille sur océans et zones côtières (Mozambique)", "parle portugais"]
    with translation.override("ar"):
        explanation = matches_for(posted).suggestions[0].explanation
    assert explanation == "يعمل على المحيطات والمناطق الساحلية (موزمبيق)؛ يتحدث البرتغالية"


def test_descriptions_are_embedded_on_save_with_the_model_name(
    member_org, owner, partner_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posted = PartnershipRequestFactory(
            organisation=member_org, user=owner, themes=["oceans-coasts"]
        )
        partner_org.save()
    stored = TextVector.objects.get(subject="request", object_id=posted.pk)
    assert stored.model == "multilingual-e5-small-q4"
    assert len(bytes(stored.vector)) == 384 * 4
    assert TextVector.objects.filter(subject="organisation", object_id=partner_org.pk).exists()
    # The same text again is not embedded twice.
    assert vectors.embed("request", posted.pk) is False


def test_similar_descriptions_score_and_are_explained(member_org, owner, partner_org, far_org):
    far_org.description = "Solar mini-grids for rural health centres."
    far_org.save()
    for organisation in (partner_org, far_org):
        vectors.embed("organisation", organisation.pk)
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        description="We restore mangroves with coastal fishing villages.",
    )
    vectors.embed("request", posted.pk)
    with translation.override("en"):
        found = matches_for(posted)
    assert found.similarity_used
    assert not [note for note in found.notes if "similarity" in note]
    assert names(found)[0] == "Costa Viva"
    assert "describes similar work" in found.suggestions[0].reasons
    scores = {s.organisation.name: s.signals.get("similarity", 0) for s in found.suggestions}
    assert scores["Costa Viva"] > scores.get("Sahel Solar", 0)


def _evaluate(embed: bool) -> list[float]:
    organisations = evaluation.build()
    if embed:
        for organisation in organisations.values():
            vectors.embed("organisation", organisation.pk)
    scores = []
    for case in evaluation.CASES:
        posted = evaluation.post(case, organisations)
        if embed:
            vectors.embed("request", posted.pk)
        found = matches_for(posted)
        assert case.by not in names(found)
        scores.append(evaluation.precision_at_5(names(found), case.expected)[1])
    return scores


def test_evaluation_set_without_similarity(no_embedder):
    scores = _evaluate(embed=False)
    # The request with no themes finds nobody, and the hard case misses its partner.
    assert scores[-1] == 0.0
    assert sum(scores) / len(scores) >= 0.7, scores


def test_evaluation_set_with_similarity():
    scores = _evaluate(embed=True)
    # Descriptions find the partners of the request that names no theme.
    assert scores[-1] == 1.0
    assert sum(scores) / len(scores) >= 0.85, scores


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("path", "queries"),
    [("/partnerships/requests/{pk}/", 20), ("/api/v1/partnership-requests/{pk}/matches", 20)],
)
def test_request_page_and_matches_cost_the_same_queries_for_few_or_many_members(
    client,
    no_embedder,
    member_org,
    owner,
    partner_org,
    partner_rep,
    path,
    queries,
    rows,
    query_count,
):
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"], sdgs=[14]
    )
    PartnershipRequestFactory(
        organisation=partner_org,
        user=partner_rep,
        kind="offer",
        themes=["oceans-coasts"],
        countries=["MZ"],
    )
    for index in range(rows - 1):
        organisation = OrganisationFactory(name=f"Coast {index}", country_id="MZ")
        organisation.themes.set(["oceans-coasts", "water"])
        organisation.sdgs.set([13, 14])
        PartnershipRequestFactory(
            organisation=organisation,
            kind="offer",
            title=f"Offer {index}",
            themes=["oceans-coasts"],
            countries=["MZ"],
            sdgs=[14],
        )
    url = path.format(pk=posted.pk)
    client.get(url)  # warm the per-process caches (intermediate regions, reference data)
    cache.clear()  # and measure the suggestions computed, not kept (test_match_cache.py)
    with query_count(queries):
        assert client.get(url).status_code == 200
    if rows > 1:
        assert (
            f"Coast {rows - 2}"
            in client.get(f"/partnerships/requests/{posted.pk}/").content.decode()
        )


def test_published_case_studies_on_the_themes_are_a_signal(
    no_embedder, member_org, owner, partner_org
):
    PracticeFactory(organisation=partner_org, title="Mangrove belts", themes=("oceans-coasts",))
    PracticeFactory(
        organisation=partner_org, title="Oyster reefs", themes=("oceans-coasts", "adaptation")
    )
    PracticeFactory(
        organisation=partner_org, title="Draft", status="draft", themes=("oceans-coasts",)
    )
    PracticeFactory(organisation=partner_org, title="Solar", themes=("energy",))
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"]
    )
    with translation.override("en"):
        suggestion = matches_for(posted).suggestions[0]
    assert suggestion.organisation == partner_org
    assert suggestion.signals["case_studies"] == 3.0
    assert "has published 2 case studies on oceans and coasts" in suggestion.reasons


def test_a_case_study_close_to_the_request_counts_without_shared_themes(member_org, owner):
    # On a coast: the request is about one, so an organisation in a landlocked country
    # would not be suggested whatever it published (test_geography.py).
    far_org = OrganisationFactory(name="Saloum Solar", country_id="SN")
    far_org.themes.set(["energy"])
    PracticeFactory(
        organisation=far_org,
        title="Mangrove belts against coastal erosion",
        summary="Villagers replanted mangroves along the shore to slow erosion.",
        themes=("energy",),
    )
    posted = PartnershipRequestFactory(
        organisation=member_org,
        user=owner,
        themes=["water"],
        description="Replanting mangroves along the shore to protect villages from erosion.",
    )
    vectors.embed("request", posted.pk)
    with translation.override("en"):
        found = matches_for(posted)
    assert [s.organisation for s in found.suggestions] == [far_org]
    assert found.suggestions[0].reasons[-1] == (
        "has published 1 case study on “Mangrove belts against coastal erosion”"
    )


def test_declared_working_languages_replace_the_countrys(
    no_embedder, member_org, owner, partner_org, partner_rep, outsider
):
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"], languages=["sw"]
    )
    assert "language" not in matches_for(posted).suggestions[0].signals  # Mozambique: Portuguese
    with pytest.raises(PermissionDenied):
        requests.set_working_languages(outsider, partner_org, ["sw"])
    with pytest.raises(ValidationError):
        requests.set_working_languages(partner_rep, partner_org, ["xx"])
    requests.set_working_languages(partner_rep, partner_org, ["pt", "sw"])
    with translation.override("en"):
        assert "speaks Swahili" in matches_for(posted).suggestions[0].reasons
