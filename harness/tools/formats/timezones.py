"""Time zones as exports name them: IANA names, Windows names (Outlook, Exchange, Graph), and the
zones an .ics file defines itself in a VTIMEZONE (OWA's "(UTC-05:00) Eastern Time (US & Canada)").

Windows names are resolved with the mapping icalendar ships, generated from Unicode CLDR's
windowsZones.xml; a VTIMEZONE is read by icalendar itself. OWA and Outlook also write a zone's
Windows *display name* ("(UTC-05:00) Eastern Time (US & Canada)", "(GMT+10:00) Canberra,
Melbourne, Sydney"), which no maintained table ships: such a name is read from its own parts and
checked against its offset (:func:`display_zone`). A name none of these knows is unknown: the
caller reports it rather than guessing an offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON


def zone(name: str) -> tzinfo | None:
    """The zone called ``name`` (IANA or Windows), or None when neither knows it."""
    name = name.strip()
    if name.upper() in ("UTC", "Z", "GMT", "ETC/UTC"):
        return UTC
    for candidate in (name, WINDOWS_TO_OLSON.get(name)):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return display_zone(name)


#: "(UTC-05:00) Eastern Time (US & Canada)", "(GMT+10:00) Canberra, Melbourne, Sydney", "(UTC) ..."
_DISPLAY = re.compile(r"^\((?:UTC|GMT)(?:([+-])(\d\d):(\d\d))?\)\s*(.+)$")


def display_zone(name: str) -> tzinfo | None:
    """The zone of a Windows display name, or None. Its text names either cities (each tried as
    the city of an IANA zone: "Canberra, Melbourne, Sydney") or a region's time ("Eastern Time
    (US & Canada)", the Windows zone "Eastern Standard Time" of CLDR's table); a candidate counts
    only when its standard offset is the one the name shows, so a misread name stays unknown."""
    found = _DISPLAY.match(name.strip())
    if found is None:
        return None
    sign, hours, minutes, text = found.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    if not sign and re.match(r"(?i)(coordinated universal time|utc)\b", text):
        return UTC
    region = re.sub(r"\s*\(.*\)$", "", text).strip()
    candidates = [WINDOWS_TO_OLSON.get(re.sub(r" Time$", " Standard Time", region))]
    candidates += [_CITIES().get(city.strip().lower()) for city in text.split(",")]
    candidates += [olson for windows, olson in sorted(WINDOWS_TO_OLSON.items()) if windows.startswith(region)]
    for candidate in candidates:
        if candidate and _standard_offset(candidate) == offset:
            return ZoneInfo(candidate)
    return None


@cache
def _CITIES() -> dict[str, str]:  # noqa: N802 (a table, made once)
    """City name (lower case, as "new york") -> its IANA zone, from the zones tzdata ships."""
    cities: dict[str, str] = {}
    for key in sorted(available_timezones()):
        if "/" in key and not key.startswith(("Etc/", "SystemV/", "US/")):
            cities.setdefault(key.rsplit("/", 1)[1].replace("_", " ").lower(), key)
    return cities


def _standard_offset(key: str) -> timedelta | None:
    """A zone's offset outside daylight saving time: the smaller of January's and July's (in
    either hemisphere, and for Dublin, whose winter time is the "daylight" one)."""
    try:
        zone_info = ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offsets = [datetime(2025, month, 15, tzinfo=zone_info).utcoffset() for month in (1, 7)]
    return min(offset for offset in offsets if offset is not None)
