"""Forum mode in the browser, with the network cut (`context.set_offline`): a kept page opens
offline and a signature made there waits on the device, is sent when the network returns
and is recorded once although its first answer was lost and it was sent again.
Selectors avoid the interface's wording, except the counted "waiting to send"."""

import pytest
from playwright.sync_api import Page, expect

from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature
from concord.events.models import CheckIn, CheckInScan
from concord.events.services.checkin import badge_code
from concord.events.services.registration import RegistrationInput, register
from tests.browser.conftest import path_of, sign_in, submit, visit
from tests.browser.test_declarations_journey import (
    SECRETARIAT,
    fill_signature,
    open_declaration,
    sign_form,
)
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.browser


def wait_until_kept(page: Page, path: str) -> None:
    """The service worker controls the page and has kept `path`."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_function("path => caches.match(path).then(hit => !!hit)", arg=path, polling=100)


# The first answer to the kept signature is lost on the way back, as when the hall's
# network fails again at once: the request reached the server, the page never heard.
LOSE_FIRST_ANSWER = """() => {
  const real = window.fetch;
  let lost = false;
  window.fetch = (...args) => real(...args).then(response => {
    if (!lost) { lost = true; throw new TypeError("answer lost"); }
    return response;
  });
}"""


def test_a_signature_made_offline_is_sent_when_the_network_returns_and_counted_once(page, settings):
    settings.SIGN_MIN_SECONDS = 0
    slug = "forum-call"
    declaration = open_declaration(slug)
    path = f"/declarations/{slug}/"
    visit(page, path)
    wait_until_kept(page, path)

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_count(1)
    form = sign_form("", slug)
    fill_signature(page, "", slug, name="Aysel Mammadova", email="aysel@example.org", country="AZ")
    page.locator(f"{form} [type=submit]").click()
    outbox = page.locator("#outbox")
    expect(outbox).to_have_text("1 waiting to send")
    expect(page.locator("#sign-saved")).to_be_visible()
    expect(page.locator(f"{form} [name=name]")).to_have_value("")  # the form is cleared
    assert not Signature.objects.exists()

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.evaluate(LOSE_FIRST_ANSWER)
    page.context.set_offline(False)
    # The "online" event sends it; its answer is lost, so it still waits.
    page.wait_for_function("() => window.concordOutbox.sync().then(items => items.length === 1)")
    assert Signature.objects.filter(email="aysel@example.org").count() == 1
    # Sent again: answered as the first time, and no longer waiting.
    page.evaluate("() => window.concordOutbox.sync()")
    expect(outbox).to_be_hidden()
    assert len([url for url in posts if url.endswith(f"/declarations/{slug}/sign/")]) >= 2

    signature = Signature.objects.get(declaration=declaration)
    assert signature.source == Signature.Source.SYNCED
    assert signature.signed_on_device_at is not None
    assert signature.signed_on_device_at <= signature.created_at
    assert signature.status == Signature.Status.PENDING  # counts once its link is confirmed
    assert OutgoingEmail.objects.filter(to="aysel@example.org").count() == 1


def door_phone(open_page, slug: str) -> Page:
    """An organiser's phone on the check-in page, with the event's kit downloaded."""
    phone = open_page()
    sign_in(phone, SECRETARIAT)
    path = f"/events/{slug}/checkin/"
    visit(phone, path)
    wait_until_kept(phone, path)
    phone.locator("#kit-form [type=submit]").click()
    expect(phone.locator("#kit-status")).to_be_visible()
    return phone


def check_in_offline(phone: Page, code: str, door: str) -> None:
    phone.locator("#checkin-form [name=code]").fill(code)
    phone.locator("#checkin-form [name=door]").fill(door)
    phone.locator("#checkin-form [type=submit]").click()


def test_two_phones_offline_check_the_same_badge_in_once_and_refuse_a_forged_one(open_page):
    staff = UserFactory(email=SECRETARIAT, staff=True, name="Leyla Secretariat")
    event = EventFactory(created_by=staff, slug="khankendi-forum", capacity=10)
    guest = register(UserFactory(name="Rashad Aliyev"), event, RegistrationInput(country="AZ"))
    other = EventFactory(created_by=staff, slug="baku-forum", capacity=10)
    stranger = register(UserFactory(name="Other Guest"), other, RegistrationInput(country="AZ"))
    code = badge_code(guest)
    north, south = door_phone(open_page, event.slug), door_phone(open_page, event.slug)

    for phone, door in ((north, "North"), (south, "South")):
        phone.context.set_offline(True)
        phone.reload()  # the kept page, from the service worker
        check_in_offline(phone, code, door)
        expect(phone.locator("#offline-result.ok .name")).to_contain_text("Rashad Aliyev")
        expect(phone.locator("#outbox")).to_have_text("1 waiting to send")
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    for bad in (forged, badge_code(stranger)):
        check_in_offline(north, bad, "North")
        expect(north.locator("#offline-result.refused")).to_have_count(1)
        expect(north.locator("#offline-result .name")).to_have_text("")
    expect(north.locator("#outbox")).to_have_text("1 waiting to send")
    assert not CheckIn.objects.exists()

    for phone in (north, south):
        phone.context.set_offline(False)
        phone.evaluate("() => window.concordOutbox.sync()")
        expect(phone.locator("#outbox")).to_be_hidden()
    checkin = CheckIn.objects.get()
    assert checkin.registration == guest
    scans = CheckInScan.objects.filter(checkin=checkin)
    assert sorted(scans.values_list("door", flat=True)) == ["North", "South"]
    assert scans.values("device").distinct().count() == 2
    # The page with its offline section shown, in Arabic, passes the same checks.
    visit(north, f"/ar/events/{event.slug}/checkin/")
    expect(north.locator("#offline-checkin")).to_be_visible()


def test_a_kiosk_takes_three_signatures_in_a_row_without_showing_the_previous(open_page, settings):
    settings.SIGN_MIN_SECONDS = 0
    slug = "kiosk-call"
    declaration = open_declaration(slug)
    tablet = open_page()
    sign_in(tablet, SECRETARIAT)
    visit(tablet, f"/declarations/{slug}/manage/")
    submit(tablet, f'form[action="/declarations/{slug}/kiosk/"]')
    kiosk_path = path_of(tablet)
    assert kiosk_path.startswith(f"/declarations/{slug}/kiosk/")
    form = f'main form[action="{kiosk_path}"]'
    signers = [
        ("Leyla Hasanova", "leyla@example.org", "AZ"),
        ("Juma Mwangi", "juma@example.org", "KE"),
        ("Ana Pereira", "ana.p@example.org", "BR"),
    ]
    previous = None
    for name, email, country in signers:
        for field in ("name", "email"):
            expect(tablet.locator(f"{form} [name={field}]")).to_have_value("")
        tablet.locator(f"{form} [name=name]").fill(name)
        tablet.locator(f"{form} [name=email]").fill(email)
        tablet.locator(f"{form} [name=country]").select_option(country)
        tablet.locator(f"{form} [name=kind][value=individual]").check()
        submit(tablet, form)
        assert path_of(tablet) == kiosk_path
        expect(tablet.locator("#kiosk-thanks")).to_be_visible()
        html = tablet.content()
        assert name not in html and email not in html
        if previous:
            assert previous[0] not in html and previous[1] not in html
        previous = (name, email)

    # The same kiosk in Arabic, right to left, passes the same checks (visit runs axe).
    visit(tablet, f"/ar{kiosk_path}")
    expect(tablet.locator(f'main form[action="/ar{kiosk_path}"] [name=name]')).to_have_value("")

    rows = Signature.objects.filter(declaration=declaration).order_by("pk")
    assert [(s.name, s.source, s.status, s.user_id) for s in rows] == [
        (name, Signature.Source.KIOSK, Signature.Status.PENDING, None) for name, _e, _c in signers
    ]
    assert OutgoingEmail.objects.filter(to__in=[e for _n, e, _c in signers]).count() == 3
