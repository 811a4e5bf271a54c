"""Drafting together and the answers, in the browser: the secretariat opens a draft for
comments to two organisations; one proposes an amendment in French, the other supports it;
the committee accepts it and the new version shows the difference; a co-sponsor endorses;
the declaration opens with the co-sponsor first; the secretariat records deliveries to three
governments and a response with a pledge, publishes it, and the public page and the API
show the response coverage. Every page is checked by axe-core (`visit`, `submit`, `press`).
Selectors use ids, names and button values, not the interface's wording."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Response

from concord.declarations.drafting import queries
from concord.declarations.drafting.models import Amendment
from concord.declarations.models import Declaration
from concord.declarations.services import lifecycle
from tests.browser.conftest import check_accessibility, sign_in, visit
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.browser

TEXT = (
    "We, NGOs of the Non-Aligned Movement countries, agree on this call.\n\n"
    "We invite world governments to fund adaptation in cities.\n\n"
    "We will report on the answers we receive."
)
FRENCH = "Nous invitons les gouvernements du monde à financer l'adaptation des villes côtières."


def press(page: Page, button: str) -> Response:
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    response = navigation.value
    assert response is not None and response.ok, (
        f"{page.url} answered {response and response.status}"
    )
    check_accessibility(page)
    return response


def test_a_text_drafted_together_opens_with_its_cosponsor_and_records_answers(open_page):
    secretariat = UserFactory(email="leyla@example.org", staff=True, name="Leyla Secretariat")
    awa = UserFactory(email="awa@example.org", name="Awa Diop", language="fr")
    paulo = UserFactory(email="paulo@example.org", name="Paulo Mendes", language="pt")
    keepers = OrganisationFactory(name="Mangrove Keepers", country_id="SN", admin=awa)
    andes = OrganisationFactory(name="Andes Water Forum", country_id="PE", admin=paulo)
    draft = lifecycle.create_declaration(
        secretariat, slug="nam-cities", title="Cities that adapt", text=TEXT, language="en"
    )
    slug = draft.slug

    staff = open_page()
    sign_in(staff, secretariat.email)
    visit(staff, f"/declarations/{slug}/drafting/manage/")
    staff.locator("[name=period-audience]").select_option("group")
    staff.locator(f"[name=period-organisations][value='{keepers.pk}']").check()
    staff.locator(f"[name=period-organisations][value='{andes.pk}']").check()
    closes = (timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    staff.locator("[name=period-closes_at]").fill(closes)
    press(staff, "button[value=period]")
    key = queries.paragraphs_of(queries.current_version(draft))[1][0]

    proposer = open_page()
    sign_in(proposer, awa.email, prefix="/fr")
    visit(proposer, f"/fr/declarations/{slug}/drafting/")
    paragraph = proposer.locator(f"#p{key}")
    paragraph.locator("details").nth(1).locator("summary").click()
    proposer.locator(f"[name=a{key}-text]").fill(FRENCH)
    proposer.locator(f"[name=a{key}-reason]").fill("Les villes côtières sont les plus exposées.")
    press(proposer, f"button[value='amend:{key}']")
    amendment = Amendment.objects.get()
    assert amendment.language == "fr" and amendment.text == FRENCH

    supporter = open_page(javascript=False)
    sign_in(supporter, paulo.email)
    visit(supporter, f"/declarations/{slug}/drafting/")
    supporter.locator(f"[name=s{amendment.pk}-organisation]").select_option(str(andes.pk))
    press(supporter, f"button[value='support:{amendment.pk}']")
    assert amendment.supports.get().organisation == andes

    visit(staff, f"/declarations/{slug}/drafting/manage/")
    staff.locator(f"[name=d{amendment.pk}-decision][value=accept]").check()
    accepted = "We invite world governments to fund adaptation in coastal cities."
    staff.locator(f"[name=d{amendment.pk}-text]").fill(accepted)
    staff.locator(f"[name=d{amendment.pk}-reason]").fill("Coastal cities first; translated.")
    press(staff, f"button[value='decide:{amendment.pk}']")
    visit(staff, f"/declarations/{slug}/drafting/compare/?old=1&new=2")
    assert "coastal" in staff.locator(".diff ins").first.inner_text()
    staff.set_viewport_size({"width": 360, "height": 740})  # a phone, right to left
    visit(staff, f"/ar/declarations/{slug}/drafting/compare/?old=1&new=2")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 360
    visit(staff, f"/ar/declarations/{slug}/drafting/")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 360
    staff.set_viewport_size({"width": 1280, "height": 800})
    assert queries.current_version(draft).number == 2

    visit(supporter, f"/declarations/{slug}/drafting/")
    supporter.locator("[name=endorse-organisation]").select_option(str(andes.pk))
    press(supporter, "button[value=endorse]")

    visit(staff, f"/declarations/{slug}/manage/")
    press(staff, "button[value=open]")
    assert Declaration.objects.get(pk=draft.pk).status == "open"

    visitor = open_page()
    visit(visitor, f"/declarations/{slug}/")
    html = visitor.content()
    assert "Andes Water Forum" in html and accepted in html
    assert html.index('id="cosponsors-heading"') < html.index('id="sign-heading"')

    visit(staff, f"/declarations/{slug}/addressees/")
    for code in ("SN", "KE", "BR"):
        staff.locator("[name=addressee-kind]").select_option("government")
        staff.locator("[name=addressee-country]").select_option(code)
        press(staff, "main form button[type=submit]")
    declaration = Declaration.objects.get(pk=draft.pk)
    for addressee in declaration.addressees.all():
        visit(staff, f"/declarations/{slug}/addressees/{addressee.pk}/")
        staff.locator("[name=delivery-delivered_on]").fill(date.today().isoformat())
        staff.locator("[name=delivery-channel]").select_option("email")
        press(staff, "button[value=delivery]")
    kenya = declaration.addressees.get(country="KE")
    visit(staff, f"/declarations/{slug}/addressees/{kenya.pk}/")
    staff.locator("[name=response-received_on]").fill(date.today().isoformat())
    staff.locator("[name=response-source]").fill("Ministry of Environment")
    staff.locator("[name=response-text]").fill("Kenya supports the call.")
    staff.locator("[name=response-pledge]").fill("A national adaptation plan for cities.")
    deadline = (date.today() + timedelta(days=90)).isoformat()
    staff.locator("[name=response-pledge_deadline]").fill(deadline)
    press(staff, "button[value=response]")
    response = kenya.responses.get()
    press(staff, f"button[value='publish:{response.pk}']")

    visit(visitor, f"/declarations/{slug}/")
    section = visitor.locator("#responses")
    assert "1" in section.locator(".figures li").first.inner_text()
    assert "3" in section.locator(".figures li").first.inner_text()
    assert "A national adaptation plan for cities." in section.inner_text()
    answer = visitor.request.get(f"/api/v1/declarations/{slug}/responses").json()
    assert answer["addressed"]["un_member_states"] == 3
    assert answer["responded"]["un_member_states"] == 1
    assert answer["responses"][0]["pledges"][0]["status"] == "open"
