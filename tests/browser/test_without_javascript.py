"""The pages work with JavaScript turned off: sign in, apply (a mistake first), approve."""

import pytest
from playwright.sync_api import expect

from concord.organisations.models import Organisation
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser


def test_apply_and_approve_without_javascript(open_page):
    UserFactory(email="applicant@example.org")
    UserFactory(email="secretariat@example.org", staff=True)
    applicant = open_page(javascript=False)
    assert applicant.evaluate("1 + 1") == 2  # Playwright can still look at the page

    sign_in(applicant, "applicant@example.org", prefix="/ar")
    visit(applicant, "/ar/members/apply/")
    form = 'main form:has([name="acronym"])'

    # A mistake: the form comes back with the errors and nothing is created.
    applicant.locator(f"{form} [name=name]").fill("")
    submit(applicant, form)
    assert path_of(applicant) == "/ar/members/apply/"
    expect(applicant.locator(f"{form} #id_name_error")).to_have_count(1)
    expect(applicant.locator(f"{form} #id_country_error")).to_have_count(1)
    assert not Organisation.objects.exists()

    applicant.locator(f"{form} [name=name]").fill("Lake Chad Women's Network")
    applicant.locator(f"{form} [name=country]").select_option("TD")
    applicant.locator(f"{form} [name=kind]").select_option("ngo")
    applicant.locator(f"{form} [name=themes]").nth(1).check()
    submit(applicant, form)
    organisation = Organisation.objects.get(name="Lake Chad Women's Network")
    assert organisation.status == Organisation.Status.PENDING
    assert path_of(applicant) == f"/ar/members/{organisation.pk}/"

    secretariat = open_page(javascript=False)
    sign_in(secretariat, "secretariat@example.org")
    visit(secretariat, "/members/applications/")
    review = f"/members/{organisation.pk}/review/"
    submit(secretariat, f'form[action="{review}"]:has(input[name="action"][value="approve"])')
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.MEMBER

    visit(applicant, "/ar/members/")
    expect(applicant.locator(f'.cards a[href="/ar/members/{organisation.pk}/"]')).to_have_text(
        "Lake Chad Women's Network"
    )
