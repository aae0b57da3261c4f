"""Time zones as exports name them: every Windows zone of CLDR's table (as icalendar ships it),
and the display names Outlook and OWA write, each checked against the offset it shows."""

from datetime import datetime, timedelta

import pytest
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from syncsim.harness.tools.formats.timezones import display_zone, zone


def test_every_windows_zone_of_the_cldr_table_is_known() -> None:
    unknown = [name for name in WINDOWS_TO_OLSON if zone(name) is None]
    assert not unknown and len(WINDOWS_TO_OLSON) > 100


@pytest.mark.parametrize(
    ("display", "offset_hours"),
    [  # as OWA, Outlook and Exchange wrote them in public files and issues
        ("(UTC-05:00) Eastern Time (US & Canada)", -5),
        ("(UTC-08:00) Pacific Time (US & Canada)", -8),
        ("(GMT+10:00) Canberra, Melbourne, Sydney", 10),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", 1),
        ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", 1),
        ("(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb", 1),
        ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", 0),
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", 5.5),
        ("(UTC-10:00) Hawaii", -10),
        ("(UTC) Coordinated Universal Time", 0),
    ],
)
def test_a_display_name_is_the_zone_of_its_offset(display: str, offset_hours: float) -> None:
    found = zone(display)
    assert found is not None
    january, july = (datetime(2025, month, 15, tzinfo=found).utcoffset() for month in (1, 7))
    assert min(january, july) == timedelta(hours=offset_hours)  # type: ignore[type-var]


@pytest.mark.parametrize(
    "display",
    ["(UTC-05:00) Custom Eastern", "(UTC+03:00) Amsterdam", "Eastern Time (US & Canada)", "(UTC+25:00) Mars"],
)
def test_a_display_name_whose_parts_do_not_agree_with_its_offset_stays_unknown(display: str) -> None:
    assert display_zone(display) is None
