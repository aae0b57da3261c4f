"""iCalendar as Outlook writes it (tests/data/ical): attendees and organizer read, the whole
recurrence pattern with its exceptions on the series (EXDATE deleted, RECURRENCE-ID changed), no
false notes, and icalendar's collected errors refused at their own line."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.formats.ical import read_ics

DATA = Path(__file__).parent / "data" / "ical"


def test_a_series_with_attendees_and_an_exception_lands_in_the_right_fields_and_says_what_it_left():
    path = DATA / "outlook-series-attendees-exception.ics"
    calendar = read_ics(path)
    [item] = calendar.items
    assert item.kind == "appointment"
    assert item.properties == {
        "Subject": "Weekly standup",
        "Location": "Room 4",
        "Start": datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        "End": datetime(2026, 1, 5, 9, 15, tzinfo=UTC),
        "AllDayEvent": False,
        "RequiredAttendees": "Ann Smith; dave@contoso.com",
        "OptionalAttendees": "Bob Lee",
        "Organizer": "Carol Jones",
        "IsRecurring": True,
        "RecurrencePattern": {
            "RecurrenceType": "weekly",
            "Interval": 1,
            "DayOfWeekMask": 2 | 4,  # Monday and Tuesday, Outlook's olMonday | olTuesday
            "PatternEndDate": datetime(2026, 3, 1, tzinfo=UTC),
            "Exceptions": [
                {"OriginalDate": datetime(2026, 1, 12, 9, 0, tzinfo=UTC), "Deleted": True},
                {
                    "OriginalDate": datetime(2026, 1, 19, 9, 0, tzinfo=UTC),
                    "Deleted": False,
                    "Start": datetime(2026, 1, 19, 10, 0, tzinfo=UTC),
                    "End": datetime(2026, 1, 19, 10, 15, tzinfo=UTC),
                    "Subject": "Weekly standup (moved)",
                },
            ],
        },
    }
    assert calendar.notes == []


def test_an_error_icalendar_collects_is_refused_at_its_own_line():
    path = DATA / "bad-dtstart-line-7.ics"
    with pytest.raises(FormatError) as refused:
        read_ics(path)
    assert str(refused.value).startswith(f"{path}:7: VEVENT 'Kick-off': DTSTART: ")


def test_an_outlook_16_meeting_in_a_windows_zone_with_an_alarm_reads_whole_and_quietly():
    path = DATA / "outlook-16-windows-zone-alarm.ics"
    calendar = read_ics(path)
    [item] = calendar.items
    props = item.properties
    assert props["Start"].utcoffset().total_seconds() == 3600  # W. Europe Standard Time, from its VTIMEZONE
    assert props["Start"].astimezone(UTC) == datetime(2026, 1, 7, 9, 0, tzinfo=UTC)
    assert props["Subject"] == "Budget review" and props["Body"] == "Agenda:\n1. Budget\n2. Hiring\n"
    assert (props["RequiredAttendees"], props["OptionalAttendees"], props["Organizer"]) == (
        "Ann Smith",
        "Bob Lee",
        "Carol Jones",
    )
    assert props["Importance"] == 1  # X-MICROSOFT-CDO-IMPORTANCE
    assert calendar.notes == []
