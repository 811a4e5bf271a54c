"""A world map drawn on the server: one hexagon per UN member or observer State.

Real borders would hide the small island States, so every State gets one tile of the same
size on a hex grid placed to resemble geography (`data/tiles.csv`, built by
`data/build_tiles.py`). The SVG is self-contained and safe to inline under a strict
Content-Security-Policy: no scripts, no style attributes or elements, no external
references; colours are presentation attributes.
"""

import csv
import hashlib
import math
from bisect import bisect_left
from contextlib import nullcontext
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.numbers import figure, number_range
from concord.countries.names import localised_name
from concord.countries.queries import reference

TILES_CSV = Path(__file__).resolve().parent / "data" / "tiles.csv"

NO_DATA = "#e0e0e0"
# ColorBrewer BuGn, 7 classes, the five darkest: sequential, single hue family, safe for
# the common colour-vision deficiencies; the lightest is clearly darker than NO_DATA.
RAMP = ("#99d8c9", "#66c2a4", "#41ae76", "#238b45", "#005824")
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"

TILE = 20.0  # hexagon width (pointy-top), in SVG user units
RADIUS = TILE / math.sqrt(3)  # centre to vertex
ROW_STEP = 1.5 * RADIUS
MARGIN = 6.0
LEGEND_HEIGHT = 44.0
# A pointy-top hexagon drawn from its top vertex, clockwise, with relative moves.
_HEX = f"l{TILE / 2:g},{RADIUS / 2:.2f}v{RADIUS:.2f}l{-TILE / 2:g},{RADIUS / 2:.2f}l{-TILE / 2:g},{-RADIUS / 2:.2f}v{-RADIUS:.2f}z"
# Readable class boundaries: every integer up to 10, then 1-1.5-2-2.5-3-4-5-6-7.5 steps.
_NICE = sorted(
    set(range(1, 11))
    | {int(m * 10**k) for k in range(1, 9) for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5)}
)


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """{alpha2: (col, row)} on the hex grid ("odd-r": odd rows shifted half a tile right)."""
    with open(TILES_CSV, encoding="utf-8") as handle:
        return {r["alpha2"]: (int(r["col"]), int(r["row"])) for r in csv.DictReader(handle)}


def _nice(value: float) -> int:
    """The readable boundary nearest to `value` on a log scale."""
    i = bisect_left(_NICE, value)
    candidates = _NICE[max(i - 1, 0) : i + 1]
    return min(candidates, key=lambda n: (abs(math.log(n) - math.log(max(value, 1))), n))


def class_breaks(values: list[int], classes: int = len(RAMP)) -> list[tuple[int, int]]:
    """Up to `classes` inclusive ranges (low, high) covering the positive values: quantile
    boundaries rounded to readable numbers, never an empty class, the maximum in the last."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    count = len(positive)
    uppers: list[int] = []
    for k in range(1, classes):
        upper = _nice(positive[math.ceil(k * count / classes) - 1])
        previous = uppers[-1] if uppers else positive[0] - 1
        # keep a boundary only if its class holds a value and values remain above it
        if previous < upper < positive[-1] and (
            positive[bisect_left(positive, previous + 1)] <= upper
        ):
            uppers.append(upper)
    lows = [positive[0]] + [u + 1 for u in uppers]
    return list(zip(lows, [*uppers, positive[-1]], strict=True))


def _class_colours(n: int) -> list[str]:
    """n colours spread over the ramp, always ending with the darkest."""
    if n == 1:
        return [RAMP[-1]]
    last = len(RAMP) - 1
    return [RAMP[round(i * last / (n - 1))] for i in range(n)]


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@cache
def text_colour(fill: str) -> str:
    """Dark or white text, whichever contrasts more with `fill` (WCAG contrast ratio)."""
    lum = _luminance(fill)
    return (
        DARK_TEXT
        if (lum + 0.05) / (_luminance(DARK_TEXT) + 0.05) >= 1.05 / (lum + 0.05)
        else LIGHT_TEXT
    )


def _number(value: int) -> str:
    return figure(value)


def _range_label(low: int, high: int) -> str:
    return number_range(low, high)


def _geometry() -> tuple[float, float]:
    cols = max(c for c, _r in tile_positions().values()) + 1
    rows = max(r for _c, r in tile_positions().values()) + 1
    width = MARGIN * 2 + (cols + 0.5) * TILE
    height = MARGIN * 2 + (rows - 1) * ROW_STEP + 2 * RADIUS + LEGEND_HEIGHT
    return width, height


def map_size() -> tuple[int, int]:
    """Width and height of the map in CSS pixels at its natural size, for an <img> showing
    it: the browser reserves the space before the image arrives."""
    width, height = _geometry()
    return math.ceil(width), math.ceil(height)


def map_summary(values: dict[str, int], description: str | None = None) -> str:
    """The map's description in words (how many States have a value), also its <desc>."""
    tiles = tile_positions()
    with_values = sum(1 for code in tiles if values.get(code, 0) > 0)
    return description or ngettext(
        "%(count)s country with signatures out of %(total)s shown.",
        "%(count)s countries with signatures out of %(total)s shown.",
        with_values,
    ) % {"count": _number(with_values), "total": _number(len(tiles))}


def _fmt(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def world_map_svg(
    values: dict[str, int],
    *,
    title: str,
    labels: dict[str, str] | None = None,
    legend_title: str = "",
    language: str | None = None,
    description: str | None = None,
    no_data_label: str | None = None,
) -> SafeString:
    """SVG markup of the tile map, one shaded hexagon per State with a tooltip.

    `values`: {alpha2: count}; codes not on the map (territories) are ignored, missing ones
    count as 0. `labels`: optional {alpha2: name} to use instead of the localised name.
    `language`: render names and numbers in this language instead of the active one.
    `description`, `no_data_label`: wording for maps that do not count signatures.
    """
    with translation.override(language) if language else nullcontext():
        return _render(
            values,
            title=title,
            labels=labels or {},
            legend_title=legend_title,
            description=description,
            no_data_label=no_data_label,
        )


def _render(
    values: dict[str, int],
    *,
    title: str,
    labels: dict[str, str],
    legend_title: str,
    description: str | None = None,
    no_data_label: str | None = None,
) -> SafeString:
    tiles = tile_positions()
    known = {code.upper(): int(value) for code, value in values.items()}
    shown = {code: max(known.get(code, 0), 0) for code in tiles}
    ranges = class_breaks(list(shown.values()))
    colours = _class_colours(len(ranges))
    highs = [high for _low, high in ranges]
    english = reference().countries
    width, height = _geometry()
    digest = hashlib.sha1(  # noqa: S324 - an element id, not security
        repr((title, legend_title, sorted(shown.items()), sorted(labels.items()))).encode()
    ).hexdigest()[:8]
    ident = f"wm{digest}"
    desc = map_summary(shown, description)

    shapes, codes = [], []
    for code in sorted(tiles, key=lambda c: (tiles[c][1], tiles[c][0])):
        col, row = tiles[code]
        value = shown[code]
        fill = colours[bisect_left(highs, value)] if value > 0 else NO_DATA
        cx = MARGIN + (col + 0.5 + 0.5 * (row % 2)) * TILE
        cy = MARGIN + RADIUS + row * ROW_STEP
        fallback = english[code].name if code in english else code
        name = labels.get(code) or localised_name(code, fallback)
        tip = _("%(country)s: %(value)s") % {"country": name, "value": _number(value)}
        shapes.append(
            f'<path d="M{_fmt(cx)},{_fmt(cy - RADIUS)}{_HEX}" fill="{fill}">'
            f"<title>{escape(tip)}</title></path>"
        )
        ink = text_colour(fill)
        ink_attr = "" if ink == DARK_TEXT else f' fill="{ink}"'
        codes.append(f'<text x="{_fmt(cx)}" y="{_fmt(cy + 2.5)}"{ink_attr}>{code}</text>')

    legend = _legend(
        colours, ranges, legend_title, top=height - LEGEND_HEIGHT, width=width,
        no_data_label=no_data_label,
    )  # fmt: skip
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_fmt(width)} {_fmt(height)}"'
        f' width="100%" role="img" aria-labelledby="{ident}-t {ident}-d"'
        f' font-family="sans-serif">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(desc)}</desc>'
        f'<g stroke="#ffffff" stroke-width="1">{"".join(shapes)}</g>'
        f'<g font-size="7" text-anchor="middle" fill="{DARK_TEXT}" pointer-events="none"'
        f' aria-hidden="true">{"".join(codes)}</g>'
        f"{legend}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped above


def _legend(
    colours: list[str],
    ranges: list[tuple[int, int]],
    legend_title: str,
    *,
    top: float,
    width: float,
    no_data_label: str | None = None,
) -> str:
    entries = [(NO_DATA, no_data_label or _("no signatures"))] + [
        (colour, _range_label(low, high))
        for colour, (low, high) in zip(colours, ranges, strict=True)
    ]
    # left-to-right even on right-to-left pages, so labels stay beside their swatches
    parts = [f'<g font-size="9" fill="{DARK_TEXT}" direction="ltr">']
    y = top + 14
    if legend_title:
        parts.append(
            f'<text x="{_fmt(MARGIN)}" y="{_fmt(y)}" font-weight="bold">{escape(legend_title)}</text>'
        )
    y += 8
    step = min(100.0, (width - 2 * MARGIN) / len(entries))
    for i, (colour, label) in enumerate(entries):
        x = MARGIN + i * step
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="12" height="12" fill="{colour}"'
            f' stroke="#bdbdbd" stroke-width="0.5"/>'
            f'<text x="{_fmt(x + 16)}" y="{_fmt(y + 9.5)}">{escape(label)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
