# ruff: noqa: RUF001, RUF002 - letters of many scripts that look alike are the point here
"""The words full-text search indexes and looks up, made the same way for both databases.

- **Folding**, of documents and queries alike: Turkic dotted and dotless i's (İ, I, ı, i) are one
  letter, so "QIŞ", "qış" and "İqlim"/"iqlim" meet (Python's `casefold` turns İ into i plus a
  combining dot, and leaves ı apart from the i that I folds to). Russian ё is е, as most people
  type it. Arabic short vowels, shadda and tatweel are dropped, and the alef forms (أ إ آ ٱ) and
  alef maqsura (ى) unified: most Arabic is typed without them, and SQLite's tokenizer would cut a
  word at each mark.
- **Chinese** (and Japanese kana) has no spaces between words. Each run of such characters is
  indexed as its overlapping pairs of characters plus its single characters: a query of two or
  more characters looks up its pairs (红树林 → 红树, 树林), a one-character query the character.
  Unlike a dictionary segmenter, this finds any word, names and new terms included, and a
  two-character query matches inside a longer word (红树 in 红树林); unlike trigrams (SQLite's
  trigram tokenizer, PostgreSQL's pg_trgm) it finds two-character words, the most common length
  in Chinese. Ranking then favours case studies holding more of the query's pairs.
- **Stemming**: PostgreSQL's text search configurations stem (english, french, ...); SQLite has
  only an English stemmer, so the same Snowball algorithms stem here, in Python, for SQLite.
- **Accents**: SQLite's FTS5 folds them; on PostgreSQL, text in a language without a
  configuration ("simple") has its Latin accents removed here (Azerbaijani typed without ş, ğ,
  ə), while the configured languages keep theirs for their stemmers.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# PostgreSQL's configuration for each case-study language; "simple" (no stemming) otherwise.
# SQLite stems the same languages with the same (Snowball) algorithms.
TEXT_SEARCH_CONFIG = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ar": "arabic",
    "ru": "russian",
}
MAX_TERMS = 24


def search_config(language: str) -> str:
    return TEXT_SEARCH_CONFIG.get(language, "simple")


# ---- folding ---------------------------------------------------------------------------------

_ARABIC_MARKS = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670"
_FOLD = str.maketrans(
    {
        "İ": "i",
        "ı": "i",
        "I": "i",
        "Ё": "е",
        "ё": "е",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ə": "e",  # Azerbaijani schwa, typed e without an Azerbaijani keyboard; no accent to fold
        "Ə": "e",
        **dict.fromkeys(_ARABIC_MARKS, None),
    }
)


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_FOLD).casefold()


_LATIN_ACCENT = re.compile("(?<=[a-z])[\u0300-\u036f]+")


def strip_accents(text: str) -> str:
    """Folded Latin letters without their accents (ş → s); other scripts keep their marks
    (Cyrillic й is a letter of its own, not an accented и)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _LATIN_ACCENT.sub("", decomposed))


# ---- words -----------------------------------------------------------------------------------

# Han ideographs (with extensions and compatibility forms), Japanese kana.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


def _mark_class() -> str:
    # Combining marks belong to words (Hindi and Bengali vowel signs), though `\w` lacks them.
    ranges, start = [], None
    for code in range(0x10000):
        is_mark = unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            ranges.append(f"{chr(start)}-{chr(code - 1)}")
            start = None
    return "".join(ranges)


_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?:[^\W_{_CJK}]|[{_mark_class()}])+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")


def is_cjk(term: str) -> bool:
    return bool(_CJK_RUN.fullmatch(term))


def pairs(run: str, *, singles: bool) -> list[str]:
    """A run of Chinese characters as its overlapping pairs (and, for indexing, its characters)."""
    grams = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
    if singles and len(run) > 1:
        grams += list(run)
    return grams


_local = threading.local()


@lru_cache(maxsize=65_536)
def stem(word: str, language: str) -> str:
    # The configurations' names are the Snowball algorithms' names. A stemmer keeps its
    # working state on itself, so each thread (the app server's threads) has its own.
    algorithm = TEXT_SEARCH_CONFIG.get(language)
    if algorithm is None:
        return word
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm].stemWord(word)


def _words(text: str, language: str, *, stemmed: bool) -> str:
    out: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        if match.group("cjk"):
            out += pairs(match.group(), singles=True)
        else:
            out.append(stem(match.group(), language) if stemmed else match.group())
    return " ".join(out)


def for_sqlite(text: str, language: str) -> str:
    """What SQLite's FTS5 table holds: folded words stemmed in the text's language."""
    return _words(text, language, stemmed=True)


def for_postgres(text: str, language: str) -> str:
    """What PostgreSQL's configuration for the language reads: folded words (accents stripped
    where the configuration is "simple"), Chinese as pairs; it stems them itself."""
    words = _words(text, language, stemmed=False)
    return strip_accents(words) if search_config(language) == "simple" else words


# ---- queries ---------------------------------------------------------------------------------

# Words too common to say what a case study is about, in the languages most case studies
# are written in. (Words of one or two letters are dropped too, except Chinese.) With OR
# semantics they would match nearly every text; PostgreSQL's configurations drop most of them
# anyway, SQLite does not.
_STOPWORDS_TEXT = """the and for with from that this into our their are was were has have how what
    les des une pour par dans sur avec qui que aux est sont ces leur leurs
    los las una por para con del que sus como sobre entre
    dos das uma com por para pelo pela nos nas que seus suas como
    في من على إلى عن مع التي الذي هذه هذا
    для что как это при или его они
    üçün ilə olan bir kimi
    kwa katika ambao ambayo hii hiyo"""
STOPWORDS = frozenset(fold(word) for word in _STOPWORDS_TEXT.split())


def query_terms(text: str) -> list[str]:
    """The words of a query, folded, without duplicates or very common words; Chinese runs
    as their pairs of characters (a single character stays itself)."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(fold(text)):
        if match.group("cjk"):
            for gram in pairs(match.group(), singles=False):
                seen[gram] = None
        elif len(word := match.group()) > 2 and word not in STOPWORDS:
            seen[word] = None
    return list(seen)[:MAX_TERMS]


def sqlite_forms(terms: list[str]) -> list[str]:
    """Each term as typed and as every stemmer cuts it: a query's language is not known, so a
    French word is looked up as French stems it, an English one as English does."""
    forms: dict[str, None] = {}
    for term in terms:
        forms[term] = None
        if not is_cjk(term):
            for language in TEXT_SEARCH_CONFIG:
                forms[stem(term, language)] = None
    return list(forms)


def postgres_words(terms: list[str]) -> list[str]:
    """The terms, and their accent-free forms for the texts indexed without accents."""
    return list(dict.fromkeys([*terms, *(strip_accents(term) for term in terms)]))


# ---- snippets --------------------------------------------------------------------------------

_WORDS = re.compile(r"\w+", re.UNICODE)


def _matches(word: str, terms: list[str]) -> bool:
    word = fold(word)
    for term in terms:
        stem_ = term[:5] if len(term) > 5 else term
        if (len(stem_) >= 3 and word.startswith(stem_)) or word == term:
            return True
    return False


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur: words starting like a term, and Chinese terms anywhere (they
    stand inside runs without spaces); overlapping or touching spans joined."""
    words = [t for t in terms if not is_cjk(t)]
    found = [m.span() for m in _WORDS.finditer(text) if words and _matches(m.group(), words)]
    for term in (t for t in terms if is_cjk(t)):
        found += [(m.start(), m.start() + len(term)) for m in re.finditer(re.escape(term), text)]
    joined: list[tuple[int, int]] = []
    for left, right in sorted(found):
        if joined and left <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(right, joined[-1][1]))
        else:
            joined.append((left, right))
    return joined


def snippet(text: str, terms: list[str], size: int) -> SafeString:
    """A passage of `text` around the first matching word, HTML-escaped, matches in <mark>."""
    text = " ".join((text or "").split())
    spans = _spans(text, terms) if terms else []
    start = 0
    if spans:
        start = max(0, spans[0][0] - size // 3)
        while start > 0 and not text[start - 1].isspace() and spans[0][0] - start < size // 2:
            start -= 1
    end = min(len(text), start + size)
    while end < len(text) and not text[end].isspace() and end - start < size + 20:
        end += 1
    parts: list[str] = []
    cursor = start
    for left, right in spans:
        if left < start or right > end:
            continue
        parts.append(escape(text[cursor:left]))
        parts.append(f"<mark>{escape(text[left:right])}</mark>")
        cursor = right
    parts.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece escaped
