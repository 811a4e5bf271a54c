"""Times at the venue: the IANA zone check and wall-clock times turned into UTC.

Events store UTC and keep their venue's zone; a time typed for the venue is read in that
zone, and a time the clocks skip or pass twice when daylight saving changes is refused.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from concord.core import dates


def check_zone(name: str) -> str:
    name = (name or "").strip()
    if name not in available_timezones():
        raise ValidationError(
            {
                "time_zone": [
                    _("“%(zone)s” is not an IANA time zone, e.g. Europe/Paris.")
                    % {"zone": name[:64]}
                ]
            }
        )
    return name


def local_to_utc(value: datetime, zone_name: str, field_name: str = "starts_at") -> datetime:
    """A wall-clock time at the venue, in UTC. Refuses a time the clocks skip (it never
    happens there) or pass twice (it would be ambiguous) when daylight saving changes.
    An aware value is taken as it is."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    zone = ZoneInfo(zone_name)
    first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        raise ValidationError(
            {
                field_name: [
                    _(
                        "%(time)s does not exist in %(zone)s: the clocks skip it when "
                        "daylight saving time changes. Choose another time."
                    )
                    % {"time": dates.when(value, "datetime"), "zone": zone_name}
                ]
            }
        )
    if first.utcoffset() != second.utcoffset():
        raise ValidationError(
            {
                field_name: [
                    _(
                        "%(time)s happens twice in %(zone)s: the clocks go back that night. "
                        "Choose a time outside that hour."
                    )
                    % {"time": dates.when(value, "datetime"), "zone": zone_name}
                ]
            }
        )
    return first.astimezone(UTC)
