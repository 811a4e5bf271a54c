"""The results pages: dashboards, project pages and forms, for each persona."""

import pytest

from concord.results.models import Project, Update
from concord.results.services import updates
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory


def test_dashboard_shows_platform_totals_with_a_chart_and_its_table(
    client, owner, colleague, project, indicator
):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="42")
    page = client.get("/results/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "<caption>By country</caption>" in html
    assert "attributed to its countries by their percentages" in html
    assert ">42<" in html


def test_project_page_shows_only_approved_updates_to_the_public(
    client, owner, colleague, project, indicator
):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="42")
    updates.save_update(colleague, periods[0], {"value": "999", "narrative": "secret draft"})
    html = client.get(f"/results/projects/{project.pk}/").content.decode()
    assert "999" not in html
    client.force_login(colleague)
    html = client.get(f"/results/projects/{project.pk}/").content.decode()
    assert "999" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_project_list_runs_the_same_queries_for_one_or_many(
    client, owner, member_org, rows, query_count
):
    ProjectFactory(user=owner, organisation=member_org)
    for n in range(rows - 1):
        ProjectFactory(
            user=owner, organisation=member_org, title=f"Project {n}", iati_identifier=""
        )
    with query_count(6):
        assert client.get("/results/projects/").status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_projects_api_runs_the_same_queries_for_one_or_many(
    client, owner, member_org, rows, query_count
):
    ProjectFactory(user=owner, organisation=member_org)
    for n in range(rows - 1):
        ProjectFactory(
            user=owner, organisation=member_org, title=f"Project {n}", iati_identifier=""
        )
    with query_count(6):
        assert client.get("/api/v1/projects").json()["count"] == rows


def test_a_representative_creates_a_project_on_the_page(client, colleague, member_org):
    client.force_login(colleague)
    assert client.get("/results/projects/new/").status_code == 200
    response = client.post(
        "/results/projects/new/",
        {
            "organisation": member_org.pk, "title": "Solar pumps", "summary": "Pumps for wells.",
            "status": "2", "planned_start": "2025-01-01", "planned_end": "2025-12-31",
            "adaptation": "1", "mitigation": "2", "budget": "5000", "currency": "usd",
            "country_1": "SN", "percentage_1": "100", "partner_1": "Sun Fund",
            "partner_role_1": "1", "sdgs": ["7"],
        },
    )  # fmt: skip
    project = Project.objects.get(title="Solar pumps")
    assert response.status_code == 302
    assert project.currency == "USD"
    assert [(c.country_id, c.percentage) for c in project.countries.all()] == [("SN", 100)]


def test_the_page_shows_why_a_project_is_refused_and_stores_nothing(client, colleague, member_org):
    client.force_login(colleague)
    response = client.post(
        "/results/projects/new/",
        {
            "organisation": member_org.pk, "title": "Solar pumps", "summary": "Pumps.",
            "status": "2", "planned_start": "2025-01-01", "planned_end": "2025-12-31",
            "adaptation": "0", "mitigation": "0", "budget": "5000",
            "country_1": "SN", "percentage_1": "70", "country_2": "GM", "percentage_2": "20",
        },
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "they must add up to 100" in html
    assert "Give the currency of the budget" in html
    assert not Project.objects.exists()


def test_an_outsider_cannot_add_or_report(client, outsider, project, indicator):
    _, periods = indicator
    client.force_login(outsider)
    assert client.get("/results/projects/new/").status_code == 403
    assert client.get(f"/results/projects/{project.pk}/edit/").status_code == 403
    assert client.get(f"/results/periods/{periods[0].pk}/updates/new/").status_code == 403


def test_review_flow_on_the_pages(client, owner, colleague, project, indicator):
    _, periods = indicator
    client.force_login(colleague)
    response = client.post(
        f"/results/periods/{periods[0].pk}/updates/new/",
        {"value": "30", "narrative": "Planted", "female": "10", "male": "15", "submit": "on"},
    )
    assert response.status_code == 302
    update = Update.objects.get()
    assert update.status == "submitted" and update.incomplete  # 10 + 15 ≠ 30
    # The author cannot approve it, even as an admin elsewhere: another admin reviews.
    client.post(f"/results/updates/{update.pk}/approve/")
    update.refresh_from_db()
    assert update.status == "submitted"
    client.force_login(owner)
    assert f"/results/updates/{update.pk}/" in client.get("/results/review/").content.decode()
    client.post(f"/results/updates/{update.pk}/approve/")
    update.refresh_from_db()
    periods[0].refresh_from_db()
    assert update.status == "approved" and periods[0].actual == 30


@pytest.mark.parametrize("suffix", ["results.csv", "iati.xml"])
def test_project_exports_download(client, owner, colleague, project, indicator, suffix):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="5")
    response = client.get(f"/results/projects/{project.pk}/{suffix}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith({"results.csv": b"project_id,", "iati.xml": b"<?xml"}[suffix])


def test_organisation_dashboard(client, owner, colleague, member_org, project, indicator):
    _, periods = indicator
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="8")
    html = client.get(f"/results/organisations/{member_org.pk}/").content.decode()
    assert project.title in html and "Hectares" in html


def test_results_csv_is_safe_to_open_in_a_spreadsheet(client, owner, colleague, member_org):
    project = ProjectFactory(
        user=owner, organisation=member_org, title='=HYPERLINK("http://x")', iati_identifier=""
    )
    _, periods = IndicatorFactory.with_periods(owner, project)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="5")
    lines = client.get(f"/results/projects/{project.pk}/results.csv").content.decode().splitlines()
    assert lines[0].startswith("project_id,project,organisation")
    assert "\"'=HYPERLINK" in lines[1]
    assert lines[1].endswith(",100,5")


def test_a_returned_update_is_changed_on_its_page_and_sent_again(
    client, owner, colleague, outsider, indicator
):
    _, periods = indicator
    update = updates.save_update(colleague, periods[0], {"value": "30", "submit": True})
    updates.return_update(owner, update, "The register says 25")
    client.force_login(outsider)
    assert client.get(f"/results/updates/{update.pk}/edit/").status_code == 404
    client.force_login(colleague)
    page = client.get(f"/results/updates/{update.pk}/")
    assert "The register says 25" in page.content.decode()
    assert client.get(f"/results/updates/{update.pk}/edit/").status_code == 200
    response = client.post(
        f"/results/updates/{update.pk}/edit/", {"value": "25", "narrative": "Fixed", "submit": "on"}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.value, update.status) == (25, "submitted")
    assert (
        client.get(f"/results/updates/{update.pk}/edit/").status_code == 409
    )  # submitted: no longer editable


def test_the_edit_page_starts_from_the_project_and_saves_changes(client, colleague, project):
    client.force_login(colleague)
    html = client.get(f"/results/projects/{project.pk}/edit/").content.decode()
    assert 'value="Mangrove belts for Saloum villages"' in html
    assert 'value="SN-NINEA-0012345"' in html and 'value="60"' in html
    response = client.post(
        f"/results/projects/{project.pk}/edit/",
        {
            "title": "Mangrove belts", "summary": "Restoring.", "status": "3",
            "planned_start": "2025-01-01", "planned_end": "2026-12-31", "adaptation": "2",
            "mitigation": "0", "budget": "1000", "currency": "EUR",
            "organisation_iati_ref": "SN-NINEA-0012345", "iati_identifier": "SN-NINEA-0012345-MB01",
            "country_1": "SN", "percentage_1": "100",
        },
    )  # fmt: skip
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.status, project.currency) == ("Mangrove belts", "3", "EUR")
    assert [c.country_id for c in project.countries.all()] == ["SN"]
    assert not project.partners.exists()
