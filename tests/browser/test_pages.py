"""The public pages and the account page, each checked by axe-core in the browser."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from concord.accounts.models import ApiToken, hash_token
from concord.countries.models import Country, CountryGroup
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def members(live_server):
    owner = UserFactory(email="owner@example.org", name="Awa Owner")
    mangroves = OrganisationFactory(
        name="Mangrove Keepers",
        country_id="SN",
        city="Ziguinchor",
        admin=owner,
        member_since=timezone.now(),
    )
    RepresentativeFactory(
        organisation=mangroves,
        user=UserFactory(email="colleague@example.org", name="Bakary Colleague"),
    )
    OrganisationFactory(name="Delta Youth Network", country_id="BD", status="pending")
    return mangroves


def test_home_page_shows_the_coalition_and_switches_to_arabic(page, members):
    visit(page, "/")
    figures = page.locator("main ul.figures > li strong")
    expect(figures.first).to_have_text("1")  # the pending application is not counted
    newest = page.locator(f'main .cards a[href="/members/{members.pk}/"]')
    expect(newest).to_have_text("Mangrove Keepers")
    expect(page.locator("main")).not_to_contain_text("Delta Youth Network")

    page.locator("#language-select").select_option("ar")
    submit(page, 'form[action="/i18n/setlang/"]')
    assert path_of(page) == "/ar/"
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(f'main .cards a[href="/ar/members/{members.pk}/"]')).to_have_text(
        "Mangrove Keepers"
    )


def test_country_data_pages(page):
    countries = Country.objects.count()
    assert countries > 200

    visit(page, "/data/")
    expect(page.locator("main ul.figures > li strong").first).to_have_text(str(countries))
    groups = page.locator("#groups + .table-wrap tbody tr")
    expect(groups).to_have_count(CountryGroup.objects.count())

    visit(page, "/data/countries/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(countries)
    expect(rows.filter(has_text="SN · SEN · 686")).to_have_count(1)

    page.locator("#region").select_option("002")  # Africa
    submit(page, "main form.filters")
    assert "region=002" in page.url
    assert 0 < rows.count() < countries
    expect(rows.filter(has_text="SN · SEN")).to_have_count(1)
    expect(rows.filter(has_text="BD · BGD")).to_have_count(0)


def test_country_data_pages_in_arabic(page):
    visit(page, "/ar/data/")
    expect(page.locator("main ul.figures > li strong").first).to_have_text(
        str(Country.objects.count())
    )
    # The filtered table (a shorter page to check than all countries).
    visit(page, "/ar/data/countries/?region=002")
    expect(page.locator("#region")).to_have_value("002")
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text="SN · SEN · 686")).to_have_count(1)
    expect(rows.filter(has_text="BD · BGD")).to_have_count(0)


def test_organisation_page_for_the_public_and_for_its_representatives(open_page, members):
    visitor = open_page()
    visit(visitor, f"/members/{members.pk}/")
    expect(visitor.locator("h1")).to_have_text("Mangrove Keepers")
    expect(visitor.locator("dl.facts")).to_contain_text("Ziguinchor")
    # Only representatives see who represents the organisation and can invite.
    invite = f'form[action="/members/{members.pk}/representatives/"]'
    expect(visitor.locator(invite)).to_have_count(0)

    owner = open_page()
    sign_in(owner, "owner@example.org", prefix="/ar")
    visit(owner, f"/ar/members/{members.pk}/")
    expect(owner.locator("main table tbody tr")).to_have_count(2)
    invite = f'form[action="/ar/members/{members.pk}/representatives/"]'
    owner.locator(f"{invite} [name=email]").fill("new.colleague@example.org")
    submit(owner, invite)
    assert path_of(owner) == f"/ar/members/{members.pk}/"
    assert members.invitations.filter(email="new.colleague@example.org").exists()


def test_account_page_creates_an_api_token_shown_once(page):
    person = UserFactory(email="tokens@example.org")
    sign_in(page, "tokens@example.org")
    expect(page.locator("#new-token")).to_have_count(0)

    form = 'form[action="/account/tokens/"]'
    page.locator(f"{form} [name=name]").fill("CRM sync")
    submit(page, form)
    assert path_of(page) == "/account/"
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith(ApiToken.PREFIX)
    token = ApiToken.objects.get(user=person)
    assert token.name == "CRM sync"
    assert token.key_hash == hash_token(secret), "the token shown is the one stored (hashed)"
    assert secret not in token.key_hash

    visit(page, "/account/")
    expect(page.locator("#new-token")).to_have_count(0)
    assert secret not in page.content(), "the secret is shown only once"
    expect(page.locator("main table tbody tr")).to_contain_text("CRM sync")
