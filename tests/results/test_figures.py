"""Results totals speak plain English and one number format: plurals through gettext, counts
of people never fractional, and a chart written with the same figures as its table."""

import re

from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory


def totals_section(page: str, slug: str) -> str:
    start = page.index(f'aria-labelledby="total-{slug}"')
    return page[start : page.index("</section>", start)]


def test_totals_say_organisation_and_organisations(client, owner, colleague, member_org):
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="40")
    page = client.get(f"/results/organisations/{member_org.pk}/").content.decode()
    assert re.search(r"from 1 project of 1 organisation(?!s)", page)
    assert "(s)" not in page

    page = client.get("/results/").content.decode()
    assert "(s)" not in totals_section(page, "hectares-restored")


def test_totals_of_two_organisations_use_the_plural(client, owner, colleague, member_org):
    other_admin = UserFactory(email="admin2@example.org")
    other = OrganisationFactory(name="Sahel Water", country_id="ML", admin=other_admin)
    reporter = UserFactory(email="reporter@example.org")
    RepresentativeFactory(organisation=other, user=reporter)
    for org, user, author in ((member_org, owner, colleague), (other, other_admin, reporter)):
        project = ProjectFactory(
            user=user, organisation=org, iati_identifier="", organisation_iati_ref=""
        )
        _, periods = IndicatorFactory.with_periods(user, project)
        UpdateFactory(user=author, approved_by=user, period=periods[0], value="40")
    page = client.get("/results/").content.decode()
    assert "from 2 projects of 2 organisations" in totals_section(page, "hectares-restored")


def test_attributed_people_are_whole_and_chart_matches_table(client, owner, colleague, member_org):
    # SN 60 %, GM 40 %: 8,897 people attributed give 5,338.2 and 3,558.8.
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project, shared="people-trained", periods=1)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="8897")
    section = totals_section(client.get("/results/").content.decode(), "people-trained")
    assert "<strong>8,897</strong> people" in section
    chart = section[section.index("<svg") : section.index("</svg>")]
    table = section[section.index("<table") : section.index("</table>")]
    chart_values = re.findall(r'class="chart-value">([^<]+)<', chart)
    table_values = re.findall(r'class="num">([^<]+)</td>', table)
    assert chart_values == table_values == ["5,338", "3,559"]


def test_one_person_is_singular(client, owner, colleague, member_org):
    project = ProjectFactory(
        user=owner, organisation=member_org, countries=[{"country": "SN", "percentage": "100"}]
    )
    _, periods = IndicatorFactory.with_periods(owner, project, shared="people-trained", periods=1)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="1")
    section = totals_section(client.get("/results/").content.decode(), "people-trained")
    assert "<strong>1</strong> person" in section and "1</strong> people" not in section


def chart_labels(page: str) -> list[str]:
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    return re.findall(r'class="chart-label">([^<]+)<', chart)


def test_period_labels_of_a_french_chart_are_babels_month_names(client, owner, member_org):
    project = ProjectFactory(user=owner, organisation=member_org)
    IndicatorFactory.with_periods(owner, project, periods=2)
    page = client.get(f"/fr/results/projects/{project.pk}/").content.decode()
    # Babel's French abbreviations ("janv.", "déc."), never Django's ("Jan", "Déc").
    assert chart_labels(page)[:2] == ["janv.–déc. 2025", "janv.–déc. 2026"]  # noqa: RUF001
    # The table beside the chart gives the days, in French too.
    assert "1 janvier 2025 – 31 décembre 2025" in page  # noqa: RUF001


def test_an_arabic_page_groups_the_thousands_of_people_and_money(
    client, owner, colleague, member_org
):
    project = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, project, shared="people-trained", periods=1)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="8897")
    section = totals_section(client.get("/ar/results/").content.decode(), "people-trained")
    assert "<strong>8,897</strong>" in section
    table = section[section.index("<table") : section.index("</table>")]
    assert re.findall(r'class="num">([^<]+)</td>', table) == ["5,338", "3,559"]
    page = client.get(f"/ar/results/projects/{project.pk}/").content.decode()
    assert '<bdi dir="ltr">120,000.50\u00a0XOF</bdi>' in page  # one left-to-right piece
