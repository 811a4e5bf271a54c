"""The one way a figure is written on a page, so a chart and the table beside it agree and a
count of people is never shown with decimals."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

MISSING = "–"  # noqa: RUF001


def figure(value: Decimal | float | int | None, *, whole: bool = False) -> str:
    """A figure in the page's language with its thousands separators: a whole number when it
    is one (or when `whole`, e.g. a count of people attributed by country percentages),
    otherwise two decimals. The stored value keeps its precision; only the writing rounds."""
    if value is None or value == "":
        return MISSING
    number = Decimal(str(value))
    step = Decimal(1) if whole else Decimal("0.01")
    rounded = number.quantize(step, rounding=ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 2
    return number_format(rounded, decimal_pos=places, force_grouping=True)
