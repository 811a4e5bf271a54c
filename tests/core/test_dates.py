"""Dates and month names in the page's language, with the CLDR's own patterns (Babel), not
Django's `date` filter ("lun 1 Déc 2025" on French pages)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from concord.core import dates

DAKAR = ZoneInfo("Africa/Dakar")


def render(source: str, **context) -> str:
    return Template("{% load tz concord %}" + source).render(Context(context))


def test_an_event_time_in_french_uses_frances_abbreviations():
    start = datetime(2025, 12, 1, 14, 5, tzinfo=DAKAR)
    assert dates.when(start, "weekday", language="fr") == "lun. 1 déc. 2025, 14:05"
    assert dates.when(start, "weekday_short", language="fr") == "lun. 1 déc., 14:05"
    assert dates.when(start, "time", language="fr") == "14:05"


def test_a_day_in_swahili_and_russian():
    assert dates.when(date(2025, 12, 1), language="sw") == "1 Desemba 2025"
    assert dates.when(date(2025, 12, 1), language="ru") == "1 декабря 2025\u202fг."  # noqa: RUF001


def test_a_period_as_months_for_a_chart():
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    assert dates.span(start, end, "month", language="fr") == "janv.–juin 2025"  # noqa: RUF001
    assert dates.span(start, end, language="sw") == "1 Januari 2025\u2009\u2013\u200930 Juni 2025"


def test_the_template_filter_writes_the_zone_the_page_names():
    start = datetime(2025, 12, 1, 14, 5, tzinfo=ZoneInfo("UTC"))
    with translation.override("fr"):
        shown = render('{{ start|timezone:"Asia/Baku"|when:"weekday" }}', start=start)
    assert shown == "lun. 1 déc. 2025, 18:05"
    assert render("{{ missing|when }}", missing=None) == ""
