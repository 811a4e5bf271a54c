"""The issue's "done when": in English and in Arabic, a person signs up, verifies the email
address from the link in the email, applies for membership; the secretariat approves; the
organisation is listed in the member directory. Selectors avoid the interface's wording
(the catalogues change): ids, names, form actions and URLs only."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from concord.organisations.models import Organisation
from tests.browser.conftest import PASSWORD, path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def sign_up_and_verify(page, email: str, prefix: str) -> None:
    visit(page, f"{prefix}/accounts/signup/")
    form = f'form[action="{prefix}/accounts/signup/"]'
    page.locator(f"{form} [name=email]").fill(email)
    page.locator(f"{form} [name=name]").fill("Awa Diallo")
    page.locator(f"{form} [name=password1]").fill(PASSWORD)
    page.locator(f"{form} [name=password2]").fill(PASSWORD)
    submit(page, form)
    # Verification is mandatory: not signed in yet, told to check the inbox.
    assert path_of(page) == f"{prefix}/accounts/confirm-email/"
    assert not EmailAddress.objects.get(email=email).verified

    messages = [message for message in mail.outbox if message.to == [email]]
    assert len(messages) == 1, "exactly one verification email"
    link = CONFIRMATION_LINK.search(messages[0].body)
    assert link, f"no confirmation link in:\n{messages[0].body}"
    confirm_path = urlsplit(link.group()).path
    assert confirm_path.startswith(f"{prefix}/accounts/confirm-email/"), "link in the language"

    # Opening the link changes nothing (mail scanners only GET); the button confirms.
    visit(page, confirm_path)
    assert not EmailAddress.objects.get(email=email).verified
    # (The form's key is signed afresh, with a new timestamp: match the path, not the key.)
    submit(page, f'main form[action^="{prefix}/accounts/confirm-email/"]')
    assert EmailAddress.objects.get(email=email).verified
    assert path_of(page) == f"{prefix}/account/", "signed in on confirmation"


def apply_for_membership(page, prefix: str, name: str, city: str) -> Organisation:
    visit(page, f"{prefix}/members/apply/")
    form = 'main form:has([name="acronym"])'
    page.locator(f"{form} [name=name]").fill(name)
    page.locator(f"{form} [name=acronym]").fill("SWA")
    page.locator(f"{form} [name=country]").select_option("SN")
    page.locator(f"{form} [name=city]").fill(city)
    page.locator(f"{form} [name=kind]").select_option("network")
    page.locator(f"{form} [name=website]").fill("https://sahel-water.example.org")
    page.locator(f"{form} [name=description]").fill("Community water committees in the Sahel.")
    page.locator(f"{form} [name=themes]").first.check()
    page.locator(f"{form} [name=sdgs][value='13']").check()
    page.locator(f"{form} [name=year_founded]").fill("2009")
    submit(page, form)

    organisation = Organisation.objects.get(name=name)
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.country_id == "SN"
    assert organisation.themes.count() == 1
    assert list(organisation.sdgs.values_list("number", flat=True)) == [13]
    assert path_of(page) == f"{prefix}/members/{organisation.pk}/"
    expect(page.locator("h1")).to_contain_text(name)
    return organisation


def approve(page, prefix: str, organisation: Organisation) -> None:
    visit(page, f"{prefix}/members/applications/")
    detail = f"{prefix}/members/{organisation.pk}/"
    expect(page.locator(f'main a[href="{detail}"]')).to_have_text(organisation.name)
    review = f"{prefix}/members/{organisation.pk}/review/"
    submit(page, f'form[action="{review}"]:has(input[name="action"][value="approve"])')
    assert path_of(page) == f"{prefix}/members/applications/"
    expect(page.locator(f'main a[href="{detail}"]')).to_have_count(0)


@pytest.mark.parametrize(
    ("prefix", "name", "city"),
    [
        ("", "Sahel Water Alliance", "Thiès"),
        ("/ar", "تحالف مياه الساحل", "تييس"),
    ],
    ids=["en", "ar"],
)
def test_sign_up_apply_approve_and_appear_in_the_directory(open_page, prefix, name, city):
    applicant = open_page()
    email = "amina@example.org"
    sign_up_and_verify(applicant, email, prefix)
    organisation = apply_for_membership(applicant, prefix, name, city)

    # Not public while under review.
    visit(applicant, f"{prefix}/members/")
    detail = f"{prefix}/members/{organisation.pk}/"
    expect(applicant.locator(f'.cards a[href="{detail}"]')).to_have_count(0)

    emails_before = len([message for message in mail.outbox if message.to == [email]])
    UserFactory(email="secretariat@example.org", staff=True)
    secretariat = open_page()
    sign_in(secretariat, "secretariat@example.org", prefix=prefix)
    approve(secretariat, prefix, organisation)

    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.MEMBER
    assert organisation.member_since is not None
    emails_after = len([message for message in mail.outbox if message.to == [email]])
    assert emails_after == emails_before + 1, "the applicant is told of the approval"

    visit(applicant, f"{prefix}/members/")
    html = applicant.locator("html")
    expect(html).to_have_attribute("lang", "ar" if prefix == "/ar" else "en")
    expect(html).to_have_attribute("dir", "rtl" if prefix == "/ar" else "ltr")
    card = applicant.locator(".cards > li", has=applicant.locator(f'a[href="{detail}"]'))
    expect(card.locator("h3")).to_contain_text(name)
    expect(card).to_contain_text(city)
    visit(applicant, detail)
    expect(applicant.locator("h1")).to_contain_text(name)
    expect(applicant.locator("main div.panel[role=status]")).to_have_count(0)  # no status
