"""Browser tests: Playwright drives Debian's Chromium against the live server.

Every page a test sees is checked twice, by `check_accessibility()`: axe-core runs the
WCAG 2.1 A and AA rules and any violation fails the test, and the page may not have made a
request to any host but the live server (no CDN, no web font, no tracker). The helpers
`visit()` and `submit()` call it after each navigation, so a test cannot forget to.
"""

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise
# refuse database access from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright

from tests.factories.accounts import PASSWORD

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
RTL_LANGUAGES = {"ar"}

# With JavaScript disabled Chromium runs no timers, and axe waits on setTimeout between
# its steps. On such pages (no page script can run anyway) timers become microtasks.
_TIMERS_AS_MICROTASKS = """() => {
  window.setTimeout = (callback, _delay, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""


@dataclass
class Session:
    """What a browser context has done: whether it runs scripts, which URLs it requested."""

    origin: str
    javascript: bool
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"}
            and not url.startswith(self.origin + "/")
        ]


_sessions: dict[BrowserContext, Session] = {}


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set CONCORD_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): one per person in a test."""
    contexts: list[BrowserContext] = []

    def open_page(*, javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", java_script_enabled=javascript
        )
        context.set_default_timeout(10_000)
        session = Session(origin=live_server.url, javascript=javascript)
        context.on("request", lambda request: session.requests.append(request.url))
        _sessions[context] = session
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        _sessions.pop(context, None)
        context.close()


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


def check_accessibility(page: Page) -> None:
    """Fail on any WCAG 2.1 A/AA violation axe-core finds, on a wrong language or direction
    for the URL's language prefix, and on any request to a host other than the live server."""
    session = _sessions[page.context]
    prefix = urlsplit(page.url).path.split("/")[1]
    language = prefix if prefix in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    html = page.locator("html")
    assert html.get_attribute("lang") == language, f"{page.url}: wrong lang"
    assert html.get_attribute("dir") == ("rtl" if language in RTL_LANGUAGES else "ltr"), (
        f"{page.url}: wrong dir"
    )

    if not session.javascript:
        page.evaluate(_TIMERS_AS_MICROTASKS)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {node['target']}: {node['failureSummary']}")
        pytest.fail("\n".join(lines))

    foreign = session.foreign_requests()
    assert not foreign, f"requests to hosts other than {session.origin}: {foreign}"


def _checked(page: Page, response: Response | None) -> Response:
    assert response is not None, f"no response for {page.url}"
    assert response.ok, f"{page.url} answered {response.status}"
    check_accessibility(page)
    return response


def visit(page: Page, path: str) -> Response:
    """Open a page (path on the live server) and check it."""
    return _checked(page, page.goto(path))


def submit(page: Page, form: str) -> Response:
    """Press the submit button of the form matching the selector, then check the result."""
    with page.expect_navigation() as navigation:
        page.locator(form).locator("[type=submit]").first.click()
    return _checked(page, navigation.value)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in(page: Page, email: str, *, prefix: str = "", password: str = PASSWORD) -> None:
    visit(page, f"{prefix}/accounts/login/")
    form = f'form[action="{prefix}/accounts/login/"]'
    page.locator(f"{form} [name=login]").fill(email)
    page.locator(f"{form} [name=password]").fill(password)
    submit(page, form)
    assert path_of(page) == f"{prefix}/account/", "signing in did not reach the account page"
