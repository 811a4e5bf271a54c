"""What a form kept on a device without network says when it is sent later (forum mode,
web/static/web/offline.js): the device's time of the act, in the `Signed-On-Device-At`
header. The server's own time of receipt is kept beside it; a clock far off is flagged for
review by the app that records the act, never refused."""

from datetime import datetime

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

HEADER = "Signed-On-Device-At"


def device_time(request: HttpRequest) -> datetime | None:
    """The device's time of the act (aware), or None if the request is not a kept form or
    the time is unreadable or has no time zone."""
    value = request.headers.get(HEADER, "").strip()
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment
