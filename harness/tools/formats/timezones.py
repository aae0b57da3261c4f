"""Time zones as exports name them: IANA names, Windows names (Outlook, Exchange, Graph), and the
zones an .ics file defines itself in a VTIMEZONE (OWA's "(UTC-05:00) Eastern Time (US & Canada)").

Windows names are resolved with the mapping icalendar ships, generated from Unicode CLDR's
windowsZones.xml; a VTIMEZONE is read by icalendar itself. A name none of these knows is unknown:
the caller reports it rather than guessing an offset.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    return None


def known(name: str) -> bool:
    return zone(name) is not None
