"""iCalendar as Outlook writes it (tests/data/ical): attendees and organizer read, the whole
recurrence pattern with its exceptions on the series (EXDATE deleted, RECURRENCE-ID changed), no
false notes, and icalendar's collected errors refused at their own line."""

from datetime import UTC, datetime

import pytest
from paths import DATA

from syncsim.harness import World
from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.formats.ical import CalendarItem, read_ics, write_ics

ICAL = DATA / "ical"


def test_a_series_with_attendees_and_an_exception_lands_in_the_right_fields_and_says_what_it_left():
    path = ICAL / "outlook-series-attendees-exception.ics"
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
    path = ICAL / "bad-dtstart-line-7.ics"
    with pytest.raises(FormatError) as refused:
        read_ics(path)
    assert str(refused.value).startswith(f"{path}:7: VEVENT 'Kick-off': DTSTART: ")


def test_a_value_run_over_unfolded_lines_is_refused_at_the_first_of_them(tmp_path):
    """As Exchange 2010 wrote some descriptions: icalendar's error names no property, and the
    reader names the line that is none (it once raised AttributeError on the missing name)."""
    path = tmp_path / "exchange-2010.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:Microsoft Exchange Server 2010\r\nBEGIN:VEVENT\r\n"
        b"UID:abc-1\r\nSUMMARY:Budget review\r\nDTSTART:20101110T090000Z\r\nDTEND:20101110T100000Z\r\n"
        b"DESCRIPTION:First line of the agenda\r\nsecond line written without folding\r\nthird line\r\n"
        b"LOCATION:Room 4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(FormatError) as refused:
        read_ics(path)
    said = str(refused.value)
    assert said.startswith(f"{path}:10: VEVENT 'Budget review': line 10 is no property (")
    assert "must continue each with a space (folding)" in said


def test_an_outlook_16_meeting_in_a_windows_zone_with_an_alarm_reads_whole_and_quietly():
    path = ICAL / "outlook-16-windows-zone-alarm.ics"
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


def _present(item: dict) -> dict:
    return {k: v for k, v in item.items() if v not in (None, "")}


def test_appointments_and_tasks_round_trip_through_icalendar(tmp_path):
    world = World(seed=4)
    now = world.clock.now()
    items = [
        CalendarItem("appointment", world.factory.outlook_appointment(now, recurring=True)),
        CalendarItem(
            "appointment", world.factory.outlook_appointment(now), {"agenda.pdf": bytes(range(256))}
        ),
        CalendarItem("task", world.factory.outlook_task(now)),
    ]
    write_ics(tmp_path / "c.ics", items)
    back = read_ics(tmp_path / "c.ics")
    assert [(i.kind, i.properties, i.attachments) for i in back.items] == [
        (i.kind, _present(i.properties), i.attachments) for i in items
    ]


def test_icalendar_notes_attachments_by_uri_and_rejects_bad_input(tmp_path):
    path = tmp_path / "c.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Review\nDTSTART:20260105T090000Z\n"
        "ATTACH:https://example.com/deck.pdf\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    calendar = read_ics(path)
    assert calendar.items[0].attachments == {}
    assert calendar.notes == [
        f"{path}:5: 'Review': attachment by URI not imported: https://example.com/deck.pdf"
    ]
    path.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Odd\nDTSTART:20260105T090000Z\nRRULE:FREQ=SECONDLY\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(FormatError, match="VEVENT 'Odd': RRULE FREQ 'SECONDLY'"):
        read_ics(path)
    path.write_text("not a calendar")
    with pytest.raises(FormatError, match="not iCalendar"):
        read_ics(path)


def test_a_series_with_its_pattern_and_exceptions_round_trips_through_icalendar(tmp_path):
    """What the reader takes from Outlook's .ics (weekdays, nth weekday, end, deleted and moved
    occurrences) the writer writes back, and reading that gives the same items."""
    source = ICAL
    items = read_ics(source / "mon-fri-until-exdate-monthly-last-friday-tasks.ics").items
    items += read_ics(source / "outlook-series-attendees-exception.ics").items
    write_ics(tmp_path / "again.ics", items)
    again = read_ics(tmp_path / "again.ics").items
    people = ("RequiredAttendees", "OptionalAttendees", "Organizer")  # written by name only: not read back
    assert [(i.kind, {k: v for k, v in i.properties.items() if k not in people}) for i in again] == [
        (i.kind, {k: v for k, v in i.properties.items() if k not in people}) for i in items
    ]
