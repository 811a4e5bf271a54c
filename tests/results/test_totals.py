"""Platform totals equal a recomputation from the approved updates themselves."""

from collections import defaultdict
from decimal import Decimal

from concord.countries.queries import reference
from concord.results import queries
from concord.results.models import Update
from concord.results.services import updates
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory


def recompute() -> dict[str, dict]:
    """From Update rows only: period actual (latest if cumulative, else sum of approved),
    indicator achievement (latest period if cumulative, else sum), attributed by country."""
    per_period = defaultdict(list)
    for update in (
        Update.objects.filter(status="approved")
        .select_related("period__indicator__result__project")
        .order_by("created_at", "pk")
    ):
        per_period[update.period].append(update.value)
    per_indicator = defaultdict(list)
    for period, values in per_period.items():
        indicator = period.indicator
        actual = values[-1] if indicator.cumulative else sum(values, Decimal(0))
        per_indicator[indicator].append((period.end, actual))
    totals = defaultdict(lambda: {"total": Decimal(0), "country": defaultdict(Decimal),
                                  "region": defaultdict(Decimal), "sdg": defaultdict(Decimal)})  # fmt: skip
    for indicator, rows in per_indicator.items():
        if not indicator.shared_id:
            continue
        rows.sort()
        value = rows[-1][1] if indicator.cumulative else sum((a for _, a in rows), Decimal(0))
        project = indicator.result.project
        bucket = totals[indicator.shared_id]
        bucket["total"] += value
        for share in project.countries.all():
            part = value * share.percentage / 100
            bucket["country"][share.country_id] += part
            bucket["region"][reference().countries[share.country_id].region] += part
        for sdg in project.sdgs.all():
            bucket["sdg"][sdg.number] += value
    return totals


def test_platform_totals_equal_a_recomputation(owner, colleague, member_org):
    other_admin = UserFactory(email="admin2@example.org")
    other = OrganisationFactory(name="Sahel Water", country_id="ML", admin=other_admin)
    reporter = UserFactory(email="reporter@example.org")
    RepresentativeFactory(organisation=other, user=reporter)

    first = ProjectFactory(user=owner, organisation=member_org)  # SN 60 %, GM 40 %
    _, periods = IndicatorFactory.with_periods(owner, first)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="40")
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="2.5")
    UpdateFactory(user=colleague, approved_by=owner, period=periods[1], value="17")
    updates.save_update(colleague, periods[1], {"value": "1000", "submit": True})  # not counted

    second = ProjectFactory(
        user=other_admin,
        organisation=other,
        organisation_iati_ref="ML-RCCM-9",
        iati_identifier="",
        countries=[{"country": "ML", "percentage": "100"}],
        sdgs=[6],
    )
    _, cumulative = IndicatorFactory.with_periods(other_admin, second, cumulative=True)
    UpdateFactory(user=reporter, approved_by=other_admin, period=cumulative[0], value="10")
    UpdateFactory(
        user=reporter, approved_by=other_admin, period=cumulative[0], value="30"
    )  # cumulative: the latest counts
    UpdateFactory(user=reporter, approved_by=other_admin, period=cumulative[1], value="45")
    _, trained = IndicatorFactory.with_periods(
        other_admin, second, shared="people-trained", periods=1
    )
    UpdateFactory(user=reporter, approved_by=other_admin, period=trained[0], value="120")

    expected = recompute()
    totals = {t.indicator.slug: t for t in queries.platform_totals()}
    for slug in ("hectares-restored", "people-trained"):
        assert totals[slug].total == expected[slug]["total"]
        assert dict(totals[slug].by_country) == dict(expected[slug]["country"])
        assert dict(totals[slug].by_region) == dict(expected[slug]["region"])
        assert dict(totals[slug].by_sdg) == dict(expected[slug]["sdg"])
    assert totals["hectares-restored"].total == Decimal("59.5") + Decimal("45")
    assert totals["hectares-restored"].by_country["SN"] == Decimal("35.7")
    assert totals["hectares-restored"].coverage.countries == 3
    assert totals["tonnes-co2e-avoided"].total == 0


def test_summary_endpoint_answers_the_same_totals(owner, colleague, project, indicator, client):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="12.5")
    body = client.get("/api/v1/results/summary").json()
    hectares = next(i for i in body["indicators"] if i["slug"] == "hectares-restored")
    assert hectares["total"] == "12.5"
    assert hectares["by_country"] == {"SN": "7.5", "GM": "5"}
    assert hectares["by_sdg"] == {"13": "12.5", "15": "12.5"}
    assert "percentages" in body["attribution"]


def test_platform_totals_are_reused_for_a_moment(
    settings, owner, colleague, project, indicator, query_count
):
    from django.core.cache import cache

    settings.STATS_CACHE_SECONDS = 5
    cache.delete("results:platform-totals")
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="3")
    first = queries.platform_totals()
    with query_count(0):
        second = queries.platform_totals()
    assert [t.total for t in second] == [t.total for t in first]
    assert queries.platform_totals(fresh=True)[1].total == Decimal(3)
    cache.delete("results:platform-totals")
