"""Data rights in the browser, with and without JavaScript: a signer signs in, downloads
their data (the file holds their signature), reads the privacy page, and deletes their
account through the confirmation step. Selectors avoid the interface's wording."""

import json

import pytest
from playwright.sync_api import expect

from concord.accounts.models import User
from concord.declarations.models import Signature
from tests.browser.conftest import PASSWORD, check_accessibility, path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.declarations import DeclarationFactory, SignatureFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False])
def test_download_my_data_then_delete_my_account(open_page, javascript):
    UserFactory(email="awa@example.org", name="Awa Diallo")
    declaration = DeclarationFactory(opened=True, slug="baku-call")
    SignatureFactory(declaration=declaration, email="awa@example.org", confirmed=True)
    page = open_page(javascript=javascript)

    sign_in(page, "awa@example.org")
    with page.expect_download() as download:
        page.locator('main a[href="/account/my-data/"]').click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == "awa@example.org"
    assert [s["declaration"] for s in data["signatures"]] == ["baku-call"]

    visit(page, "/privacy/")
    expect(page.locator('footer a[href="/privacy/"]')).to_have_count(1)

    visit(page, "/account/")
    with page.expect_navigation():
        page.locator('main a[href="/account/delete/"]').click()
    check_accessibility(page)
    form = 'main form[action="/account/delete/"]'
    page.locator(f"{form} [name=password]").fill("wrong-password")
    with page.expect_navigation() as refused:
        page.locator(f"{form} [type=submit]").click()
    assert refused.value.status == 422  # the page again, with the error
    check_accessibility(page)
    expect(page.locator(f"{form} #id_password_error")).to_have_count(1)
    assert User.objects.filter(email="awa@example.org").exists()

    page.locator(f"{form} [name=password]").fill(PASSWORD)
    submit(page, form)
    assert path_of(page) == "/"
    assert not User.objects.filter(email="awa@example.org").exists()
    assert not Signature.objects.filter(email="awa@example.org").exists()


@pytest.mark.parametrize("prefix", ["", "/fr", "/ar"])
def test_the_privacy_page_is_accessible_in_every_language(page, prefix):
    visit(page, f"{prefix}/privacy/")
    expect(page.locator("main h2")).not_to_have_count(0)
