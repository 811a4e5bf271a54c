"""A member organisation's own website frames the declaration's signing page: a visitor of
that site (another origin, a second local server) signs inside the frame, in French, without
any cookie, confirms by the emailed link, gets a receipt when the log is sealed, checks it on
the verification page, and the signature is credited to the member whose link was used."""

import http.server
import json
import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from concord.core.models import OutgoingEmail
from concord.declarations.log import sealing
from concord.declarations.models import Signature
from tests.browser.conftest import submit, visit
from tests.browser.test_declarations_journey import open_declaration
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.browser

SLUG = "embed-call"
MEMBER_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Ecolink Maputo</title></head><body><main><h1>Ecolink Maputo</h1>
<p>Signez l'appel de la coalition ici :</p>
<iframe title="Signer" src="{src}" width="420" height="900"></iframe></main></body></html>"""


@pytest.fixture
def member_site(live_server):
    """The member's website: a page on 127.0.0.1 (the live server is on localhost, so the
    frame is on another site and the browser treats its cookies as third-party)."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def test_a_visitor_signs_in_a_members_frame_and_checks_the_receipt(
    open_page, live_server, member_site, settings
):
    settings.SIGN_MIN_SECONDS = 0
    settings.STATS_CACHE_SECONDS = 0  # the declaration's page shows the count at once
    declaration = open_declaration(SLUG)
    member = OrganisationFactory(name="Ecolink Maputo", country_id="MZ")
    site, pages = member_site
    embed = f"{live_server.url}/fr/declarations/{SLUG}/embed/?via={member.pk}"
    pages["/petition.html"] = MEMBER_PAGE.format(src=embed).encode()

    # axe-core on the framed page alone, in a browser of its own (a page opened directly
    # asks for the site's icon, whose 404 page may set a cookie: not the frame's doing).
    visit(open_page(), f"/fr/declarations/{SLUG}/embed/?via={member.pk}")
    narrow = open_page()
    narrow.set_viewport_size({"width": 360, "height": 800})
    visit(narrow, f"/ar/declarations/{SLUG}/embed/")  # right to left, on a phone
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 360
    page = open_page()
    page.goto(f"{site}/petition.html")
    frame = page.frame_locator("iframe")
    frame.locator("[name=name]").fill("Amélia Nhantumbo")
    frame.locator("[name=email]").fill("amelia@ecolink.example.org")
    frame.locator("[name=country]").select_option("MZ")
    frame.locator("[name=kind][value=individual]").check()
    frame.locator("[type=submit]").click()
    expect(frame.locator("h2")).to_have_text("Consultez votre messagerie")
    # Nothing of the frame's was kept by the browser: it worked without cookies.
    assert page.context.cookies(live_server.url) == []
    signature = Signature.objects.get(declaration=declaration, email="amelia@ecolink.example.org")
    assert signature.status == Signature.Status.PENDING

    (message,) = [m for m in mail.outbox if m.to == ["amelia@ecolink.example.org"]]
    link = re.search(rf"https?://\S+/declarations/{SLUG}/confirm/[^\s/]+/", message.body)
    confirm = urlsplit(link.group()).path
    assert confirm.startswith("/fr/"), "the link opens in the language the visitor signed in"
    page = open_page()  # the link, opened from the mailbox
    visit(page, confirm)
    submit(page, "main form[method=post]")
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED

    sealing.seal(declaration)  # what the periodic job does every LOG_HEAD_MINUTES
    receipt = OutgoingEmail.objects.get(
        to="amelia@ecolink.example.org", key__startswith="log.receipt:"
    ).body_text
    receipt = receipt[receipt.index('{"declaration"') :].strip()
    assert json.loads(receipt)["declaration"] == SLUG
    visit(page, f"/ar/declarations/{SLUG}/log/")  # the log, right to left, checked by axe-core
    expect(page.locator("main table tbody tr")).to_have_count(1)
    visit(page, f"/fr/declarations/{SLUG}/verify/")
    page.locator("main textarea[name=receipt]").fill(receipt)
    submit(page, "main form[method=post]")
    expect(page.locator("main .messages[role=status]")).to_contain_text(
        "Votre signature figure dans la liste de 1 signature"
    )

    # The declaration's statistics credit the signature to the member whose link was used.
    visit(page, f"/fr/declarations/{SLUG}/")
    credited = page.locator("#brought-by ~ .table-wrap tbody tr").first
    expect(credited.locator("th")).to_contain_text("Ecolink Maputo")
    expect(credited.locator("td")).to_have_text("1")
    signature.refresh_from_db()
    assert signature.via_id == member.pk
