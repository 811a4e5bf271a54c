"""The events flow in Chromium: the secretariat creates an event with a programme; one
person registers on the Arabic pages and takes the last seat, another (without JavaScript)
joins the waiting list and is promoted when the first cancels; she prints her badge, is
checked in at the door by typing the code from the badge, downloads her certificate and
signs the declaration adopted at the event, which only checked-in participants may sign.
Every page is checked by axe-core (through `visit` and `submit`). Selectors use ids, names,
form actions and URLs, not the interface's wording."""

import io
import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from concord.declarations.models import Declaration, Signature
from concord.events.models import CheckIn, Event, Registration
from tests.browser.conftest import check_accessibility, path_of, sign_in, submit, visit
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser

SECRETARIAT = "secretariat@example.org"


def pdf_text(page: Page, path: str) -> str:
    """Fetch a PDF with the page's cookies and return its text."""
    response = page.request.get(path)
    assert response.ok, f"{path} answered {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_from_registration_to_the_declaration_adopted_in_the_room(open_page, settings):
    settings.SIGN_MIN_SECONDS = 0
    UserFactory(email=SECRETARIAT, staff=True, name="Leyla Secretariat")
    UserFactory(email="layla@example.org", name="ليلى حداد", language="ar")
    UserFactory(email="ines@example.org", name="Inês Tavares", language="fr")
    start = (datetime.now() + timedelta(days=20)).replace(hour=9, minute=0)

    # The secretariat creates the event (one seat) and its programme.
    secretariat = open_page()
    sign_in(secretariat, SECRETARIAT)
    visit(secretariat, "/events/new/")
    form = "main form:has([name=slug])"
    secretariat.locator(f"{form} [name=slug]").fill("ssc-2030")
    secretariat.locator(f"{form} [name=title]").fill("South-South Cooperation Conference")
    secretariat.locator(f"{form} [name=kind]").select_option("conference")
    secretariat.locator(f"{form} [name=format]").select_option("in_person")
    secretariat.locator(f"{form} [name=time_zone]").select_option("Africa/Casablanca")
    secretariat.locator(f"{form} [name=starts_at]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    end = start + timedelta(hours=8)
    secretariat.locator(f"{form} [name=ends_at]").fill(end.strftime("%Y-%m-%dT%H:%M"))
    secretariat.locator(f"{form} [name=city]").fill("Rabat")
    secretariat.locator(f"{form} [name=country]").select_option("MA")
    secretariat.locator(f"{form} [name=capacity]").fill("1")
    submit(secretariat, form)
    assert path_of(secretariat) == "/events/ssc-2030/manage/"
    event = Event.objects.get(slug="ssc-2030")

    secretariat.locator("#session-form [name=session-title]").fill("Opening plenary")
    secretariat.locator("#session-form [name=session-starts_at]").fill(
        start.strftime("%Y-%m-%dT%H:%M")
    )
    secretariat.locator("#session-form [name=session-ends_at]").fill(
        (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    secretariat.locator("#session-form [name=session-room]").fill("Hall A")
    submit(secretariat, "#session-form")
    assert list(event.sessions.values_list("title", flat=True)) == ["Opening plenary"]

    # Layla registers on the Arabic pages and takes the only seat.
    layla = open_page()
    sign_in(layla, "layla@example.org", prefix="/ar")
    visit(layla, "/ar/events/ssc-2030/")
    expect(layla.locator("table.programme tbody tr")).to_have_count(1)
    visit(layla, "/ar/events/ssc-2030/register/")
    layla.locator("main form [name=country]").select_option("JO")
    submit(layla, "main form:has([name=country])")
    assert path_of(layla) == "/ar/events/ssc-2030/registration/"
    assert Registration.objects.get(user__email="layla@example.org").status == "confirmed"

    # Inês, without JavaScript, joins the waiting list on the French pages.
    ines = open_page(javascript=False)
    sign_in(ines, "ines@example.org")
    visit(ines, "/fr/events/ssc-2030/register/")
    ines.locator("main form [name=country]").select_option("BR")
    ines.locator("main form [name=listed]").check()
    submit(ines, "main form:has([name=country])")
    expect(ines.locator("#registration-status")).to_have_text("Sur la liste d'attente")

    # Layla cancels: Inês gets the seat and an email saying so, in French.
    mail.outbox.clear()
    submit(layla, "#cancel-form")
    assert Registration.objects.get(user__email="layla@example.org").status == "cancelled"
    assert Registration.objects.get(user__email="ines@example.org").status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["ines@example.org"]]
    assert len(promoted) == 1 and "Une place" in promoted[0].subject

    # Inês prints her badge; its code is under the QR code.
    visit(ines, "/events/ssc-2030/registration/")
    expect(ines.locator("#registration-status")).to_have_text("Confirmed")
    badge = pdf_text(ines, ines.locator("#badge-link").get_attribute("href"))
    assert "Inês Tavares" in badge
    code = re.search(r"C\d+-[0-9A-F]{16}", badge).group()

    # At the door: the code is typed in, she is checked in, and the count goes up.
    visit(secretariat, "/events/ssc-2030/checkin/")
    expect(secretariat.locator("#live-count strong")).to_have_text("0")
    secretariat.locator("#checkin-form [name=code]").fill(code)
    submit(secretariat, "#checkin-form")
    expect(secretariat.locator("#checkin-result .name")).to_have_text("Inês Tavares")
    expect(secretariat.locator("#live-count strong")).to_have_text("1")
    # Scanned again at another door: still one check-in.
    secretariat.locator("#checkin-form [name=code]").fill(code)
    secretariat.locator("#checkin-form [name=door]").fill("B")
    submit(secretariat, "#checkin-form")
    expect(secretariat.locator("#checkin-result.again")).to_have_count(1)
    assert CheckIn.objects.filter(event=event).count() == 1

    # Her certificate of attendance.
    visit(ines, "/events/ssc-2030/registration/")
    certificate = pdf_text(ines, ines.locator("#certificate-link").get_attribute("href"))
    assert "Inês Tavares" in certificate and "South-South Cooperation Conference" in certificate

    # The declaration adopted at the event, open to checked-in participants only.
    visit(secretariat, "/declarations/new/")
    form = "main form:has([name=slug])"
    secretariat.locator(f"{form} [name=slug]").fill("rabat-call")
    secretariat.locator(f"{form} [name=title]").fill("The Rabat Call")
    secretariat.locator(f"{form} [name=text]").fill("We, the participants, call for action.")
    secretariat.locator(f"{form} [name=language]").select_option("en")
    secretariat.locator(f"{form} [name=eligibility]").select_option("attended")
    secretariat.locator(f"{form} [name=event]").select_option("ssc-2030")
    submit(secretariat, form)
    submit(secretariat, 'main form:has(button[name=action][value="open"])')
    declaration = Declaration.objects.get(slug="rabat-call")
    assert declaration.status == "open" and declaration.event_outcome.event == event

    # Inês signs it (no JavaScript), straight from the event page's outcomes.
    visit(ines, "/events/ssc-2030/")
    ines.locator('main a[href="/declarations/rabat-call/"]').click()
    check_accessibility(ines)
    sign = 'main form[action^="/declarations/rabat-call/sign/"]'
    ines.locator(f"{sign} [name=country]").select_option("BR")
    ines.locator(f"{sign} [name=kind][value=individual]").check()
    submit(ines, sign)
    signature = Signature.objects.get(declaration=declaration, email="ines@example.org")
    assert signature.status == Signature.Status.CONFIRMED


def test_the_check_in_count_is_live_across_doors(open_page):
    """Another door checks someone in: the count on this door's phone follows by itself."""
    from concord.events.services.checkin import badge_code, check_in
    from concord.events.services.registration import RegistrationInput, register
    from tests.factories.events import EventFactory

    staff = UserFactory(email=SECRETARIAT, staff=True, name="Leyla Secretariat")
    event = EventFactory(created_by=staff, slug="two-doors", capacity=10)
    people = [UserFactory(name=f"Person {n}") for n in range(2)]
    registrations = [register(person, event, RegistrationInput(country="SN")) for person in people]
    door_a = open_page()
    sign_in(door_a, SECRETARIAT)
    visit(door_a, "/events/two-doors/checkin/")
    expect(door_a.locator("#live-count strong")).to_have_text("0")
    check_in(staff, event, badge_code(registrations[0]), door="B")
    expect(door_a.locator("#live-count strong")).to_have_text("1", timeout=12_000)
