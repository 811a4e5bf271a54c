"""The whole declarations flow in the browser: the secretariat drafts, translates and opens a
declaration; people sign (in English and in Arabic, with and without JavaScript) and confirm
by the emailed link; the secretariat reviews, invalidates, imports paper signatures, closes
and downloads the PDF. Every page is checked by axe-core (through `visit`, `submit` and
`press`). Selectors avoid the interface's wording: ids, names, form actions and URLs only."""

import hashlib
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import Page, Response, expect

from concord.countries.names import localised_name
from concord.declarations.models import Declaration, ImportJob, Signature
from concord.declarations.services import lifecycle
from tests.browser.conftest import check_accessibility, path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory
from tests.factories.declarations import SignatureFactory

pytestmark = pytest.mark.browser

SECRETARIAT = "secretariat@example.org"
TITLE_EN = "The Baku Call for Climate Justice"
BODY_EN = "We, the undersigned organisations, call for fair climate finance."
TITLE_FR = "L'Appel de Bakou pour la justice climatique"
BODY_FR = "Nous, organisations soussignées, appelons à un financement climatique juste."


# --- Helpers ------------------------------------------------------------------------------


def press(page: Page, button: str) -> Response:
    """Press one particular submit button (a form with several), then check the result."""
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    response = navigation.value
    assert response is not None, f"no response for {page.url}"
    assert response.ok, f"{page.url} answered {response.status}"
    check_accessibility(page)
    return response


def wait_while_refreshing(page: Page, path: str, *, timeout: float = 30) -> None:
    """Background work pages refresh themselves by <meta> refresh while working: reload
    (and check) until the work is done."""
    deadline = time.monotonic() + timeout
    while page.locator('meta[http-equiv="refresh"]').count():
        assert time.monotonic() < deadline, f"{path} still working after {timeout} s"
        time.sleep(0.5)
        visit(page, path)


def open_declaration(slug: str, **fields) -> Declaration:
    """An open declaration (English original, French translation), seeded by the services."""
    secretariat = UserFactory(email=SECRETARIAT, staff=True, name="Leyla Secretariat")
    draft = lifecycle.create_declaration(
        secretariat, slug=slug, title=TITLE_EN, text=BODY_EN, language="en", **fields
    )
    lifecycle.set_text(secretariat, draft, language="fr", title=TITLE_FR, text=BODY_FR)
    return lifecycle.open_declaration(secretariat, draft)


def sign_form(prefix: str, slug: str) -> str:
    return f'main form[action^="{prefix}/declarations/{slug}/sign/"]'


def fill_signature(
    page: Page, prefix: str, slug: str, *, name: str, email: str, country: str, show=True
) -> None:
    form = sign_form(prefix, slug)
    page.locator(f"{form} [name=name]").fill(name)
    page.locator(f"{form} [name=email]").fill(email)
    page.locator(f"{form} [name=country]").select_option(country)
    page.locator(f"{form} [name=kind][value=individual]").check()
    show_name = page.locator(f"{form} [name=show_name]")
    if show:
        show_name.check()
    else:
        show_name.uncheck()
    expect(page.locator(f"{form} [name=website]")).to_have_value("")  # the honeypot


def sign_and_confirm(
    page: Page, prefix: str, slug: str, *, name: str, email: str, country: str, show=True
) -> Signature:
    """Sign on the detail page (already open in `page`), follow the emailed link, confirm."""
    fill_signature(page, prefix, slug, name=name, email=email, country=country, show=show)
    submit(page, sign_form(prefix, slug))
    assert path_of(page) == f"{prefix}/declarations/{slug}/signed/"
    assert parse_qs(urlsplit(page.url).query).get("status") == ["pending"]
    signature = Signature.objects.get(declaration__slug=slug, email=email)
    assert signature.status == Signature.Status.PENDING
    assert not signature.flags, f"an honest signature was flagged: {signature.flags}"

    messages = [message for message in mail.outbox if message.to == [email]]
    assert len(messages) == 1, "exactly one confirmation email"
    link = re.search(rf"https?://\S+/declarations/{slug}/confirm/[^\s/]+/", messages[0].body)
    assert link, f"no confirmation link in:\n{messages[0].body}"
    confirm_path = urlsplit(link.group()).path
    assert confirm_path.startswith(f"{prefix}/declarations/"), "link in the signer's language"

    # Opening the link changes nothing (mail scanners only GET); the button confirms.
    visit(page, confirm_path)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    submit(page, "main form[method=post]")
    assert path_of(page) == confirm_path
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
    return signature


def shown_signatures(page: Page, slug: str) -> int:
    visit(page, f"/declarations/{slug}/")
    return int(page.locator("main ul.figures > li strong").first.inner_text().replace(",", ""))


# --- Tests --------------------------------------------------------------------------------


def test_secretariat_drafts_opens_and_people_sign(open_page, settings):
    settings.SIGN_MIN_SECONDS = 0
    slug = "baku-call"
    UserFactory(email=SECRETARIAT, staff=True)
    secretariat = open_page()
    sign_in(secretariat, SECRETARIAT)

    # Draft.
    visit(secretariat, "/declarations/new/")
    form = "main form:has([name=slug])"
    secretariat.locator(f"{form} [name=slug]").fill(slug)
    secretariat.locator(f"{form} [name=title]").fill(TITLE_EN)
    secretariat.locator(f"{form} [name=text]").fill(BODY_EN)
    secretariat.locator(f"{form} [name=language]").select_option("en")
    submit(secretariat, form)
    manage = f"/declarations/{slug}/manage/"
    assert path_of(secretariat) == manage
    declaration = Declaration.objects.get(slug=slug)
    assert declaration.status == Declaration.Status.DRAFT

    # Translate.
    secretariat.locator("#text-form [name=language]").select_option("fr")
    secretariat.locator("#text-form [name=title]").fill(TITLE_FR)
    secretariat.locator("#text-form [name=text]").fill(BODY_FR)
    submit(secretariat, "#text-form")
    assert path_of(secretariat) == manage
    assert set(declaration.texts.values_list("language", flat=True)) == {"en", "fr"}

    # Open: the texts are fingerprinted.
    submit(secretariat, 'main form:has(button[name=action][value="open"])')
    assert path_of(secretariat) == manage
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.OPEN
    fingerprints = sorted(declaration.texts.values_list("sha256", flat=True))
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in fingerprints)

    # The public page shows both fingerprints.
    visitor = open_page()
    visit(visitor, f"/declarations/{slug}/")
    shown = visitor.locator('nav[aria-labelledby="versions-heading"] code.token')
    assert sorted(shown.all_inner_texts()) == fingerprints
    expect(visitor.locator("main ul.figures > li strong").first).to_have_text("0")

    # An anonymous visitor signs and confirms.
    first = sign_and_confirm(
        visitor, "", slug, name="Fatou Sow", email="fatou@example.org", country="SN"
    )
    assert first.language == "en"
    visit(visitor, f"/declarations/{slug}/")
    expect(visitor.locator("main ul.figures > li strong").first).to_have_text("1")
    rows = visitor.locator("#countries + .table-wrap tbody tr")
    expect(rows).to_have_count(1)
    with translation.override("en"):
        senegal = localised_name("SN")
    expect(rows.locator("th[scope=row]")).to_have_text(senegal)
    expect(rows.locator("td").first).to_have_text("1")
    # The map is an image at its own URL, shown (the Content-Security-Policy lets it load),
    # with its figures said in the alternative text and in the table above.
    image = visitor.locator("main figure img.map")
    expect(image).to_have_attribute("alt", re.compile("1 country with signatures"))
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the map did not load"

    # A second visitor reads the French text on the Arabic page, signs without showing the
    # name, and confirms.
    arabic = open_page()
    visit(arabic, f"/ar/declarations/{slug}/?text=fr")
    expect(arabic.locator("html")).to_have_attribute("dir", "rtl")
    expect(arabic.locator("main h1")).to_have_attribute("lang", "fr")
    expect(arabic.locator("main h1")).to_have_attribute("dir", "ltr")
    expect(arabic.locator(f"{sign_form('/ar', slug)} [name=language]")).to_have_value("fr")
    # Nothing hidden off-screen makes the right-to-left page scroll sideways (WCAG 1.4.10).
    width = arabic.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the Arabic page is {width[0]}px wide in a {width[1]}px window"
    second = sign_and_confirm(
        arabic, "/ar", slug, name="Omar Haddad", email="omar@example.net", country="MA",
        show=False,
    )  # fmt: skip
    assert second.language == "fr"
    assert not second.show_name

    # The public list: the shown name, not the hidden one, never an email.
    visit(visitor, f"/declarations/{slug}/signatories/")
    main = visitor.locator("main")
    expect(main).to_contain_text("Fatou Sow")
    expect(main).not_to_contain_text("Omar Haddad")
    content = visitor.content()
    for email in ("fatou@example.org", "omar@example.net"):
        assert email not in content, f"{email} shown on the signatories page"

    # The statistics API agrees.
    response = visitor.request.get(f"/api/v1/declarations/{slug}/stats")
    assert response.ok
    stats = response.json()
    assert stats["signatures"] == 2
    assert stats["countries"] == 2


def test_secretariat_reviews_imports_and_closes(open_page):
    slug = "paper-and-burst"
    declaration = open_declaration(slug)
    for index, email in enumerate(
        ["awa@ngo.example.org", "bakary@ngo.example.org", "x1@burst.example",
         "x2@burst.example", "x3@burst.example"]
    ):  # fmt: skip
        SignatureFactory(
            declaration=declaration,
            email=email,
            country=["SN", "KE", "BD"][index % 3],
            name=f"S {index}",
            confirmed=True,
        )

    secretariat = open_page()
    sign_in(secretariat, SECRETARIAT)
    assert shown_signatures(secretariat, slug) == 5

    # Review: filter by domain, invalidate with a reason.
    review = f"/declarations/{slug}/review/"
    visit(secretariat, review)
    secretariat.locator("main form[role=search] [name=domain]").fill("burst.example")
    submit(secretariat, "main form[role=search]")
    assert path_of(secretariat) == review
    assert parse_qs(urlsplit(secretariat.url).query).get("domain") == ["burst.example"]
    expect(secretariat.locator("main table tbody tr")).to_have_count(3)
    invalidate = "main form[method=post]:has([name=reason])"
    secretariat.locator(f"{invalidate} [name=reason]").fill("A burst from a throwaway domain")
    submit(secretariat, invalidate)
    # The second step says what will happen; only its button invalidates.
    assert not Signature.objects.filter(declaration=declaration, status="invalidated").exists()
    submit(secretariat, 'main form:has([name=confirm][value="yes"])')
    assert path_of(secretariat) == review
    # The same rows are listed but no longer offered for invalidation.
    expect(secretariat.locator(invalidate)).to_have_count(0)
    invalid = Signature.objects.filter(declaration=declaration, status="invalidated")
    assert invalid.count() == 3
    assert set(invalid.values_list("invalidation_reason", flat=True)) == {
        "A burst from a throwaway domain"
    }
    assert shown_signatures(secretariat, slug) == 5 - 3

    # Import: a dry run lists the bad row by its line, then the good rows are imported.
    csv_file = {
        "name": "paper.csv",
        "mimeType": "text/csv",
        "buffer": (
            b"name,email,country,kind,organisation,role,show_name\n"
            b"Ana Lima,ana@example.org,BR,organisation,Rede Clima,Coordinator,no\n"
            b"Nobody,not-an-address,XX,individual,,,yes\n"
            b"Kofi Mensah,kofi@example.org,GH,individual,,,yes\n"
        ),
    }
    upload = f"/declarations/{slug}/import/"
    form = 'main form[enctype="multipart/form-data"]'

    def choose_file():
        secretariat.locator(f"{form} [name=file]").set_input_files(csv_file)
        secretariat.locator(f"{form} [name=collected_by]").fill("Secretariat desk, Baku forum")

    visit(secretariat, upload)
    choose_file()
    press(secretariat, f'{form} button[name=action][value="check"]')
    job = ImportJob.objects.latest("pk")
    job_page = f"/declarations/{slug}/import/{job.pk}/"
    assert path_of(secretariat) == job_page
    wait_while_refreshing(secretariat, job_page)
    job.refresh_from_db()
    assert job.dry_run
    assert job.status == ImportJob.Status.DONE
    assert (job.valid, job.imported) == (2, 0)
    lines = secretariat.locator("main table tbody th[scope=row]")
    assert set(lines.all_inner_texts()) == {"3"}, "the bad row is listed by its line number"
    assert shown_signatures(secretariat, slug) == 2, "a dry run imports nothing"

    visit(secretariat, job_page)
    with secretariat.expect_navigation():
        secretariat.locator(f'main a[href="{upload}"]').click()
    check_accessibility(secretariat)
    assert path_of(secretariat) == upload
    choose_file()
    press(secretariat, f'{form} button[name=action][value="import"]')
    job = ImportJob.objects.latest("pk")
    job_page = f"/declarations/{slug}/import/{job.pk}/"
    assert path_of(secretariat) == job_page
    wait_while_refreshing(secretariat, job_page)
    job.refresh_from_db()
    assert not job.dry_run
    assert job.imported == 2
    assert shown_signatures(secretariat, slug) == 2 + 2

    # Close: the detail page publishes the SHA-256 of the signatory list as downloaded.
    visit(secretariat, f"/declarations/{slug}/manage/")
    submit(secretariat, 'main form:has(button[name=action][value="close"])')
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.OPEN, "closing asks first"
    submit(secretariat, 'main form:has([name=confirm][value="yes"])')
    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.CLOSED
    assert declaration.final_signature_count == 4
    visit(secretariat, f"/declarations/{slug}/")
    published = secretariat.locator('section[aria-labelledby="final-heading"] code.token')
    expect(published).to_have_text(declaration.final_export_sha256)
    download = secretariat.request.get(f"/api/v1/declarations/{slug}/signatories.csv")
    assert download.ok
    body = download.body()
    assert body.count(b"\n") == 1 + 4, "header and one row per counted signature"
    assert hashlib.sha256(body).hexdigest() == published.inner_text().strip()

    # The PDF, prepared in the background.
    pdf_page = f"/declarations/{slug}/pdf/"
    visit(secretariat, pdf_page)
    submit(secretariat, 'main form[method=post]:has([name="lang"][value="en"])')
    assert path_of(secretariat) == pdf_page
    wait_while_refreshing(secretariat, f"{pdf_page}?lang=en")
    link = secretariat.locator("main a[download]")
    expect(link).to_have_count(1)
    pdf = secretariat.request.get(link.get_attribute("href"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")


def test_signing_works_without_javascript(open_page, settings):
    settings.SIGN_MIN_SECONDS = 0
    slug = "no-script-call"
    open_declaration(slug)
    signer = open_page(javascript=False)
    visit(signer, f"/declarations/{slug}/")
    sign_and_confirm(signer, "", slug, name="Awa Diallo", email="awa@example.org", country="ML")
    assert shown_signatures(signer, slug) == 1


def test_the_page_cached_for_watchers_signs_on_a_small_right_to_left_screen(open_page, settings):
    """The page every anonymous watcher shares (no token in it) still signs without
    JavaScript, and its map image fits a 360 px phone in Arabic."""
    settings.SIGN_MIN_SECONDS = 0
    settings.STATS_CACHE_SECONDS = 30
    slug = "watched-call"
    open_declaration(slug)
    signer = open_page(javascript=False)
    signer.set_viewport_size({"width": 360, "height": 740})
    visit(signer, f"/ar/declarations/{slug}/")
    assert signer.locator("input[name=csrfmiddlewaretoken]").count() == 0, "not the shared page"
    image = signer.locator("main figure img.map")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the map did not load"
    box = image.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
    width = signer.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the Arabic page is {width[0]}px wide in a {width[1]}px window"
    sign_and_confirm(
        signer, "/ar", slug, name="Omar Haddad", email="omar@example.net", country="MA"
    )
