"""The issue's "done when" for case studies, in the browser: a representative writes and
submits a case study (in Spanish); the secretariat, on the Arabic interface, returns it with a
comment, then publishes it once corrected; a visitor on the French interface, without
JavaScript, searches in French and finds it; another organisation records an adaptation and
the page shows where the practice has travelled. Selectors avoid the interface's wording."""

import pytest
from playwright.sync_api import expect

from concord.knowledge.models import Adaptation, Practice
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.browser


def write_case_study(page, organisation) -> Practice:
    visit(page, "/practices/new/")
    form = 'main form:has([name="summary"])'
    page.locator(f"{form} [name=organisation]").select_option(str(organisation.pk))
    page.locator(f"{form} [name=title]").fill("Restauración de manglares en el estuario de Guayas")
    page.locator(f"{form} [name=summary]").fill(
        "Las asociaciones de concheros replantaron 210 hectáreas de manglar. El manglar protege "
        "la costa de la erosión y del oleaje."
    )
    page.locator(f"{form} [name=language]").select_option("es")
    page.locator(f"{form} [name=setting]").select_option("coastal")
    page.locator(f"{form} [name=countries]").select_option(["EC"])
    page.locator(f"{form} [name=themes][value=oceans-coasts]").check()
    page.locator(f"{form} [name=sdgs][value='14']").check()
    page.locator(f"{form} [name=block_1_title]").fill("Viveros comunitarios")
    page.locator(f"{form} [name=block_1_lessons]").fill("Pagar por plántula viva, no por plantada.")
    submit(page, form)
    practice = Practice.objects.get()
    assert path_of(page) == f"/practices/{practice.pk}/"
    submit(page, f'form[action="/practices/{practice.pk}/submit/"]')
    assert Practice.objects.get().status == "submitted"
    return practice


def test_write_review_publish_search_and_adapt(open_page, member_org, owner, secretariat):
    author = open_page()
    sign_in(author, owner.email)
    practice = write_case_study(author, member_org)

    # The secretariat works in Arabic (right to left): returns it with a comment.
    reviewer = open_page()
    sign_in(reviewer, secretariat.email, prefix="/ar")
    visit(reviewer, "/ar/practices/review/")
    expect(reviewer.locator(f'main a[href="/ar/practices/{practice.pk}/"]')).to_be_visible()
    action = f"/ar/practices/{practice.pk}/review/"
    reviewer.locator(f'form[action="{action}"] textarea[name=comment]').first.fill(
        "Indiquez le nombre de familles."
    )
    submit(reviewer, f'form[action="{action}"]:has(button[value="return"])')
    assert Practice.objects.get().status == "returned"

    # The author sees the comment, completes the text and submits again.
    visit(author, f"/practices/{practice.pk}/")
    expect(author.locator("main")).to_contain_text("Indiquez le nombre de familles.")
    visit(author, f"/practices/{practice.pk}/edit/")
    author.locator("main form [name=beneficiaries]").fill("600 familias de concheros")
    submit(author, "main form:has([name=beneficiaries])")
    submit(author, f'form[action="/practices/{practice.pk}/submit/"]')

    visit(reviewer, "/ar/practices/review/")
    submit(reviewer, f'form[action="{action}"]:has(input[name=action][value=publish])')
    assert Practice.objects.get().status == "published"

    # A visitor reads French and has no JavaScript: a French query finds the Spanish text.
    visitor = open_page(javascript=False)
    visit(
        visitor, "/fr/practices/?q=restauration+des+mangroves+contre+l%27%C3%A9rosion&mode=hybrid"
    )
    link = visitor.locator(f'main ol.results a[href="/fr/practices/{practice.pk}/"]')
    expect(link).to_be_visible()
    with visitor.expect_navigation():
        link.click()
    visit(visitor, path_of(visitor))
    expect(visitor.locator("h1")).to_have_text("Restauración de manglares en el estuario de Guayas")

    # Another member organisation records that it adapted the practice.
    adapter_user = make_user("adapter@example.org", name="Dina Adapter")
    other = make_organisation(name="Delta Resilience", country="BD", admin=adapter_user)
    adapter = open_page()
    sign_in(adapter, adapter_user.email)
    visit(adapter, f"/practices/{practice.pk}/")
    form = f'form[action="/practices/{practice.pk}/adaptations/"]'
    adapter.locator(f"{form} [name=organisation]").select_option(str(other.pk))
    adapter.locator(f"{form} [name=country]").select_option("BD")
    adapter.locator(f"{form} [name=place]").fill("Khulna")
    adapter.locator(f"{form} [name=account]").fill("Viveros de manglar en 40 ha de la costa.")
    submit(adapter, form)
    assert Adaptation.objects.get().country_id == "BD"
    expect(adapter.locator("main .map svg")).to_be_visible()
    expect(adapter.locator("main ul.adaptations")).to_contain_text("Khulna")
