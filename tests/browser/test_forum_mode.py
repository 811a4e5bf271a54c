"""Forum mode in the browser, with the network cut (`context.set_offline`): a kept page opens
offline and a signature made there waits on the device, is sent when the network returns
and is recorded once although its first answer was lost and it was sent again.
Selectors avoid the interface's wording, except the counted "waiting to send"."""

import pytest
from playwright.sync_api import Page, expect

from concord.core.models import OutgoingEmail
from concord.declarations.models import Signature
from tests.browser.conftest import visit
from tests.browser.test_declarations_journey import fill_signature, open_declaration, sign_form

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
