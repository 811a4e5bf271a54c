"""A signer's rights in the browser: signed in, Ana signs, finds the signature on "my
signatures" (linked from her account page) and withdraws it; the count goes back at once.
Every page is checked by axe-core. Selectors avoid the interface's wording."""

import pytest
from playwright.sync_api import expect

from concord.declarations import counting
from concord.declarations.models import Signature
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.browser.test_declarations_journey import fill_signature, open_declaration, sign_form
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser


def test_a_signed_in_signer_signs_sees_and_withdraws_a_signature(page, settings):
    settings.SIGN_MIN_SECONDS = 0
    slug = "withdraw-call"
    declaration = open_declaration(slug)
    UserFactory(email="ana@example.org", name="Ana Silva")
    sign_in(page, "ana@example.org")
    expect(page.locator('main a[href="/declarations/signatures/mine/"]')).to_have_count(1)

    visit(page, f"/declarations/{slug}/")
    fill_signature(page, "", slug, name="Ana Silva", email="ana@example.org", country="MZ")
    submit(page, sign_form("", slug))
    assert path_of(page) == f"/declarations/{slug}/signed/"
    signature = Signature.objects.get(declaration=declaration, email="ana@example.org")
    assert signature.status == "confirmed"
    assert sum(counting.tallied_counts(declaration)[0].values()) == 1

    page.locator('main a[href="/declarations/signatures/mine/"]').count()  # no link needed here
    visit(page, "/declarations/signatures/mine/")
    row = page.locator(f"#signature-{signature.pk}")
    expect(row).to_have_count(1)
    submit(page, f'form[action="/declarations/signatures/mine/{signature.pk}/withdraw/"]')
    assert path_of(page) == "/declarations/signatures/mine/"
    expect(page.locator(f"#signature-{signature.pk}")).to_have_count(0)
    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert sum(counting.tallied_counts(declaration)[0].values()) == 0
