"""The issue's browser "done when": a member posts a request and sees explained matches;
another member's representative expresses interest (without JavaScript); the requester
accepts it, records deliverables and files a progress report, then reads the partnership in
Arabic; the secretariat enters a funding call and sees it matched to an eligible organisation
and not to an ineligible one. Every page is checked by axe-core (through `visit`/`submit`).
Selectors avoid the interface's wording: ids, names, form actions and URLs only."""

import pytest
from django.utils import timezone

from concord.partnerships.models import (
    Deliverable,
    ExpressionOfInterest,
    FundingCall,
    Partnership,
    PartnershipRequest,
    ProgressReport,
)
from tests.browser.conftest import check_accessibility, path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def people(db):
    owner = UserFactory(email="awa@example.org", name="Awa Ndiaye")
    helper = UserFactory(email="paulo@example.org", name="Paulo Machava", language="pt")
    secretariat = UserFactory(email="leyla@example.org", name="Leyla Secretariat", staff=True)
    requester = OrganisationFactory(name="Saloum Mangrove Keepers", country_id="SN", admin=owner)
    requester.themes.set(["oceans-coasts"])
    mozambique = OrganisationFactory(
        name="Costa Viva",
        country_id="MZ",
        admin=helper,
        description="Replanting mangroves along the coast of Beira with fishing communities.",
    )
    mozambique.themes.set(["oceans-coasts", "adaptation"])
    PracticeFactory(
        organisation=mozambique, title="Mangrove nurseries in Beira", themes=("oceans-coasts",)
    )
    brazil = OrganisationFactory(name="Mar do Brasil", country_id="BR")
    brazil.themes.set(["oceans-coasts"])
    return {
        "owner": owner, "helper": helper, "secretariat": secretariat,
        "requester": requester, "mozambique": mozambique, "brazil": brazil,
    }  # fmt: skip


def press(page, selector: str) -> None:
    with page.expect_navigation() as navigation:
        page.locator(selector).click()
    assert navigation.value is not None and navigation.value.ok, page.url
    check_accessibility(page)


def test_request_interest_partnership_report_and_funding_call(open_page, people):
    # 1. A representative posts a request and sees explained matches.
    owner = open_page()
    sign_in(owner, "awa@example.org")
    visit(owner, "/partnerships/requests/new/")
    form = 'main form[action="/partnerships/requests/new/"]'
    owner.locator(f"{form} [name=organisation]").select_option(str(people["requester"].pk))
    owner.locator(f"{form} [name=kind][value=request]").check()
    owner.locator(f"{form} [name=purpose]").select_option("knowledge_exchange")
    owner.locator(f"{form} [name=title]").fill("Exchange on mangrove restoration")
    owner.locator(f"{form} [name=description]").fill(
        "We seek partners who replant mangroves, to compare nursery methods."
    )
    owner.locator(f"{form} [name=themes][value=oceans-coasts]").check()
    owner.locator(f"{form} [name=countries]").select_option(["MZ"])
    owner.locator(f"{form} [name=languages]").select_option(["pt", "fr"])
    submit(owner, form)
    posted = PartnershipRequest.objects.get()
    assert path_of(owner) == f"/partnerships/requests/{posted.pk}/"
    matches = owner.locator("main ol.matches > li")
    assert matches.count() == 2  # Costa Viva first (in Mozambique, speaks Portuguese), Brazil
    assert "Costa Viva" in matches.first.inner_text()
    reasons = matches.first.locator(".reasons li").all_inner_texts()
    assert reasons[:2] == ["works on oceans and coasts in Mozambique", "speaks Portuguese"]
    assert "possible points" in matches.first.locator(".meta").inner_text()
    assert "has published 1 case study on oceans and coasts" in matches.first.inner_text()
    assert "Saloum Mangrove Keepers" not in owner.locator("main ol.matches").inner_text()

    # 2. Another member's representative expresses interest, with JavaScript off.
    helper = open_page(javascript=False)
    sign_in(helper, "paulo@example.org")
    visit(helper, f"/partnerships/requests/{posted.pk}/")
    interest_form = f'main form[action="/partnerships/requests/{posted.pk}/interest/"]'
    helper.locator(f"{interest_form} [name=message]").fill(
        "We run nurseries in Beira; let us talk."
    )
    submit(helper, interest_form)
    interest = ExpressionOfInterest.objects.get()
    assert interest.organisation == people["mozambique"] and interest.status == "pending"
    assert "awa@example.org" not in helper.content()

    # 3. The requester accepts: the partnership is recorded, with deliverables and a report.
    visit(owner, f"/partnerships/requests/{posted.pk}/")
    press(owner, f'main form[action="/partnerships/interests/{interest.pk}/accept/"] [type=submit]')
    partnership = Partnership.objects.get()
    assert path_of(owner) == f"/partnerships/active/{partnership.pk}/"
    due = (timezone.localdate() + timezone.timedelta(days=200)).isoformat()
    owner.locator("#deliverable-form [name=title]").fill("Mangrove seedlings raised")
    owner.locator("#deliverable-form [name=target]").fill("5000")
    owner.locator("#deliverable-form [name=unit]").fill("seedlings")
    owner.locator("#deliverable-form [name=due_on]").fill(due)
    submit(owner, "#deliverable-form")
    deliverable = Deliverable.objects.get()
    assert (deliverable.partnership, deliverable.target) == (partnership, 5000)
    owner.locator("#report-form [name=summary]").fill("Two nurseries running.")
    owner.locator(f"#report-form [name=achieved_{deliverable.pk}]").fill("1200")
    submit(owner, "#report-form")
    assert ProgressReport.objects.get().partnership == partnership
    deliverable.refresh_from_db()
    assert deliverable.achieved == 1200
    assert owner.locator("#report-status.report-on_time").count() == 1
    assert "1,200" in owner.locator("#deliverables").inner_text()

    # The requester's admin sets the languages used to suggest partners.
    visit(owner, f"/partnerships/organisations/{people['requester'].pk}/funding/")
    owner.locator("#languages-form [name=languages]").select_option(["fr", "wo"])
    submit(owner, "#languages-form")
    assert owner.locator("#languages-form [name=languages] option:checked").count() == 2

    # 4. The same partnership in Arabic, right to left (checked by `visit`).
    visit(owner, f"/ar/partnerships/active/{partnership.pk}/")
    assert owner.locator("#report-status").inner_text() == "في الموعد"

    # 5. The secretariat enters a funding call for LDCs: Mozambique is eligible, Brazil is not.
    staff = open_page()
    sign_in(staff, "leyla@example.org")
    visit(staff, "/partnerships/funding/new/")
    call_form = 'main form[action="/partnerships/funding/new/"]'
    staff.locator(f"{call_form} [name=title]").fill("Coastal resilience grants")
    staff.locator(f"{call_form} [name=funder]").fill("Blue Climate Fund")
    staff.locator(f"{call_form} [name=instrument]").select_option("grant")
    staff.locator(f"{call_form} [name=amount_min]").fill("5000")
    staff.locator(f"{call_form} [name=amount_max]").fill("25000")
    staff.locator(f"{call_form} [name=currency]").fill("USD")
    staff.locator(f"{call_form} [name=deadline]").fill("2099-05-01T17:00")
    staff.locator(f"{call_form} [name=deadline_timezone]").select_option("Africa/Maputo")
    staff.locator(f"{call_form} [name=link]").fill("https://example.org/calls/coastal")
    staff.locator(f"{call_form} [name=themes][value=oceans-coasts]").check()
    staff.locator(f"{call_form} [name=eligible_groups][value=ldc]").check()
    submit(staff, call_form)
    call = FundingCall.objects.get()
    assert path_of(staff) == f"/partnerships/funding/{call.pk}/"
    visit(staff, f"/partnerships/organisations/{people['mozambique'].pk}/funding/")
    assert "Coastal resilience grants" in staff.locator("#funding-matches").inner_text()
    visit(staff, f"/partnerships/organisations/{people['brazil'].pk}/funding/")
    assert staff.locator("#funding-matches").count() == 0
    assert "Coastal resilience grants" not in staff.locator("main").inner_text()
