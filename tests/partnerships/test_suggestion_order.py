"""Suggested partners with the same score, and the places a reason names, are in the order of
the reader's language."""

import pytest
from django.utils import translation

from concord.partnerships.matching import matches_for
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory

pytestmark = pytest.mark.django_db


def test_equal_scores_are_listed_by_name_in_the_readers_language(no_embedder, member_org, owner):
    for name in ["Zéro Déchet Dakar", "Écoles Vertes", "océans solidaires"]:
        OrganisationFactory(name=name, country_id="SN").themes.set(["oceans-coasts"])
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["oceans-coasts"], countries=["SN"]
    )
    with translation.override("fr"):
        found = matches_for(posted)
    assert len({s.score for s in found.suggestions}) == 1
    assert [s.organisation.name for s in found.suggestions] == [
        "Écoles Vertes",
        "océans solidaires",
        "Zéro Déchet Dakar",
    ]


def test_the_places_of_a_reason_are_named_in_the_readers_order(no_embedder, member_org, owner):
    partner = OrganisationFactory(name="Grands Lacs Verts", country_id="BI")
    PartnershipRequestFactory(
        organisation=partner, kind="offer", themes=["water"], countries=["BI", "BJ"]
    )
    posted = PartnershipRequestFactory(
        organisation=member_org, user=owner, themes=["water"], countries=["BJ", "BI"]
    )
    with translation.override("fr"):
        found = matches_for(posted)
    offer = next(s for s in found.suggestions if s.kind == "offer")
    assert offer.reasons[0] == "travaille sur eau (Bénin, Burundi)"
