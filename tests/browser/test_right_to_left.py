"""Text of the other direction, as the eye sees it in Chromium: on Arabic pages a funding
range reads "20,000 to 100,000 USD" left to right as a unit, a badge code stays in one piece and an
English name keeps its full stop at its end; on English pages an Arabic name keeps its stop
at its (left) end. The order is read from where each character is drawn on the screen, not
from the markup, so these tests hold whichever markup does the isolating."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator

from concord.core.bidi import EN_DASH
from tests.browser.conftest import sign_in, visit
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.partnerships import FundingCallFactory

pytestmark = pytest.mark.browser

# Each character of the element's text with the box it is drawn in.
_CHARACTER_BOXES = """element => {
  const boxes = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0 || box.height > 0) {
        boxes.push({character: node.data[i], x: box.left + box.width / 2,
                    line: Math.round(box.top + box.height / 2)});
      }
    }
  }
  return boxes;
}"""

# Digits as Arabic pages may write them, and the signs that group thousands.
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_GROUPING = re.compile(r"(?<=\d)[.,\u066c\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")


def seen_lines(element: Locator) -> list[str]:
    """The element's text line by line, each line's characters in the order they appear on
    the screen from left to right (what a reader of a left-to-right piece sees)."""
    lines: dict[int, list[tuple[float, str]]] = {}
    for box in element.evaluate(_CHARACTER_BOXES):
        lines.setdefault(box["line"], []).append((box["x"], box["character"]))
    return ["".join(c for _x, c in sorted(chars)) for _top, chars in sorted(lines.items())]


def without_grouping(text: str) -> str:
    """20,000 or 20.000 or the same in Arabic-Indic digits, all as 20000, and no-break spaces
    as spaces: the test does not depend on how figures are written, only on their order."""
    spaced = text.translate(_ARABIC_INDIC).replace("\xa0", " ").replace("\u202f", " ")
    return _GROUPING.sub("", spaced)


def reads_on_one_line(element: Locator, expected: str) -> bool:
    return any(expected in without_grouping(line) for line in seen_lines(element))


@pytest.fixture
def funding_call(live_server):
    return FundingCallFactory(
        title="Coastal resilience grants",
        funder="Green Climate Fund",
        amount_min=20000,
        amount_max=100000,
        currency="USD",
        open_to_all=True,
    )


def test_funding_range_reads_left_to_right_on_arabic_pages(page, funding_call):
    visit(page, "/ar/partnerships/funding/")
    card = page.locator("main .cards li", has_text="USD").locator(".meta", has_text="USD")
    lines = seen_lines(card)
    assert reads_on_one_line(card, f"20000{EN_DASH}100000 USD"), lines

    visit(page, f"/ar/partnerships/funding/{funding_call.pk}/")
    amount = page.locator("main dl.facts dd", has_text="USD")
    assert reads_on_one_line(amount, f"20000{EN_DASH}100000 USD"), seen_lines(amount)


def test_funding_deadline_in_digits_keeps_its_order_on_arabic_pages(page, funding_call):
    """The deadline is written in words ("1 يناير 2027، 17:51"); its time keeps its order."""
    visit(page, f"/ar/partnerships/funding/{funding_call.pk}/")
    deadline = page.locator("main dl.facts dd", has_text="UTC")
    written = re.search(r"\d{2}:\d{2}", deadline.inner_text())
    assert written, deadline.inner_text()
    assert reads_on_one_line(deadline, written.group()), seen_lines(deadline)


def test_badge_code_example_stays_whole_on_a_narrow_arabic_page(page, live_server):
    UserFactory(email="door@example.org", staff=True)
    event = EventFactory()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "door@example.org", prefix="/ar")
    visit(page, f"/ar/events/{event.slug}/checkin/")
    help_text = page.locator("#id_code_helptext")
    code = re.search(r"C?\d+-[0-9A-F]{16}", help_text.inner_text())
    assert code, help_text.inner_text()
    assert reads_on_one_line(help_text, code.group()), seen_lines(help_text)


def test_english_name_keeps_its_full_stop_at_its_end_on_arabic_pages(page, live_server):
    organisation = OrganisationFactory(
        name="Green Earth Ltd.", city="Dakar", member_since=timezone.now()
    )
    places = {
        "/ar/members/": f'main .cards h3:has(a[href="/ar/members/{organisation.pk}/"])',
        f"/ar/members/{organisation.pk}/": "main h1",
        "/ar/": f'main .cards h3:has(a[href="/ar/members/{organisation.pk}/"])',
    }
    for path, selector in places.items():
        visit(page, path)
        name = page.locator(selector)
        assert reads_on_one_line(name, "Green Earth Ltd."), (path, seen_lines(name))


def test_arabic_name_keeps_its_full_stop_at_its_end_on_english_pages(page, live_server):
    organisation = OrganisationFactory(name="جمعية الأرض الخضراء.")
    places = {
        "/members/": f'main .cards h3:has(a[href="/members/{organisation.pk}/"])',
        f"/members/{organisation.pk}/": "main h1",
    }
    for path, selector in places.items():
        visit(page, path)
        (line,) = seen_lines(page.locator(selector))
        # Arabic ends on the left: that is where its full stop belongs.
        assert line.startswith("."), (path, line)
