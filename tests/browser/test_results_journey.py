"""The results flow in the browser: a representative plans a project (result, indicator,
periods) and reports an update; an admin approves it without JavaScript; the dashboards
change. One page is seen in Arabic. Every page is checked by axe-core (`visit`, `submit`).
Selectors avoid the interface's wording: ids, names, form ids and URLs only."""

import re

import pytest
from playwright.sync_api import Page

from concord.results.models import Period, Project, Update
from concord.results.vocabularies import load_shared_indicators
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.browser


def shared_total(page: Page, slug: str) -> str:
    visit(page, "/results/")
    return page.locator(f"#total-{slug} + p.results-figure strong").inner_text()


def fill(page: Page, form: str, **values) -> None:
    for name, value in values.items():
        field = page.locator(f"{form} [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_representative_plans_and_reports_admin_approves_dashboards_change(open_page):
    load_shared_indicators()  # a flushed database (live server) lost the migration's rows
    admin = UserFactory(email="admin@example.org", name="Awa Admin")
    reporter = UserFactory(email="reporter@example.org", name="Bakary Reporter")
    organisation = OrganisationFactory(name="Mangrove Keepers", country_id="SN", admin=admin)
    RepresentativeFactory(organisation=organisation, user=reporter)

    page = open_page()
    before = shared_total(page, "people-trained")
    assert before == "0"
    sign_in(page, "reporter@example.org")

    # The project, with two countries sharing it.
    visit(page, "/results/projects/new/")
    form = "#project-form"
    fill(
        page, form, title="Farmer field schools in Kaolack", summary="Seasonal schools.",
        planned_start="2025-01-01", planned_end="2026-12-31", budget="25000", currency="XOF",
        country_1="SN", percentage_1="75", country_2="GM", percentage_2="25",
        partner_1="Sahel Seed Fund", partner_role_1="1",
    )  # fmt: skip
    page.locator(f"{form} [name=sdgs][value='13']").check()
    submit(page, form)
    project = Project.objects.get(title="Farmer field schools in Kaolack")
    assert path_of(page) == f"/results/projects/{project.pk}/"

    # A result, an indicator adopting a shared one, and two periods.
    page.locator("#add-result").click()
    fill(page, "#results-form", kind="2", title="Farmers use climate-smart practices")
    submit(page, "#results-form")
    page.locator("a.add-indicator").click()
    fill(page, "#results-form", shared="people-trained", baseline_year="2024", baseline_value="0")
    submit(page, "#results-form")
    for start, end, target in (
        ("2025-01-01", "2025-12-31", "300"),
        ("2026-01-01", "2026-12-31", "400"),
    ):
        page.locator("a.add-period").click()
        fill(page, "#results-form", start=start, end=end, target=target)
        submit(page, "#results-form")
    periods = list(Period.objects.filter(indicator__result__project=project))
    assert [str(p.target) for p in periods] == ["300.0000", "400.0000"]

    # An overlapping period is refused with a message; nothing is added.
    page.locator("a.add-period").click()
    fill(page, "#results-form", start="2025-06-01", end="2025-09-30", target="10")
    submit(page, "#results-form")
    assert page.locator("#results-form .errorlist").count() == 1
    assert Period.objects.filter(indicator__result__project=project).count() == 2

    # An update, submitted for approval.
    visit(page, f"/results/projects/{project.pk}/")
    page.locator(f"#period-{periods[0].pk} a.add-update").click()
    fill(page, "#update-form", value="120", narrative="Two schools ran.", female="70", male="50")
    submit(page, "#update-form")
    update = Update.objects.get()
    assert update.status == Update.Status.SUBMITTED and not update.incomplete
    # The reporter cannot approve their own update: no review form for them.
    visit(page, f"/results/updates/{update.pk}/")
    assert page.locator("#approve-form").count() == 0
    assert shared_total(page, "people-trained") == "0"  # submitted is not approved

    # The admin approves, in a browser without JavaScript.
    reviewer = open_page(javascript=False)
    sign_in(reviewer, "admin@example.org")
    visit(reviewer, "/results/review/")
    reviewer.locator(f"a[href='/results/updates/{update.pk}/']").click()
    submit(reviewer, "#approve-form")
    update.refresh_from_db()
    assert update.status == Update.Status.APPROVED
    assert reviewer.locator("#update-facts [data-status=approved]").count() == 1

    # The dashboards change: platform, organisation and project.
    assert shared_total(page, "people-trained") == "120"
    assert page.locator("table:has(caption) >> text=Senegal").count() >= 1
    visit(page, f"/results/organisations/{organisation.pk}/")
    assert page.locator("#total-people-trained").count() == 1
    visit(page, f"/results/projects/{project.pk}/")
    assert page.locator(f"#period-{periods[0].pk} [data-actual]").inner_text() == "120"

    # The same project page in Arabic, right to left (checked by axe as every page).
    visit(reviewer, f"/ar/results/projects/{project.pk}/")
    assert reviewer.locator("html").get_attribute("dir") == "rtl"
    assert re.search("120", reviewer.locator(f"#period-{periods[0].pk} [data-actual]").inner_text())
    visit(reviewer, "/ar/results/")
