"""The "my Concord" page on a 360 px phone without JavaScript: reached by signing in from
its own address, then from the menu; nothing wider than the screen, in English and Arabic."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.knowledge import PracticeFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import PartnershipRequestFactory
from tests.factories.results import ProjectFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
LONG = "Mangrovenwiederaufforstungsgemeinschaftsprojektfuerdiesaloumdeltadoerfer"


@pytest.fixture
def member(live_server):
    person = UserFactory(email="owner@example.org", name="Awa Owner")
    organisation = OrganisationFactory(name="Mangrove Keepers", admin=person)
    declaration = DeclarationFactory(opened=True, title="The Dakar Call on Loss and Damage")
    SignatureFactory(declaration=declaration, email=person.email)
    RegistrationFactory(event=EventFactory(title="Saloum Youth Climate Forum"), user=person)
    # Long unbroken words must wrap rather than widen the page.
    PracticeFactory(organisation=organisation, created_by=person, status="draft", title=LONG)
    ProjectFactory(organisation=organisation, user=person, title="Mangrove belts")
    PartnershipRequestFactory(organisation=organisation, user=person, title="Nursery partner")
    return person


def no_horizontal_overflow(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide on a {widths[1]} px screen"


def test_signed_out_visitor_signs_in_and_comes_back(open_page, member):
    page = open_page(javascript=False)
    page.set_viewport_size(PHONE)
    page.goto("/my/")
    assert path_of(page) == "/accounts/login/"
    page.locator("main [name=login]").fill("owner@example.org")
    page.locator("main [name=password]").fill(PASSWORD)
    submit(page, "main form:has([name=password])")
    assert path_of(page) == "/my/"
    expect(page.locator("h1")).to_have_text("My Concord")


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_page_fits_a_phone_without_javascript(open_page, member, prefix):
    page = open_page(javascript=False)
    page.set_viewport_size(PHONE)
    sign_in(page, "owner@example.org", prefix=prefix)
    page.locator(f'header nav a[href="{prefix}/my/"]').click()
    assert path_of(page) == f"{prefix}/my/"
    visit(page, f"{prefix}/my/")  # axe-core and the same-host rule
    for title in [
        "The Dakar Call on Loss and Damage",
        "Saloum Youth Climate Forum",
        LONG,
        "Mangrove belts",
        "Nursery partner",
    ]:
        expect(page.locator("main")).to_contain_text(title)
    expect(page.locator("main h2")).to_have_count(7)
    no_horizontal_overflow(page)
