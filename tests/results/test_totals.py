"""Platform totals equal a recomputation from the approved updates themselves."""

from collections import defaultdict
from decimal import Decimal

from concord.countries.queries import reference
from concord.results import queries
from concord.results.models import Update
from concord.results.services import updates
from tests.factories import add_representative, make_organisation, make_user
from tests.results.conftest import approved, make_indicator, make_project


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
    other_admin = make_user("admin2@example.org")
    other = make_organisation(name="Sahel Water", country="ML", admin=other_admin)
    reporter = make_user("reporter@example.org")
    add_representative(other, reporter)

    first = make_project(owner, member_org)  # SN 60 %, GM 40 %
    _, periods = make_indicator(owner, first)
    approved(colleague, owner, periods[0], "40")
    approved(colleague, owner, periods[0], "2.5")
    approved(colleague, owner, periods[1], "17")
    updates.save_update(colleague, periods[1], {"value": "1000", "submit": True})  # not counted

    second = make_project(
        other_admin, other, organisation_iati_ref="ML-RCCM-9", iati_identifier="",
        countries=[{"country": "ML", "percentage": "100"}], sdgs=[6],
    )  # fmt: skip
    _, cumulative = make_indicator(other_admin, second, cumulative=True)
    approved(reporter, other_admin, cumulative[0], "10")
    approved(reporter, other_admin, cumulative[0], "30")  # cumulative: the latest counts
    approved(reporter, other_admin, cumulative[1], "45")
    _, trained = make_indicator(other_admin, second, shared="people-trained", periods=1)
    approved(reporter, other_admin, trained[0], "120")

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
    approved(colleague, owner, periods[0], "12.5")
    body = client.get("/api/v1/results/summary").json()
    hectares = next(i for i in body["indicators"] if i["slug"] == "hectares-restored")
    assert hectares["total"] == "12.5"
    assert hectares["by_country"] == {"SN": "7.5", "GM": "5"}
    assert hectares["by_sdg"] == {"13": "12.5", "15": "12.5"}
    assert "percentages" in body["attribution"]


def test_platform_totals_are_reused_for_a_moment(settings, owner, colleague, project, indicator):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.STATS_CACHE_SECONDS = 5
    cache.delete("results:platform-totals")
    _, periods = indicator
    approved(colleague, owner, periods[0], "3")
    first = queries.platform_totals()
    with CaptureQueriesContext(connection) as again:
        second = queries.platform_totals()
    assert len(again) == 0
    assert [t.total for t in second] == [t.total for t in first]
    assert queries.platform_totals(fresh=True)[1].total == Decimal(3)
    cache.delete("results:platform-totals")
