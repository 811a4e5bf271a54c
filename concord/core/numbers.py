"""The one way a number is written on a page, in a PDF or in an email, in the page's language
(Babel, from the Unicode CLDR): figures, counts, money and its ranges, file sizes. A chart and
the table beside it agree, and a count of people is never shown with decimals.

CSV and JSON exports keep plain machine-readable numbers and never come here."""

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberPattern, get_currency_precision
from babel.units import format_unit

from concord.core.locales import page_locale

MISSING = "–"  # noqa: RUF001
# CLDR's range pattern ("{0}", an en dash, "{1}") is the same in every language we serve; Babel
# does not expose it, so it is written once here.
RANGE = "{low}\u2013{high}"
NBSP = "\u00a0"

Number = Decimal | float | int


def _decimal(value: Number | str) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _pattern(locale: Locale, places: int) -> NumberPattern:
    """The language's decimal pattern (its grouping) with exactly `places` decimals."""
    pattern = copy.copy(locale.decimal_formats[None])
    pattern.frac_prec = (places, places)
    return pattern


def _write(number: Decimal, places: int, locale: Locale) -> str:
    step = Decimal(1).scaleb(-places)
    rounded = number.quantize(step, rounding=ROUND_HALF_UP)
    return _pattern(locale, places).apply(rounded, locale)


def _places(number: Decimal, most: int) -> int:
    """No decimals for a whole number, otherwise `most` (a figure is never "12.50" beside
    "12" in the same table only because one of them was typed with a decimal point)."""
    step = Decimal(1).scaleb(-most)
    rounded = number.quantize(step, rounding=ROUND_HALF_UP)
    return 0 if rounded == rounded.to_integral_value() else most


def figure(value: Number | str | None, *, whole: bool = False, language: str | None = None) -> str:
    """A figure in the page's language with its thousands separators: a whole number when it
    is one (or when `whole`, e.g. a count of people attributed by country percentages),
    otherwise two decimals. The stored value keeps its precision; only the writing rounds."""
    number = None if value is None or value == "" else _decimal(value)
    if number is None:
        return MISSING
    places = 0 if whole else _places(number, 2)
    return _write(number, places, page_locale(language))


def number_range(low: Number, high: Number, *, language: str | None = None) -> str:
    """Two figures joined by an en dash; one figure when both ends are equal."""
    low_text, high_text = figure(low, language=language), figure(high, language=language)
    return low_text if low_text == high_text else RANGE.format(low=low_text, high=high_text)


def _amount(value: Number, currency: str, locale: Locale) -> str:
    number = _decimal(value)
    if number is None:
        return MISSING
    # A fraction is never rounded away, even in a currency without cents (XOF): the figure
    # is what was entered, and three-decimal currencies (KWD) keep their third.
    digits = max(get_currency_precision(currency), 2) if currency else 2
    return _write(number, _places(number, digits), locale)


def _with_currency(amount: str, currency: str, locale: Locale) -> str:
    """The amount with the ISO code where the language puts a currency ("XOF 50,000" in
    English, "50 000 XOF" in French). The code, not a symbol: "$" is a different currency
    in half the countries we serve, and the pages have always named currencies by code."""
    if not currency:
        return amount
    pattern = locale.currency_formats["standard"]
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    if "¤" in prefix:
        return f"{prefix.replace('¤', currency).rstrip(NBSP + ' ')}{NBSP}{amount}"
    # What else the pattern holds stays, e.g. Arabic's right-to-left mark before the number.
    return f"{prefix}{amount}{NBSP}{currency}" if "¤" in suffix else f"{prefix}{amount}"


def money(value: Number | None, currency: str, *, language: str | None = None) -> str:
    """An amount in a currency (ISO 4217 code): no decimals when it is whole, else two (or
    the currency's three)."""
    if value is None or value == "":
        return MISSING
    locale = page_locale(language)
    return _with_currency(_amount(value, currency, locale), currency, locale)


def money_range(
    low: Number | None, high: Number | None, currency: str, *, language: str | None = None
) -> str:
    """An amount range in one currency, the code written once: 50 000 to 500 000 XOF, with an
    en dash, in French."""
    if low is None and high is None:
        return MISSING
    if low is None or high is None:
        return money(high if low is None else low, currency, language=language)
    locale = page_locale(language)
    low_text, high_text = _amount(low, currency, locale), _amount(high, currency, locale)
    amounts = low_text if low_text == high_text else RANGE.format(low=low_text, high=high_text)
    return _with_currency(amounts, currency, locale)


# Binary multiples, as file managers and the upload limits count them.
_UNITS = [
    (1024**3, "digital-gigabyte"),
    (1024**2, "digital-megabyte"),
    (1024, "digital-kilobyte"),
    (1, "digital-byte"),
]


def file_size(size: int | None, *, language: str | None = None) -> str:
    """A file's size with the language's unit abbreviation ("1,5 Mo", "240 kB"): one decimal
    under ten units (none when it is zero), none above."""
    if size is None:
        return MISSING
    locale = page_locale(language)
    scale, unit = next(((s, u) for s, u in _UNITS if size >= s), _UNITS[-1])
    number = Decimal(size) / Decimal(scale)
    places = 1 if scale > 1 and number < 10 else 0
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Already rounded, so the language's own pattern (up to three decimals) writes it as is.
    return format_unit(rounded, unit, length="short", locale=locale)
