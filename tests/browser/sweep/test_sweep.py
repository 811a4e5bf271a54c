"""Every page of the demo site, as each persona, in all nine languages, at 360 and 1280 px.

Each page must answer 200 without a redirect, fit the screen (the page no wider than the
viewport: a wide table scrolls in its own box), and pass axe-core's WCAG 2.1 A/AA rules at
both widths. In the pseudo-language every translated string is marked, and text outside the
marks that is not data fails the sweep: that is English no translation can reach. The msgids
the pages asked for must then be translated in every language, Django's and allauth's too.

The sweep is long (a thousand pages and more), so it runs on one database: SQLite, the
embedded default; the PostgreSQL run of the suite leaves it out (tests/conftest.py).
"""

import re

import pytest
from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test import Client, RequestFactory, override_settings
from django.test.testcases import LiveServerThread
from django.utils.translation import trans_real

from concord.web.demo import build_demo
from tests.browser.conftest import AXE_SOURCE, WCAG_TAGS
from tests.browser.sweep import pages, pseudo
from tests.browser.sweep.world import Demo, find_demo

pytestmark = [pytest.mark.browser, pytest.mark.sweep, pytest.mark.django_db(transaction=True)]

LANGUAGES = [code for code, _name in settings.LANGUAGES]
WIDTHS = (360, 1280)
REAUTHENTICATION = {"ACCOUNT_REAUTHENTICATION_TIMEOUT": 24 * 3600}  # the sweep outlasts 5 min
DEMO_SIZE = 80  # organisations: enough for every kind of page, quick to build

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string'
           ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      wide.push(name + ' ' + Math.round(box.right) + 'px');
    }
  }
  return document.documentElement.scrollWidth + 'px wide: ' + wide.slice(-4).join(', ');
}"""

_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    // Code and examples (a CSV header, a sample row) are data, like what people wrote.
    acceptNode: node => node.parentElement.closest('script, style, template, noscript, pre, code')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
  for (const element of document.body.querySelectorAll('[placeholder], [title], [alt], [aria-label]')) {
    for (const name of ['placeholder', 'title', 'alt', 'aria-label']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  for (const button of document.body.querySelectorAll('input[type=submit], input[type=button]')) {
    texts.push(button.value);
  }
  texts.push(document.title);
  return texts.join('\\n');
}"""


class Site:
    """The demo on a live server, and a browser context signed in as each person."""

    def __init__(self, url: str, demo: Demo) -> None:
        self.url = url
        self.demo = demo
        self.cookies = {who: signed_in(user) for who, user in demo.people.items()}

    def session_of(self, who: str) -> str | None:
        return None if who == pages.VISITOR else self.cookies[who]


def signed_in(user) -> str:
    """A session key for `user`, as if they had just given their password again (allauth asks
    it again before two-factor settings; the sweep keeps that recent, `REAUTHENTICATION`)."""
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email, reauthenticated=True)
    request.session.save()
    return request.session.session_key


@pytest.fixture
def site(transactional_db):
    """The demo, committed (the live server's own connection reads it; the SQLite settings
    take the write lock at BEGIN, so a test's transaction would block the pages that write),
    served by a live server of its own. Emptied after the test, as every transactional test."""
    with override_settings(**REAUTHENTICATION):
        build_demo(size=DEMO_SIZE)
        demo = find_demo()
        server = LiveServerThread("localhost", StaticFilesHandler, connections_override={})
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield Site(f"http://localhost:{server.port}", demo)
        server.terminate()


class Sweep:
    """One browser context per person, and the problems found."""

    def __init__(self, site: Site, browser) -> None:
        self.site = site
        self.browser = browser
        self.contexts: dict[str, object] = {}
        self.problems: list[str] = []

    def page(self, who: str):
        if who not in self.contexts:
            context = self.browser.new_context(
                base_url=self.site.url, locale="en-GB", viewport={"width": 360, "height": 800}
            )
            context.set_default_timeout(20_000)
            if cookie := self.site.session_of(who):
                context.add_cookies(
                    [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.site.url}]
                )
            self.contexts[who] = context.new_page()
        return self.contexts[who]

    def open(self, name: str, who: str, url: str):
        page = self.page(who)
        response = page.goto(url)
        where = f"{url} ({name}, as {who})"
        if response is None or response.status != 200:
            self.problems.append(f"{where}: answered {response.status if response else None}")
            return None
        if not page.url.endswith(url):
            self.problems.append(f"{where}: redirected to {page.url}")
            return None
        return page

    def check_layout(self, page, where: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if overflow := page.evaluate(_OVERFLOW):
                self.problems.append(f"{where} at {width} px: {overflow}")
            for violation in axe(page, contrast=width == WIDTHS[0]):
                self.problems.append(f"{where} at {width} px: {violation}")

    def close(self) -> None:
        for page in self.contexts.values():
            page.context.close()


def axe(page, *, contrast: bool = True) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations. Colour contrast, the slowest rule, is checked at
    the phone's width only: the stylesheet's media queries change layout, never colours."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options: dict = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{violation['id']}: {violation['help']} at {node['target']}"
        for violation in results["violations"]
        for node in violation["nodes"][:3]
    ]


@pytest.fixture
def sweep(site, browser):
    sweeping = Sweep(site, browser)
    yield sweeping
    sweeping.close()


def test_every_route_has_a_row():
    """A new page joins the sweep: every named route under the language prefix has a row."""
    routes = set(pages.route_names())
    rows = {name.split("#")[0] for name in pages.ROUTES}
    assert routes - rows == set(), "routes the sweep does not open: add a row to pages.py"
    assert rows - routes == set(), "rows for routes that no longer exist"


def test_form_targets_refuse_a_visit(secretariat):
    """The rows marked as form targets answer GET with 405, so no page hides behind one."""
    client = Client()
    client.force_login(secretariat)
    for name, row in pages.ROUTES.items():
        if isinstance(row, pages.PostOnly):
            url = pages.any_url(name)
            assert client.get(url).status_code == 405, f"{name} answers GET"


def download_problems(site: Site) -> list[str]:
    """Files linked from the pages (PDFs, calendars, CSV, XML) answer for who may fetch them."""
    problems = []
    for name, row in pages.ROUTES.items():
        if isinstance(row, pages.Download):
            client = Client()
            if row.who != pages.VISITOR:
                client.force_login(site.demo.people[row.who])
            for language in ("en", "ar", "zh-hans"):
                url = pages.url_of(name, row, site.demo, language)
                response = client.get(url, follow=True)
                if response.status_code != 200:
                    problems.append(f"{url} ({name}): {response.status_code}")
    return problems


def test_every_page_fits_and_is_accessible_in_every_language(sweep):
    """One demo for the nine languages (building it is the slow part); the problems are
    listed by language."""
    for language in LANGUAGES:
        for name, who, url in pages.visits(sweep.site.demo, language):
            if page := sweep.open(name, who, url):
                sweep.check_layout(page, f"{url} ({name}, as {who})")
    sweep.problems += download_problems(sweep.site)
    assert not sweep.problems, f"{len(sweep.problems)} problems:\n" + "\n".join(sweep.problems)


def test_no_interface_text_escapes_translation(sweep):
    """In the pseudo-language, every piece of text outside the marks is data; then every
    msgid the pages asked for is translated in each language."""
    languages = [*settings.LANGUAGES, (pseudo.LANGUAGE, "Pseudo")]
    locale_paths = [*settings.LOCALE_PATHS, pseudo.locale_dir()]
    with override_settings(LANGUAGES=languages, LOCALE_PATHS=locale_paths):
        marker = pseudo.install()
        corpus = pseudo.data_corpus()
        for name, who, url in pages.visits(sweep.site.demo, pseudo.LANGUAGE):
            if page := sweep.open(name, who, url):
                english = pseudo.unmarked_english(page.evaluate(_TEXTS), corpus)
                if english:
                    sweep.problems.append(f"{url} ({name}, as {who}): {sorted(set(english))}")
    assert not sweep.problems, f"{len(sweep.problems)} pages:\n" + "\n".join(sweep.problems)
    untranslated = untranslated_msgids(marker)
    assert not untranslated, "\n".join(untranslated)


def untranslated_msgids(marker: pseudo.Pseudo) -> list[str]:
    """The msgids the pages asked for that some language's catalogues (ours, Django's,
    allauth's) lack: gettext would answer them in English. A translation the same as the
    English ("Budget" in French) is in the catalogue and passes."""
    missing = []
    for language in LANGUAGES[1:]:
        catalog = trans_real.translation(language)._catalog
        for msgid in sorted(marker.asked):
            shown = msgid.rpartition(pseudo.CONTEXT)[2]  # a context is never shown
            if msgid not in catalog and not same_in_every_language(shown):
                missing.append(f"{language}: {msgid.rpartition(pseudo.CONTEXT)[2]!r}")
        for singular, plural in sorted(marker.asked_plural):
            if (singular, 0) not in catalog:
                missing.append(f"{language}: {plural!r}")
    return missing


def same_in_every_language(text: str) -> bool:
    """Strings with nothing to translate: placeholders and signs only."""
    return not pseudo._ENGLISH_WORD.search(re.sub(r"%\(\w+\)[sd]", "", text))
