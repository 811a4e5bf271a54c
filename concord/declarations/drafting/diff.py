"""A readable difference between two versions of a draft: paragraph by paragraph (matched by
their key), and inside a changed paragraph word by word (the standard library's difflib).

The HTML is escaped text with <ins> and <del>; each carries words for screen readers (the
marks alone are not read out everywhere) and no direction of its own, so in a paragraph
shown with dir="auto" Arabic and Latin words keep their order.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Row:
    kind: str  # "added", "removed", "changed", "same"
    key: int
    html: SafeString


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text)


def _mark(tag: str, words: list[str]) -> str:
    label = _("inserted:") if tag == "ins" else _("deleted:")
    return (
        f'<{tag}><span class="visually-hidden">{escape(label)} </span>'
        f"{escape(''.join(words))}</{tag}>"
    )


def words(old: str, new: str) -> SafeString:
    """`new` with what changed since `old`: deleted words in <del>, inserted in <ins>."""
    a, b = _tokens(old), _tokens(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(_mark("del", a[i1:i2]))
        if op in ("insert", "replace"):
            parts.append(_mark("ins", b[j1:j2]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def compare(old: list[tuple[int, str]], new: list[tuple[int, str]]) -> list[Row]:
    """The rows of a comparison of two versions, given as (key, text) in their order."""
    old_text = dict(old)
    new_text = dict(new)
    rows = []
    matcher = difflib.SequenceMatcher(
        None, [key for key, _t in old], [key for key, _t in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for key, text in new[j1:j2]:
                if old_text[key] == text:
                    rows.append(Row("same", key, escape(text)))
                else:
                    rows.append(Row("changed", key, words(old_text[key], text)))
            continue
        for key, text in old[i1:i2]:
            if key not in new_text:
                rows.append(Row("removed", key, mark_safe(_mark("del", [text]))))  # noqa: S308
        for key, text in new[j1:j2]:
            if key in old_text:  # moved: shown where it is now, with its changes
                kind = "same" if old_text[key] == text else "changed"
                rows.append(Row(kind, key, words(old_text[key], text)))
            else:
                rows.append(Row("added", key, mark_safe(_mark("ins", [text]))))  # noqa: S308
    return rows
