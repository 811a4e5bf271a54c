"""Reading and writing CSV files the same way everywhere: UTF-8 from spreadsheets, one header
rule, one row limit, and cells a spreadsheet will not run as formulas."""

import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concord.core.imports import ImportRefused
from concord.core.numbers import figure

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Prefix cells a spreadsheet would run as a formula (OWASP CSV injection advice)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def safe_row(values) -> list[str]:
    """A row of cells, each made text and spreadsheet-safe."""
    return [spreadsheet_safe("" if value is None else str(value)) for value in values]


def decode(raw: bytes) -> str:
    """An uploaded CSV as text; spreadsheets write UTF-8 with or without a byte-order mark."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        ) from None


def read_rows(
    text: str, *, limit: int, exact: list[str] | None = None, required: list[str] | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lower-cased) and the non-blank rows as (line where the row starts, cells). `exact` demands that header; `required` demands those columns among others. More
    than `limit` rows refuses the whole file."""
    # newline="": a row may end with CRLF, LF or a lone CR (older spreadsheets), and a cell may
    # hold any of them between quotes.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    except csv.Error as error:
        raise ImportRefused(_("The file is not valid CSV: %(error)s.") % {"error": error}) from None
    if exact is not None and header != exact:
        raise ImportRefused(
            _("The first row must be exactly: %(expected)s (found: %(found)s).")
            % {"expected": ",".join(exact), "found": ",".join(header)}
        )
    missing = [column for column in required or [] if column not in header]
    if missing:
        raise ImportRefused(
            _("The first row must name the columns %(expected)s (missing: %(missing)s).")
            % {"expected": ",".join(required or []), "missing": ",".join(missing)}
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        count = 0
        try:
            # A row is reported on the line where it starts, even when a quoted cell spans lines.
            starts = reader.line_num + 1
            for values in reader:
                line, starts = starts, reader.line_num + 1
                if not any(value.strip() for value in values):
                    continue
                count += 1
                if count > limit:
                    raise ImportRefused(
                        ngettext(
                            "The file has more than %(limit)s row; split it into smaller files.",
                            "The file has more than %(limit)s rows; split it into smaller files.",
                            limit,
                        )
                        % {"limit": figure(limit)}
                    )
                yield line, values
        except csv.Error as error:
            raise ImportRefused(
                _("The file is not valid CSV near line %(line)s: %(error)s.")
                % {"line": reader.line_num, "error": error}
            ) from None

    return header, rows()
