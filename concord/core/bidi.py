"""Text of one direction inside a page of the other: the pieces that keep it whole.

A right-to-left page (Arabic) holds English organisation names, codes and figures, and an
English page holds Arabic names. Left alone, the Unicode bidirectional algorithm lets such a
value borrow the direction of the sentence around it: the full stop of "Green Earth Ltd."
moves to its start, and a funding range "20000 to 100000 USD" shows its unit first and its
ends swapped. Wrapping the value in <bdi> makes it a piece of its own: its inside is laid out
by its own first strong letter (`isolate`) or strictly left to right (`ltr`), and the sentence
around it sees one neutral character. Where to use which is in docs/ARCHITECTURE.md ("Text of both directions").
"""

from typing import Any

from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The range sign between two figures, as the pages have always written it.
EN_DASH = "\u2013"


def _present(value: Any) -> bool:
    return value is not None and value != ""


def isolate(value: Any) -> SafeString | str:
    """User text (a name, a title, a city) set apart from the sentence around it, laid out
    in the direction of its own first strong letter. Empty values stay empty."""
    if not _present(value):
        return ""
    return format_html("<bdi>{}</bdi>", value)


def ltr(value: Any, unit: Any = "") -> SafeString | str:
    """A value that reads left to right in every language and stays in one piece: a code
    (badge code, ISO or IATI identifier), a date written in digits, an email address, or a
    figure followed by a Latin `unit` (an ISO currency code)."""
    if not _present(value):
        return ""
    if _present(unit):
        return format_html('<bdi dir="ltr">{} {}</bdi>', value, unit)
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def ltr_range(low: Any, high: Any, unit: Any = "") -> SafeString:
    """Two ends joined by an en dash, then the unit, as one left-to-right piece (a funding
    call's amounts); either end may be missing, and then only the other is written."""
    ends = [conditional_escape(end) for end in (low, high) if _present(end)]
    text = mark_safe(EN_DASH.join(ends))  # noqa: S308 - each end was escaped above
    if _present(unit):
        text = format_html("{} {}", text, unit)
    return format_html('<bdi dir="ltr">{}</bdi>', text)


def fill(message: str, values: dict[str, Any]) -> SafeString:
    """A translated sentence with its %(name)s placeholders filled: the sentence is escaped
    as text, each value too unless it is already markup (from `isolate` or `ltr`), e.g.
    `fill(_("%(name)s is now a member."), {"name": isolate(organisation.name)})`."""
    escaped = str(conditional_escape(message))
    filled = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(escaped % filled)  # noqa: S308 - both sides were escaped above


# For field help texts, translated when the page is drawn rather than at import.
fill_lazy = lazy(fill, SafeString)
