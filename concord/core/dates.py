"""The one way a date or a time is written on a page, in a PDF or in an email: in the page's
language, with the Unicode CLDR's own patterns through Babel ("1 déc. 2025", "lun. 1 déc.
2025, 14:05", month names in the chart labels). Django's `date` filter writes its own
English-shaped patterns with translated words ("lun 1 Déc 2025"), so pages do not use it.

A datetime is written at the wall-clock time it carries: the caller (or the template's
`timezone`/`utc` filter) puts it in the zone the page names. CSV, JSON, iCalendar and IATI keep
ISO 8601 and never come here."""

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton

from concord.core.locales import page_locale

# style -> (CLDR skeleton or Babel's named format of the date part, with the time or not)
STYLES: dict[str, tuple[str, bool]] = {
    "date": ("long", False),  # 1 décembre 2025
    "short": ("yMd", False),  # 01/12/2025 (tooltips of the daily charts)
    "month": ("yMMM", False),  # déc. 2025
    "datetime": ("long", True),  # 1 décembre 2025, 14:05
    "weekday": ("yMMMEd", True),  # lun. 1 déc. 2025, 14:05
    "weekday_short": ("MMMEd", True),  # lun. 1 déc., 14:05 (sessions within an event)
    "time": ("", True),  # 14:05
}
NAMED = {"full", "long", "medium"}  # Babel's named date formats; any other form is a skeleton


def _date_part(value: date, form: str, locale: Locale) -> str:
    if form in NAMED:
        return format_date(value, form, locale=locale)
    return format_skeleton(form, value, locale=locale)


def _time_part(value: datetime, locale: Locale) -> str:
    # Hours and minutes on the 24-hour clock the venue's programme uses, in the language's
    # digits and separator ("14:05", "14 h 05" where CLDR says so).
    return format_skeleton("Hm", value, locale=locale)


def when(value: date | datetime | None, style: str = "date", *, language: str | None = None) -> str:
    """`value` in the page's language, in one of the `STYLES`. A date (not a datetime) with
    a style that shows the time is written as its day."""
    if value is None or value == "":
        return ""
    locale = page_locale(language)
    form, with_time = STYLES[style]
    if not isinstance(value, datetime):
        return _date_part(value, form if form else "long", locale)
    if not with_time:
        return _date_part(value, form, locale)
    time = _time_part(value, locale)
    if not form:
        return time
    # CLDR's glue between a date and a time ("{1}, {0}", "{1} {0}", "{1}، {0}").
    glue = str(locale.datetime_formats["medium"]).replace("'", "")
    return glue.format(time, _date_part(value, form, locale))


def span(start: date, end: date, style: str = "date", *, language: str | None = None) -> str:
    """A period from `start` to `end`. "month" writes it as months, with the year once where
    the language does ("janv. to juin 2025" with the language's dash), for chart labels; other
    styles write both ends in full, joined by the language's range pattern (Babel's day
    intervals drop the first month in Swahili and the last year in Azerbaijani)."""
    locale = page_locale(language)
    if style == "month":
        return format_interval(start, end, "yMMM", locale=locale)
    return str(locale.interval_formats[None]).format(
        when(start, style, language=language), when(end, style, language=language)
    )
