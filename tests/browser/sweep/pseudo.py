"""A test-only pseudo-language that marks every translated string, to find interface text that
never goes through translation.

Under `/qps/` every string gettext returns is wrapped in ⸨ ⸩. Text on such a page outside the
marks is either data (what people and the demo wrote, names from the CLDR, numbers, codes,
addresses) or English that no translation can reach: `unmarked_english()` returns the second
kind. The msgids the pages asked for are kept (`Pseudo.asked`), so the sweep can also check that
each is translated in every language, strings of Django and allauth included.
"""

import re
import tempfile
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import trans_real

from concord.events import zones

LANGUAGE = "qps"  # ISO 639's range for local use; no real language has it
OPEN, CLOSE = "\u2e28", "\u2e29"  # ⸨ ⸩
CONTEXT = "\x04"  # how gettext joins a context to its msgid


def mark(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


class Pseudo(NullTranslations):
    """Every msgid "translated" into itself between marks; the ones asked for are kept."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()
        self.asked_plural: set[tuple[str, str]] = set()

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return mark(message.split(CONTEXT)[-1])

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.asked_plural.add((singular, plural))
        return mark((singular if n == 1 else plural).split(CONTEXT)[-1])

    def language(self) -> str:
        return LANGUAGE

    def to_language(self) -> str:
        return LANGUAGE


def locale_dir() -> str:
    """A folder holding an empty catalogue for the pseudo-language: Django only accepts a
    language in the path when some catalogue of it exists."""
    folder = Path(tempfile.mkdtemp(prefix="concord-pseudo-"))
    target = folder / LANGUAGE / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "django.mo", "wb") as handle:
        write_mo(handle, Catalog(locale="en"))
    return str(folder)


def install() -> Pseudo:
    """Put the pseudo-language's translation where Django looks it up (after the settings
    that list it are in force: changing them empties Django's translation cache)."""
    pseudo = Pseudo()
    trans_real._translations[LANGUAGE] = pseudo
    return pseudo


def data_corpus() -> str:
    """Every text the database holds, and the English CLDR names and words a page may show
    (countries, languages, currencies, months, days, time zones), one per line: text found in
    here is data, not interface."""
    texts: list[str] = []
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                texts.extend(value for value in row if value)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                for value in model._default_manager.values_list(field.attname, flat=True):
                    texts.extend(_strings_in(value))
    texts.append(cldr_english())
    texts.extend(str(name) for _code, name in settings.LANGUAGES)
    return "\n".join(texts)


def _strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


@cache
def cldr_date_words() -> frozenset[str]:
    """English month, day and period names: what Babel writes in a date in the pseudo-language
    (which it does not know, so it writes English), never interface text of ours."""
    english = Locale("en")
    words = {"UTC", "GMT"}
    for kind in (english.months, english.days):
        for context in kind.values():
            for width in context.values():
                words.update(str(name).strip(".") for name in width.values())
    words.update(str(name) for name in english.periods.values())
    return frozenset(words)


@cache
def cldr_english() -> str:
    english = Locale("en")
    words: list[str] = []
    for table in (english.territories, english.languages, english.scripts, english.currencies):
        words.extend(table.values())
    words.extend(english.currency_symbols.values())
    for kind in (english.months, english.days):
        for context in kind.values():
            for width in context.values():
                words.extend(width.values())
    words.extend(english.periods.values())
    words.extend(zones._label(zone, english) for zone in zones.current_zones())
    return "\n".join(words)


# Where a page's text splits into separate pieces of data: "Dakar · Senegal", "1 / 3".
_SEPARATORS = re.compile(r"[\n\t·•|/,;:()\[\]{}«»\"“”‘’!?…+=*<>→←↑↓–—]|\s-\s|\s{2,}")  # noqa: RUF001
_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
_ALLOWED = re.compile(
    r"^(?:[A-Z0-9][A-Z0-9._\s-]*"  # codes and amounts: SN, USD, IATI-XM-1, 100 000 XOF
    r"|\S+@\S+"  # an address (a person's own page shows it)
    r"|(?:https?://|www\.)\S+|[\w.-]+\.(?:org|com|net|example|ics|pdf|csv|json|xml)"
    r"|[\d\s.,%°ºª'’-]*(?:[a-z]{1,3}|am|pm|AM|PM|UTC|GMT)?[\d\s.,%-]*"  # noqa: RUF001 (12 km, 3h, 10 am)
    r"|\d[\d\s.,]*[kMG]?B"  # a file's size, in CLDR's unit for the language (12 kB, 1.5 MB)
    r")$"
)


def unmarked_english(text: str, corpus: str) -> list[str]:
    """The pieces of a page's text that are neither translated (marked) nor data."""
    while _MARKED.search(text):  # blocktranslate may nest translations: peel from inside
        text = _MARKED.sub("\n", text)
    found = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip(" .'’-_#%&@$€£¥₼\u2009\u202f\xa0")  # noqa: RUF001
        if not _ENGLISH_WORD.search(piece) or _ALLOWED.match(piece) or piece == "Concord":
            continue
        if piece in corpus:
            continue
        if set(_ENGLISH_WORD.findall(piece)) <= cldr_date_words():  # "December 12", "Jan"
            continue
        found.append(piece)
    return found
