"""Statistics: exact, live, explained, equal to a recount, and cheap at any size."""

import pytest

from concord.countries.queries import reference
from concord.declarations import counting
from concord.declarations.models import Signature, Tally
from concord.declarations.queries import declaration_stats, signatures_per_day, signatures_per_hour
from concord.declarations.services import review, scheduled
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.django_db


def recount(declaration):
    """The authoritative answer, straight from the signature table."""
    confirmed = Signature.objects.filter(declaration=declaration, status="confirmed")
    return {
        "signatures": confirmed.count(),
        "organisations": confirmed.filter(kind="organisation").count(),
        "individuals": confirmed.filter(kind="individual").count(),
        "countries": confirmed.values("country").distinct().count(),
    }


def test_hand_checked_figures(declaration):
    # Senegal (17,316,449), Bangladesh (171,186,372), Fiji (929,766): World Bank 2022.
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    SignatureFactory(
        declaration=declaration,
        email="b@example.org",
        country="SN",
        kind="organisation",
        organisation="Enda",
        confirmed=True,
    )
    SignatureFactory(declaration=declaration, email="c@example.org", country="BD", confirmed=True)
    SignatureFactory(declaration=declaration, email="d@example.org", country="FJ", confirmed=True)
    SignatureFactory(
        declaration=declaration, email="e@example.org", country="PR", confirmed=True
    )  # Puerto Rico: a territory, not a UN member
    SignatureFactory(
        declaration=declaration, email="pending@example.org", country="IN"
    )  # unconfirmed: not counted
    stats = declaration_stats(declaration)
    assert (stats.signatures, stats.organisations, stats.individuals) == (5, 1, 4)
    assert stats.countries == 4
    assert stats.coverage.un_member_states == 3
    assert stats.coverage.un_member_states_share == pytest.approx(3 / 193)
    puerto_rico = reference().countries["PR"].population
    assert stats.coverage.population == 17_316_449 + 171_186_372 + 929_766 + puerto_rico
    assert stats.coverage.population_share == pytest.approx(
        stats.coverage.population / reference().world_population
    )
    assert stats.coverage.population_year == 2022
    groups = {group.slug: group.count for group in stats.coverage.groups}
    assert groups["ldc"] == 2 and groups["sids"] == 2 and groups["global-south"] == 3
    assert [(row.country, row.signatures) for row in stats.by_country][:1] == [("SN", 2)]
    regions = {row.name: (row.countries, row.signatures) for row in stats.by_region}
    assert regions == {"Africa": (1, 2), "Asia": (1, 1), "Oceania": (1, 1), "Americas": (1, 1)}


def test_stats_equal_a_recount(declaration, secretariat):
    for index in range(40):
        SignatureFactory(
            declaration=declaration,
            email=f"p{index}@example.org",
            country=["SN", "BD", "KE", "BR"][index % 4],
            kind="organisation" if index % 3 == 0 else "individual",
            organisation="Org",
            confirmed=True,
        )
    for index in range(5):
        SignatureFactory(declaration=declaration, email=f"waiting{index}@example.org", country="IN")
    review.invalidate_signatures(
        secretariat,
        declaration,
        review.SignatureFilter(
            ids=list(Signature.objects.filter(country="KE").values_list("pk", flat=True)[:4])
        ),
        "Test batch",
    )
    stats = declaration_stats(declaration)
    truth = recount(declaration)
    assert (stats.signatures, stats.organisations, stats.individuals, stats.countries) == (
        truth["signatures"],
        truth["organisations"],
        truth["individuals"],
        truth["countries"],
    )
    assert sum(n for _, n in signatures_per_hour(declaration)) == truth["signatures"]
    assert sum(n for _, n in signatures_per_day(declaration)) == truth["signatures"]
    assert counting.recount(declaration) is False  # nothing to correct


def test_reconciliation_corrects_drift(declaration):
    SignatureFactory(declaration=declaration, email="a@example.org", country="SN", confirmed=True)
    SignatureFactory(declaration=declaration, email="b@example.org", country="KE", confirmed=True)
    Tally.objects.filter(declaration=declaration, country="SN").update(count=99)
    assert declaration_stats(declaration, fresh=True).signatures == 100
    assert scheduled.reconcile_tallies() == ["baku-call"]
    assert declaration_stats(declaration, fresh=True).signatures == 2
    assert scheduled.reconcile_tallies() == []


def test_statistics_cost_does_not_grow_with_signatures(declaration, query_count):
    SignatureFactory(
        declaration=declaration, email="first@example.org", country="SN", confirmed=True
    )
    declaration_stats(declaration, fresh=True)
    with query_count(2):  # the tallies, and the member organisations' attribution tallies
        declaration_stats(declaration, fresh=True)
    for index in range(60):
        SignatureFactory(
            declaration=declaration,
            email=f"more{index}@example.org",
            country=["SN", "KE", "BD"][index % 3],
            confirmed=True,
        )
    with query_count(2):
        declaration_stats(declaration, fresh=True)


def test_tally_rows_are_bounded_by_countries_kinds_and_shards(declaration, settings):
    for index in range(50):
        SignatureFactory(
            declaration=declaration, email=f"hall{index}@example.org", country="AZ", confirmed=True
        )
    rows = Tally.objects.filter(declaration=declaration)
    assert rows.count() <= settings.TALLY_SHARDS
    assert sum(rows.values_list("count", flat=True)) == 50
