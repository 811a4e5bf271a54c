"""A mailing in Chromium: the secretariat saves two audiences (representatives of member
organisations in SIDS, and the signatories of a declaration who asked to be kept informed),
writes a mailing in English and French, sees the counts, sends a test and sends. A real SMTP
server receives each message once, in its reader's language, with one-click unsubscribe
headers. One reader's server answers with a delivery status notification sent over SMTP to
`concord mailin` (its own process); another reader unsubscribes with one click (a POST, as
mail programs do). The next mailing skips both. Every page is checked by axe-core."""

import smtplib
from collections import Counter

import pytest
from django.utils import timezone

from concord.core import bounces, preferences
from concord.mailings.models import Mailing
from tests import inbox as read
from tests.browser.conftest import sign_in, submit, visit
from tests.dsn import dsn
from tests.mailin_server import mailin, wait_for
from tests.mailings.conftest import build_coalition

pytestmark = pytest.mark.browser

DOMAIN = "bounces.concord.test"
LOCAL_MEMORY = "django.core.mail.backends.locmem.EmailBackend"
READERS = {"mere@fiji.example", "kemar@jamaica.example", "informed@example.org"}


def save_audience(page, name: str, kind: str, **choices) -> None:
    visit(page, "/mailings/audiences/")
    form = "main form:has([name=kind])"
    page.locator(f"{form} [name=name]").fill(name)
    page.locator(f"{form} [name=kind]").select_option(kind)
    for field, value in choices.items():
        page.locator(f"{form} [name={field}]").select_option(value)
    submit(page, form)


def write_mailing(page, subject_en: str, subject_fr: str) -> int:
    visit(page, "/mailings/new/")
    form = "main form:has([name=sender_name])"
    page.locator(f"{form} [name=sender_name]").fill("Coalition secretariat")
    for label in ("Members in SIDS", "Kept informed"):
        page.get_by_label(label, exact=True).check()
    page.locator(f"{form} [name=original_language]").select_option("en")
    page.locator(f"{form} [name=subject_en]").fill(subject_en)
    page.locator(f"{form} [name=body_en]").fill("Dear members,\n\nPlease **sign** before COP.")
    page.locator(f"{form} [name=subject_fr]").fill(subject_fr)
    page.locator(f"{form} [name=body_fr]").fill("Chers membres,\n\n**Signez** avant la COP.")
    submit(page, form)
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_a_mailing_in_two_languages_with_a_bounce_and_an_unsubscribe(
    open_page, settings, secretariat, smtp_server, live_server
):
    # The signers' confirmation emails stay out of the test server's inbox.
    server_backend, settings.EMAIL_BACKEND = settings.EMAIL_BACKEND, LOCAL_MEMORY
    coalition = build_coalition()
    settings.EMAIL_BACKEND = server_backend
    settings.BOUNCE_DOMAIN = DOMAIN
    settings.SITE_URL = live_server.url
    page = open_page(javascript=False)
    sign_in(page, secretariat.email)
    save_audience(page, "Members in SIDS", "representatives", groups="sids")
    declaration = coalition["declaration"]
    save_audience(page, "Kept informed", "signatories", declaration=str(declaration.pk))

    first = write_mailing(page, "Sign before COP", "Signez avant la COP")
    assert page.locator("#total").inner_text().startswith("3")
    assert "Fiji" in page.locator("#by-country").inner_text()
    assert "Français\t1" in page.locator("#by-language").inner_text()

    submit(page, f'form[action="/mailings/{first}/test/"]')
    tests = smtp_server.wait_for(2)
    assert {m["To"] for m in tests} == {secretariat.email}

    submit(page, f'form[action="/mailings/{first}/send/"]')
    messages = smtp_server.wait_for(5)[2:]
    assert Counter(m["To"] for m in messages) == dict.fromkeys(READERS, 1)
    subjects = {m["To"]: read.subject(m) for m in messages}
    assert subjects["mere@fiji.example"] == "Signez avant la COP"
    assert subjects["kemar@jamaica.example"] == "Sign before COP"
    for message in messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["X-MailFrom"].startswith("bounces+")
    visit(page, f"/mailings/{first}/")
    assert page.locator("#sent").inner_text() == "3"
    assert Mailing.objects.get(pk=first).status == Mailing.Status.SENT

    # Fiji's server answers with a DSN to the message's return path, over SMTP to mailin.
    fiji = read.to(messages, "mere@fiji.example")[0]
    with mailin(DOMAIN) as port, smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail("", [fiji["X-MailFrom"]], dsn(fiji["X-MailFrom"], "mere@fiji.example"))
        assert wait_for(lambda: bounces.is_bouncing("mere@fiji.example"))

    # The signer unsubscribes in their mail program: one POST to the header's address.
    informed = read.to(messages, "informed@example.org")[0]
    link = informed["List-Unsubscribe"].strip().strip("<>")
    mail_program = open_page().request  # its own context: no cookie, no session
    answer = mail_program.post(
        link,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200

    second = write_mailing(page, "The forum opens", "Le forum ouvre")
    assert page.locator("#total").inner_text().startswith("1")
    submit(page, f'form[action="/mailings/{second}/send/"]')
    later = smtp_server.wait_for(6)[5:]
    assert [m["To"] for m in later] == ["kemar@jamaica.example"]


def test_the_news_archive_and_mail_preferences_in_arabic_on_a_phone(open_page, secretariat):
    mailing = Mailing.objects.create(
        sender_name="أمانة التحالف", original_language="en", public=True,
        status=Mailing.Status.SENT, send_at=timezone.now(), created_by=secretariat,
    )  # fmt: skip
    mailing.texts.create(language="en", subject="The Baku Call goes to COP", body="Thank you.")
    mailing.texts.create(
        language="ar", subject="نداء باكو يصل إلى مؤتمر الأطراف", body="**شكراً** لكم."
    )
    page = open_page(javascript=False)
    page.set_viewport_size({"width": 360, "height": 740})
    visit(page, "/ar/mailings/news/")
    page.get_by_role("link", name="نداء باكو يصل إلى مؤتمر الأطراف").click()
    visit(page, f"/ar/mailings/news/{mailing.pk}/")
    assert page.locator("article strong").inner_text() == "شكراً"
    feed = page.request.get("/ar/mailings/news/feed/")
    assert feed.ok and "نداء باكو" in feed.text()

    visit(page, f"/ar/mail/preferences/{preferences.token_for('reader@example.org')}/")
    page.locator("main form input[value=news]").uncheck()
    submit(page, "main form:has(input[value=news])")
    assert preferences.stopped_among(["reader@example.org"], "news") == {"reader@example.org"}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
