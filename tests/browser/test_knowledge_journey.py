"""The issue's "done when" for case studies, in the browser and in each interface language: a
representative writes and submits a case study (in Spanish); the secretariat returns it with a
comment, then publishes it once corrected; a visitor without JavaScript searches in the
interface's language (English, French or Arabic) and finds it; another organisation records an
adaptation and the page shows where the practice has travelled. Each language plays each part
once. Selectors avoid the interface's wording."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from concord.knowledge.models import Adaptation, Practice
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.browser


def write_case_study(page, organisation, prefix: str) -> Practice:
    visit(page, f"{prefix}/practices/new/")
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
    assert path_of(page) == f"{prefix}/practices/{practice.pk}/"
    submit(page, f'form[action="{prefix}/practices/{practice.pk}/submit/"]')
    assert Practice.objects.get().status == "submitted"
    return practice


QUERIES = {
    "": "mangrove restoration against coastal erosion",
    "/fr": "restauration des mangroves contre l'érosion",
    "/ar": "زراعة أشجار المانغروف لحماية الساحل من التآكل",
}


# Each interface language plays each part once: (author, secretariat, visitor).
@pytest.mark.parametrize(
    ("author_prefix", "reviewer_prefix", "visitor_prefix"),
    [("", "/ar", "/fr"), ("/fr", "", "/ar"), ("/ar", "/fr", "")],
    ids=["en-ar-fr", "fr-en-ar", "ar-fr-en"],
)
def test_write_review_publish_search_and_adapt(
    open_page, member_org, owner, secretariat, author_prefix, reviewer_prefix, visitor_prefix
):
    a, r, v = author_prefix, reviewer_prefix, visitor_prefix
    author = open_page()
    sign_in(author, owner.email, prefix=a)
    practice = write_case_study(author, member_org, a)

    # The secretariat returns it with a comment.
    reviewer = open_page()
    sign_in(reviewer, secretariat.email, prefix=r)
    visit(reviewer, f"{r}/practices/review/")
    expect(reviewer.locator(f'main a[href="{r}/practices/{practice.pk}/"]')).to_be_visible()
    action = f"{r}/practices/{practice.pk}/review/"
    reviewer.locator(f'form[action="{action}"] textarea[name=comment]').first.fill(
        "Indiquez le nombre de familles."
    )
    submit(reviewer, f'form[action="{action}"]:has(button[value="return"])')
    assert Practice.objects.get().status == "returned"

    # The author sees the comment, completes the text and submits again.
    visit(author, f"{a}/practices/{practice.pk}/")
    expect(author.locator("main")).to_contain_text("Indiquez le nombre de familles.")
    visit(author, f"{a}/practices/{practice.pk}/edit/")
    author.locator("main form [name=beneficiaries]").fill("600 familias de concheros")
    submit(author, "main form:has([name=beneficiaries])")
    submit(author, f'form[action="{a}/practices/{practice.pk}/submit/"]')

    visit(reviewer, f"{r}/practices/review/")
    submit(reviewer, f'form[action="{action}"]:has(input[name=action][value=publish])')
    assert Practice.objects.get().status == "published"

    # A visitor without JavaScript searches in the interface's language and finds the
    # Spanish text.
    visitor = open_page(javascript=False)
    visit(visitor, f"{v}/practices/?{urlencode({'q': QUERIES[v], 'mode': 'hybrid'})}")
    link = visitor.locator(f'main ol.results a[href="{v}/practices/{practice.pk}/"]')
    expect(link).to_be_visible()
    with visitor.expect_navigation():
        link.click()
    visit(visitor, path_of(visitor))
    expect(visitor.locator("h1")).to_have_text("Restauración de manglares en el estuario de Guayas")

    # Another member organisation records that it adapted the practice.
    adapter_user = UserFactory(email="adapter@example.org", name="Dina Adapter")
    other = OrganisationFactory(name="Delta Resilience", country_id="BD", admin=adapter_user)
    adapter = open_page()
    sign_in(adapter, adapter_user.email, prefix=v)
    visit(adapter, f"{v}/practices/{practice.pk}/")
    form = f'form[action="{v}/practices/{practice.pk}/adaptations/"]'
    adapter.locator(f"{form} [name=organisation]").select_option(str(other.pk))
    adapter.locator(f"{form} [name=country]").select_option("BD")
    adapter.locator(f"{form} [name=place]").fill("Khulna")
    adapter.locator(f"{form} [name=account]").fill("Viveros de manglar en 40 ha de la costa.")
    submit(adapter, form)
    assert Adaptation.objects.get().country_id == "BD"
    expect(adapter.locator("main .map svg")).to_be_visible()
    expect(adapter.locator("main ul.adaptations")).to_contain_text("Khulna")
