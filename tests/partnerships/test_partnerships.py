"""Partnerships: partners, goals, deliverables (specific, measurable, dated), yearly reports,
and the reporting status (on time / late / inactive) computed by the database."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.partnerships import queries
from concord.partnerships.models import Deliverable, Partnership, ProgressReport
from concord.partnerships.services import partnerships
from tests.factories.partnerships import record_agreed

pytestmark = pytest.mark.django_db

DELIVERABLE = {"title": "Hectares of mangrove replanted", "target": "40", "unit": "hectares"}


def payload(*orgs, **changes):
    due = (timezone.localdate() + timedelta(days=300)).isoformat()
    return {
        "title": "Saloum-Beira mangrove exchange",
        "goals": "Two nurseries running; methods shared.",
        "partners": [org.pk for org in orgs],
        "deliverables": [DELIVERABLE | {"due_on": due}],
    } | changes


def test_record_a_partnership_with_deliverables(member_org, partner_org, owner):
    partnership = partnerships.record_partnership(owner, payload(member_org, partner_org))
    deliverable = partnership.deliverables.get()
    assert (deliverable.title, deliverable.target, deliverable.unit) == (
        "Hectares of mangrove replanted", 40, "hectares",
    )  # fmt: skip
    assert [m.role for m in partnership.members.order_by("pk")] == ["lead", "partner"]


@pytest.mark.parametrize(
    ("deliverable", "field"),
    [
        ({"target": "0"}, "deliverables.0.target"),
        ({"target": "lots"}, "deliverables.0.target"),
        ({"unit": ""}, "deliverables.0.unit"),
        ({"title": ""}, "deliverables.0.title"),
        ({"due_on": None}, "deliverables.0.due_on"),
    ],
)
def test_deliverables_must_be_specific_measurable_and_dated(
    member_org, partner_org, owner, deliverable, field
):
    data = payload(member_org, partner_org)
    data["deliverables"] = [data["deliverables"][0] | deliverable]
    with pytest.raises(ValidationError) as refused:
        partnerships.record_partnership(owner, data)
    assert field in refused.value.message_dict
    assert not Partnership.objects.exists() and not Deliverable.objects.exists()


def test_a_partnership_needs_two_members_and_a_deliverable(member_org, owner):
    with pytest.raises(ValidationError) as refused:
        partnerships.record_partnership(owner, payload(member_org, deliverables=[]))
    assert set(refused.value.message_dict) == {"partners", "deliverables"}


def test_an_outsider_may_not_record_one(member_org, partner_org, outsider):
    with pytest.raises(PermissionDenied):
        partnerships.record_partnership(outsider, payload(member_org, partner_org))
    assert not Partnership.objects.exists()


def test_progress_report_updates_deliverables_once_per_year(
    member_org, partner_org, owner, outsider
):
    partnership = partnerships.record_partnership(owner, payload(member_org, partner_org))
    deliverable = partnership.deliverables.get()
    year = timezone.localdate().year
    with pytest.raises(PermissionDenied):
        partnerships.file_progress_report(outsider, partnership, year=year, summary="x")
    partnerships.file_progress_report(
        owner, partnership, year=year, summary="Nursery built.", achieved={deliverable.pk: "12.5"}
    )
    deliverable.refresh_from_db()
    assert deliverable.achieved == 12.5
    with pytest.raises(ValidationError) as refused:
        partnerships.file_progress_report(owner, partnership, year=year, summary="Again")
    assert refused.value.message_dict["year"] == ["A report for this year has already been filed."]
    with pytest.raises(ValidationError):
        partnerships.file_progress_report(owner, partnership, year=year + 1, summary="Future")
    assert ProgressReport.objects.count() == 1


def _status(started_on: date, reported_on: date | None, member_org, partner_org, owner) -> str:
    partnership = record_agreed(
        owner, payload(member_org, partner_org, started_on=started_on.isoformat())
    )
    if reported_on:
        ProgressReport.objects.create(
            partnership=partnership, year=reported_on.year, summary="x", submitted_on=reported_on
        )
    return queries.partnerships().get(pk=partnership.pk).report_status


@pytest.mark.parametrize(
    ("started_days_ago", "reported_days_ago", "expected"),
    [
        (30, None, "on_time"),  # new: first report due within a year
        (400, None, "late"),  # over a year, no report
        (800, 100, "on_time"),  # reported recently
        (800, 500, "late"),  # last report over a year ago
        (900, None, "inactive"),  # two years without a report
        (1200, 800, "inactive"),
    ],
)
def test_reporting_status_is_computed_by_the_query(
    member_org, partner_org, owner, started_days_ago, reported_days_ago, expected
):
    today = timezone.localdate()
    reported = today - timedelta(days=reported_days_ago) if reported_days_ago else None
    status = _status(
        today - timedelta(days=started_days_ago), reported, member_org, partner_org, owner
    )
    assert status == expected


def test_status_is_shown_and_filterable(client, member_org, partner_org, owner):
    old = record_agreed(
        owner, payload(member_org, partner_org, title="Old one", started_on="2020-01-01")
    )
    record_agreed(owner, payload(member_org, partner_org, title="New one"))
    page = client.get("/partnerships/active/?status=inactive").content.decode()
    assert "Old one" in page and "New one" not in page
    assert "Inactive: no report for two years" in page
    answer = client.get("/api/v1/partnerships?status=inactive").json()
    assert [p["id"] for p in answer["results"]] == [old.pk]
    assert answer["results"][0]["report_status"] == "inactive"


def test_api_records_and_refuses_per_field(client, member_org, partner_org, owner):
    client.force_login(owner)
    good = client.post(
        "/api/v1/partnerships", payload(member_org, partner_org), content_type="application/json"
    )
    assert good.status_code == 201, good.content
    assert good.json()["deliverables"][0]["target"] == 40
    bad = payload(member_org, partner_org)
    bad["deliverables"] = [DELIVERABLE | {"due_on": "not a date"}]
    answer = client.post("/api/v1/partnerships", bad, content_type="application/json")
    assert answer.status_code == 422
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    ("url", "queries"), [("/api/v1/partnerships", 4), ("/partnerships/active/", 4)]
)
def test_list_queries_do_not_grow_with_rows(
    client, member_org, partner_org, owner, url, queries, rows, query_count
):
    for _index in range(rows):
        record_agreed(owner, payload(member_org, partner_org))
    with query_count(queries):
        assert client.get(url).status_code == 200


def test_pages_add_a_deliverable_and_file_a_report(client, member_org, partner_org, owner):
    partnership = record_agreed(owner, payload(member_org, partner_org))
    client.force_login(owner)
    due = (timezone.localdate() + timedelta(days=100)).isoformat()
    client.post(
        f"/partnerships/active/{partnership.pk}/deliverables/",
        {"title": "People trained", "target": "30", "unit": "people", "due_on": due},
    )
    assert partnership.deliverables.count() == 2
    trained = partnership.deliverables.get(title="People trained")
    client.post(
        f"/partnerships/active/{partnership.pk}/reports/",
        {
            "year": timezone.localdate().year,
            "summary": "Good year.",
            f"achieved_{trained.pk}": "10",
        },
    )
    trained.refresh_from_db()
    assert trained.achieved == 10
    page = client.get(f"/partnerships/active/{partnership.pk}/").content.decode()
    assert "Good year." in page and "On time" in page
