"""The declaration's share image (the picture a link preview shows): a 1200 by 630 PNG with the
title and the count, drawn with Pillow in fonts that can write the language.

Fonts are the system's (the Noto packages `.ci/run` and the deployment install), found by
known path and then by fc-match, else DejaVu, else Pillow's own. Arabic needs its letters
joined: with libraqm (`PIL.features.check("raqm")`) Pillow shapes it and lays it out right
to left. Without it Pillow's basic layout draws Arabic letters unjoined and left to right,
which is not legible: the Pillow wheels bundle raqm, and `shaping()` tells a deployment
that lost it. Drawing costs tens of milliseconds, so the view keeps each image a while
(views/images.py).
"""

import io
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TITLE_SIZE, TITLE_LINES, LINE_GAP = 64, 4, 14
COUNT_SIZE = 44
GREEN, WHITE, PALE = (11, 110, 79), (255, 255, 255), (207, 235, 224)

NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
# (path, index in a collection). NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK in this order.
KNOWN: dict[str, tuple[tuple[Path, int], ...]] = {
    "ar": ((NOTO / "NotoSansArabic-Bold.ttf", 0), (NOTO / "NotoNaskhArabic-Bold.ttf", 0)),
    "zh": ((CJK / "NotoSansCJK-Bold.ttc", 2), (CJK / "NotoSansCJK-Regular.ttc", 2)),
    # Noto's Arabic fonts have no Latin letters: Arabic with a Latin word ("COP29") or an
    # untranslated phrase needs one font with both (Pillow does not fall back per letter).
    "ar+latin": ((DEJAVU, 0),),
    "": ((NOTO / "NotoSans-Bold.ttf", 0), (NOTO / "NotoSans-Regular.ttf", 0)),
}
FC_LANG = {"ar": "ar", "ar+latin": "ar", "zh": "zh-cn", "": "en"}
CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _within(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= ord(ch) <= high for low, high in ranges)


def script_of(text: str) -> str:
    """Which font family the text needs, from its letters (a title's language may be
    "en" and still name a place in Arabic)."""
    if any(_within(ch, CJK_RANGES) for ch in text):
        return "zh"  # the CJK fonts have Latin letters and digits too
    if any(_within(ch, ARABIC_RANGES) for ch in text):
        latin = any(ch.isascii() and ch.isalpha() for ch in text)
        return "ar+latin" if latin else "ar"
    return ""


def shaping() -> bool:
    """Whether Pillow joins Arabic letters and lays text out right to left."""
    return bool(features.check("raqm"))


@lru_cache(maxsize=8)
def font_file(script: str) -> tuple[str, int] | None:
    for path, index in KNOWN[script]:
        if path.is_file():
            return str(path), index
    if shutil.which("fc-match"):
        found = subprocess.run(  # noqa: S603 - a fixed program and pattern
            ["fc-match", "-f", "%{file}", f"sans:bold:lang={FC_LANG[script]}"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
        if found and Path(found).is_file():
            return found, 0
    return (str(DEJAVU), 0) if DEJAVU.is_file() else None


@lru_cache(maxsize=32)
def _font(script: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = font_file(script)
    if found is None:
        return ImageFont.load_default(size)
    layout = ImageFont.Layout.RAQM if shaping() else ImageFont.Layout.BASIC
    return ImageFont.truetype(found[0], size, index=found[1], layout_engine=layout)


def _layout(text: str, language: str) -> dict:
    """Raqm's direction from the text's first letter (the Unicode rule for a paragraph), so
    an English phrase on an Arabic page still reads left to right."""
    if not shaping():
        return {}
    first = next((ch for ch in text if ch.isalpha()), "")
    rtl = bool(first) and _within(first, ARABIC_RANGES)
    return {"direction": "rtl" if rtl else "ltr", "language": language.split("-")[0]}


def wrap(draw: ImageDraw.ImageDraw, text: str, font, language: str, width: int) -> list[str]:
    """Greedy lines within `width`: by words, or by characters for Chinese (no spaces);
    the last line ends with an ellipsis when the text does not fit."""
    chinese = script_of(text) == "zh"
    pieces = list(text) if chinese else text.split()
    joiner = "" if chinese else " "
    lines: list[str] = []
    line = ""
    for piece in pieces:
        candidate = f"{line}{joiner}{piece}" if line else piece
        if line and draw.textlength(candidate, font=font, **_layout(text, language)) > width:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    if len(lines) > TITLE_LINES:
        last = lines[TITLE_LINES - 1]
        while last and draw.textlength(last + "…", font=font, **_layout(text, language)) > width:
            last = last[:-1]
        lines = [*lines[: TITLE_LINES - 1], last.rstrip() + "…"]
    return lines


def draw_card(title: str, title_language: str, count_line: str, language: str) -> bytes:
    """The PNG: the title (in its own language's font and direction) and the count line (in
    the reader's), on the site's green."""
    image = Image.new("RGB", (WIDTH, HEIGHT), GREEN)
    draw = ImageDraw.Draw(image)
    title_font = _font(script_of(title), TITLE_SIZE)
    width = WIDTH - 2 * MARGIN
    y = MARGIN
    for line in wrap(draw, title, title_font, title_language, width):
        _line(draw, line, title_font, title_language, y, WHITE)
        y += TITLE_SIZE + LINE_GAP
    count_font = _font(script_of(count_line), COUNT_SIZE)
    _line(draw, count_line, count_font, language, HEIGHT - MARGIN - COUNT_SIZE, PALE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _line(draw, text: str, font, language: str, y: int, colour) -> None:
    layout = _layout(text, language)
    if layout.get("direction") == "rtl":
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=colour, anchor="ra", **layout)
    else:
        draw.text((MARGIN, y), text, font=font, fill=colour, anchor="la", **layout)
