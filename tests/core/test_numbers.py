"""One formatter for every number, in the page's language (Babel, from the CLDR): thousands
separators in every language, money and its ranges with the currency code once, file sizes
with the language's unit, and messages whose plural follows the number."""

from decimal import Decimal

import pytest
from django.utils import translation

from concord.core import checks, numbers
from concord.core.csv import read_rows
from concord.core.imports import ImportRefused

NNBSP, NBSP, RLM = "\u202f", "\u00a0", "\u200f"


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "1,234,567.50"),
        ("fr", f"1{NNBSP}234{NNBSP}567,50"),
        ("ar", "1,234,567.50"),
        ("ru", f"1{NBSP}234{NBSP}567,50"),
        ("zh-hans", "1,234,567.50"),
        ("az", "1.234.567,50"),
        ("sw", "1,234,567.50"),
    ],
)
def test_a_figure_has_the_languages_separators(language, written):
    with translation.override(language):
        assert numbers.figure(Decimal("1234567.5")) == written


def test_a_count_of_people_is_whole_and_a_whole_figure_has_no_decimals():
    with translation.override("fr"):
        assert numbers.figure(Decimal("5338.2"), whole=True) == f"5{NNBSP}338"
        assert numbers.figure(Decimal("12.00")) == "12"
        assert numbers.figure(None) == numbers.MISSING


def test_a_funding_range_writes_the_currency_once_where_the_language_puts_it():
    assert numbers.money_range(50000, 500000, "XOF", language="fr") == (
        f"50{NNBSP}000–500{NNBSP}000{NBSP}XOF"  # noqa: RUF001
    )
    assert numbers.money_range(50000, 500000, "XOF", language="ar") == (
        f"{RLM}50,000–500,000{NBSP}XOF"  # noqa: RUF001
    )
    assert numbers.money_range(50000, 500000, "XOF", language="en") == (
        f"XOF{NBSP}50,000–500,000"  # noqa: RUF001
    )
    assert numbers.money_range(10, 10, "USD", language="en") == f"USD{NBSP}10"


def test_an_amount_keeps_its_cents_only_when_it_has_some():
    assert numbers.money(Decimal("120000.50"), "USD", language="es") == f"120.000,50{NBSP}USD"
    assert numbers.money(Decimal("120000"), "USD", language="es") == f"120.000{NBSP}USD"


def test_a_file_size_has_the_languages_unit():
    assert numbers.file_size(1536 * 1024, language="fr") == f"1,5{NNBSP}Mo"
    assert numbers.file_size(250 * 1024, language="en") == "250 kB"


def test_the_length_message_agrees_with_its_limit():
    with translation.override("en"):
        assert checks.length_message(1) == "Keep this to 1 character or fewer."
        assert checks.length_message(5000) == "Keep this to 5,000 characters or fewer."


def test_the_row_limit_message_agrees_with_its_limit():
    _header, rows = read_rows("a\n1\n2\n", limit=1, exact=["a"])
    with translation.override("en"), pytest.raises(ImportRefused) as refusal:
        list(rows)
    assert "more than 1 row;" in str(refusal.value)
