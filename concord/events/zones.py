"""The time zones the pickers offer, named in the reader's language.

The IANA database keeps about 600 names, a third of them old aliases kept so stored data
still reads ("US/Eastern", "Asia/Calcutta", "Etc/GMT+3"). The pickers list only the current
zones, each labelled from the Unicode CLDR (via Babel) as its zone's name and city, e.g.
"Heure de l'Azerbaïdjan (Bakou)"; any valid name stays accepted (`times.check_zone`), so an
event stored with an alias keeps it, shown first.
"""

import unicodedata
from datetime import UTC as UTC_ZONE
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_name
from django.utils import translation

from concord.countries.names import babel_locale

UTC = "UTC"


@cache
def current_zones() -> frozenset[str]:
    """IANA's zones less the aliases CLDR knows and the fixed offsets of `Etc/`; "UTC" is
    the one alias kept, as the name events store by default."""
    aliases = get_global("zone_aliases")
    return frozenset(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith("Etc/") and name not in aliases
    ) | {UTC}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@cache
def _cldr_ids() -> dict[str, tuple[str, ...]]:
    """Each current zone with the older names CLDR may still file its data under (it
    keeps "Asia/Calcutta" where IANA now says "Asia/Kolkata")."""
    older: dict[str, list[str]] = {}
    for alias, zone in get_global("zone_aliases").items():
        older.setdefault(zone, []).append(alias)
    return {zone: (zone, *sorted(older.get(zone, ()))) for zone in current_zones()}


def _first(zone: str, find) -> str:
    for name in _cldr_ids().get(zone, (zone,)):
        if found := find(name):
            return found
    return ""


def _changes_clocks(zone: str) -> bool:
    year = datetime.now(UTC_ZONE).year
    tz = ZoneInfo(zone)
    return len({datetime(year, month, 1, tzinfo=tz).utcoffset() for month in (1, 7)}) > 1


def _zone_name(zone: str, locale: Locale) -> str:
    """The zone's generic name ("heure de l'Azerbaïdjan"), else its country's name.
    Babel's own fallback is not used: its Russian region format says "summer time"."""

    steady = not _changes_clocks(zone)

    def generic(name: str) -> str:
        metazone = get_global("meta_zones").get(name)
        for table in (locale.time_zones.get(name, {}), locale.meta_zones.get(metazone, {})):
            names = table.get("long", {})
            # A zone without summer time is named by its standard time ("heure de l'Inde");
            # London's "Greenwich Mean Time" would be wrong half the year.
            if found := names.get("generic") or (steady and names.get("standard")):
                return found
        return ""

    territory = _first(zone, lambda name: get_global("zone_territories").get(name, ""))
    return _first(zone, generic) or locale.territories.get(territory, "")


def _label(zone: str, locale: Locale) -> str:
    if zone == UTC:
        name = get_timezone_name("Etc/UTC", zone_variant="standard", locale=locale)
        return f"{_capitalised(name)} (UTC)"
    city = _first(zone, lambda name: locale.time_zones.get(name, {}).get("city", ""))
    city = city or zone.rsplit("/", 1)[-1].replace("_", " ")
    name = _zone_name(zone, locale)
    return f"{_capitalised(name)} ({city})" if name else city


def _sort_key(label: str) -> str:
    # Accents aside, so "É" sorts with "E" as a reader expects.
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _locale(language: str) -> Locale:
    return babel_locale(language) or Locale("en")


@cache
def _sorted_choices(language: str) -> tuple[tuple[str, str], ...]:
    locale = _locale(language)
    labelled = [(zone, _label(zone, locale)) for zone in current_zones() if zone != UTC]
    return tuple(sorted(labelled, key=lambda choice: (_sort_key(choice[1]), choice[0])))


def zone_label(zone: str, language: str | None = None) -> str:
    """A zone's label; an alias is shown as itself with the current zone it stands for."""
    language = language or translation.get_language() or "en"
    locale = _locale(language)
    if zone in current_zones():
        return _label(zone, locale)
    target = get_global("zone_aliases").get(zone)
    if target in current_zones():
        return f"{zone} — {_label(target, locale)}"
    return zone.replace("_", " ")


def zone_choices(first=(), language: str | None = None) -> list[tuple[str, str]]:
    """The current zones sorted by their label in `language` (the page's by default), after
    the zones in `first` (the visitor's choice, the venue's: any valid name, alias or not)
    and UTC."""
    language = language or translation.get_language() or "en"
    zones = available_timezones()
    top = list(dict.fromkeys(zone for zone in (*first, UTC) if zone and zone in zones))
    return [
        *((zone, zone_label(zone, language)) for zone in top),
        *(choice for choice in _sorted_choices(language) if choice[0] not in top),
    ]
