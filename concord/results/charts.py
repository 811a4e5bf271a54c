"""Server-rendered SVG charts: no script, no request, readable by screen readers.

Each chart is an <svg role="img"> with a <title> and a <desc>; the pages put a data table
beside every chart, so the numbers are there for anyone who cannot see the bars.
"""

import uuid
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from concord.core.numbers import figure

WIDTH = 640
ROW = 30
LABEL = 200


def _scale(values: list[Decimal]) -> Decimal:
    top = max([v for v in values if v is not None] or [Decimal(0)])
    return top if top > 0 else Decimal(1)


def _number(value: Decimal | None, whole: bool = False) -> str:
    # The same writing as the tables beside the charts (the `figure` template filter).
    return figure(value, whole=whole)


def bar_chart(
    title: str, description: str, rows: list[tuple[str, Decimal]], whole: bool = False
) -> SafeString:
    """Horizontal bars, one per (label, value); `whole` writes the values as whole numbers
    (counts of people)."""
    ident = uuid.uuid4().hex[:8]
    height = max(1, len(rows)) * ROW + 10
    top = _scale([value for _, value in rows])
    span = WIDTH - LABEL - 90
    parts = []
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW
        length = int(span * (value / top)) if value else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                LABEL - 8,
                y + 18,
                label[:32],
                LABEL,
                y + 4,
                max(length, 1),
                ROW - 10,
                LABEL + length + 6,
                y + 18,
                _number(value, whole),
            )
        )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="t{} d{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="t{}">{}</title><desc id="d{}">{}</desc>'
        "{}</svg>",
        WIDTH, height, ident, ident, ident, title, ident, description, mark_safe("".join(parts)),  # noqa: S308
    )  # fmt: skip


def target_vs_actual(
    title: str,
    description: str,
    periods: list[tuple[str, Decimal | None, Decimal | None]],
    legend: tuple[str, str] = ("Target", "Actual"),
) -> SafeString:
    """Per period (label, target, actual): a light bar for the target, a dark one inside it
    for the actual."""
    ident = uuid.uuid4().hex[:8]
    height = max(1, len(periods)) * ROW + 30
    top = _scale([v for _, t, a in periods for v in (t, a) if v is not None])
    span = WIDTH - LABEL - 90
    parts = []
    for index, (label, target, actual) in enumerate(periods):
        y = 5 + index * ROW
        target_length = int(span * (target / top)) if target else 0
        actual_length = int(span * (actual / top)) if actual else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-target"></rect>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-value">{} / {}</text>',
                LABEL - 8,
                y + 18,
                label,
                LABEL,
                y + 2,
                max(target_length, 1),
                ROW - 6,
                LABEL,
                y + 7,
                max(actual_length, 1),
                ROW - 16,
                LABEL + max(target_length, actual_length) + 6,
                y + 18,
                _number(actual),
                _number(target),
            )
        )
    legend_y = height - 8
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="12" height="10" class="chart-target"></rect>'
            '<text x="{}" y="{}" class="chart-label">{}</text>'
            '<rect x="{}" y="{}" width="12" height="10" class="chart-bar"></rect>'
            '<text x="{}" y="{}" class="chart-label">{}</text>',
            LABEL,
            legend_y - 9,
            LABEL + 16,
            legend_y,
            escape(legend[0]),
            LABEL + 120,
            legend_y - 9,
            LABEL + 136,
            legend_y,
            escape(legend[1]),
        )
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="t{} d{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="t{}">{}</title><desc id="d{}">{}</desc>'
        "{}</svg>",
        WIDTH, height, ident, ident, ident, title, ident, description, mark_safe("".join(parts)),  # noqa: S308
    )  # fmt: skip
