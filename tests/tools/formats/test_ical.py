"""iCalendar as Outlook writes it (tests/data/ical): attendees and organizer read, the whole
recurrence pattern with its exceptions on the series (EXDATE deleted, RECURRENCE-ID changed), no
false notes, and icalendar's collected errors refused at their own line."""

from datetime import UTC, datetime, timedelta

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
        "RequiredAttendees": "Ann Smith <ann@contoso.com>; dave@contoso.com",
        "OptionalAttendees": "Bob Lee <bob@contoso.com>",
        "Organizer": "Carol Jones <carol@contoso.com>",
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


def test_a_description_run_over_unfolded_lines_loads_joined_as_outlook_shows_it(tmp_path):
    """As Exchange 2010 wrote some descriptions: icalendar's error names no property (the reader
    once raised AttributeError on it, then refused the file); the lines are the description's."""
    path = tmp_path / "exchange-2010.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:Microsoft Exchange Server 2010\r\nBEGIN:VEVENT\r\n"
        b"UID:abc-1\r\nSUMMARY:Budget review\r\nDTSTART:20101110T090000Z\r\nDTEND:20101110T100000Z\r\n"
        b"DESCRIPTION:First line of the agenda\r\nsecond line written without folding\r\nthird, last\r\n"
        b"LOCATION:Room 4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = read_ics(path)
    [item] = calendar.items
    assert (
        item.properties["Body"]
        == "First line of the agenda\nsecond line written without folding\nthird, last"
    )
    assert item.properties["Location"] == "Room 4"
    assert calendar.notes == [
        f"{path}:10: VEVENT 'Budget review': DESCRIPTION runs on over 2 line(s) without folding "
        "(as Exchange 2010 writes it): joined with line breaks, as Outlook shows it"
    ]


def test_a_mended_stray_line_still_names_the_property_that_is_bad(tmp_path):
    path = tmp_path / "broken.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nSUMMARY:Review\nnot a property\n"
        "DTSTART:2010-11-10\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    with pytest.raises(FormatError) as refused:
        read_ics(path)
    said = str(refused.value)
    assert said.startswith(f"{path}:7: VEVENT ") and ": DTSTART: " in said


def test_an_outlook_16_meeting_in_a_windows_zone_reads_whole_and_notes_its_alarm():
    path = ICAL / "outlook-16-windows-zone-alarm.ics"
    calendar = read_ics(path)
    [item] = calendar.items
    props = item.properties
    assert props["Start"].utcoffset().total_seconds() == 3600  # W. Europe Standard Time, from its VTIMEZONE
    assert props["Start"].astimezone(UTC) == datetime(2026, 1, 7, 9, 0, tzinfo=UTC)
    assert props["Subject"] == "Budget review" and props["Body"] == "Agenda:\n1. Budget\n2. Hiring\n"
    assert (props["RequiredAttendees"], props["OptionalAttendees"], props["Organizer"]) == (
        "Ann Smith <ann@contoso.com>",
        "Bob Lee <bob@contoso.com>",
        "Carol Jones <carol@contoso.com>",
    )
    assert props["Importance"] == 1  # X-MICROSOFT-CDO-IMPORTANCE
    assert calendar.notes == [  # a reminder is not synced: said, not dropped quietly
        f"{path}:21: 'Budget review': 1 VALARM(s) not imported "
        "(Outlook's reminder, which syncsim does not sync)"
    ]


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


def test_owa_display_name_zones_spaced_weekdays_rooms_and_cancellations(tmp_path):
    """What OWA and Exchange write: a Windows display name as TZID (quoted, or not, its offset's
    colon and all) with no VTIMEZONE, BYDAY with spaces, a room among the attendees, a cancelled
    meeting. Each is read as Outlook reads it, or left out with a note; none refuses the file."""
    path = tmp_path / "owa.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:o1\nSUMMARY:Standup\n"
        'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20260907T090000\n'
        "DTEND;TZID=(GMT+10:00) Canberra, Melbourne, Sydney:20260908T000000\n"
        "RRULE:FREQ=WEEKLY;BYDAY=MO, TU, WE\n"
        "ATTENDEE;CN=Board Room;CUTYPE=ROOM:mailto:room@contoso.com\n"
        "ATTENDEE;CN=Ann Smith:mailto:ann@contoso.com\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:o2\nSUMMARY:Called off\nSTATUS:CANCELLED\nDTSTART:20260906T090000Z\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    calendar = read_ics(path)
    [standup] = (item.properties for item in calendar.items)
    # as instants: icalendar keeps, per process, the VTIMEZONEs of files read before under their TZID
    assert standup["Start"].astimezone(UTC) == datetime(2026, 9, 7, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert standup["End"].utcoffset() == timedelta(hours=10)  # AEST, in September
    assert standup["End"] - standup["Start"] == timedelta(hours=1)  # 09:00 EDT is 23:00 AEST
    assert standup["RecurrencePattern"]["DayOfWeekMask"] == 2 | 4 | 8
    assert standup["RequiredAttendees"] == "Ann Smith <ann@contoso.com>"
    assert calendar.notes == [
        f"{path}:9: 'Standup': Board Room <room@contoso.com> is a room or resource (Outlook's Resources, "
        "not synced): not imported as an attendee",
        f"{path}:12: 'Called off': STATUS:CANCELLED, a cancelled meeting, no live appointment: not imported",
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r", "\r\r\n"], ids=["LF", "CRLF", "CR", "CR-CR-LF"])
def test_a_bad_value_is_named_at_its_line_whatever_the_line_ends(tmp_path, end):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:x", "SUMMARY:Kick-off", "DTSTART:soon"]
    path = tmp_path / "ends.ics"
    path.write_bytes(end.join([*lines, "END:VEVENT", "END:VCALENDAR", ""]).encode())
    with pytest.raises(FormatError) as refused:
        read_ics(path)
    assert str(refused.value).startswith(f"{path}:6: VEVENT 'Kick-off': DTSTART: ")


def test_occurrences_of_a_public_series_with_exceptions_and_deleted_dates():
    """ical.js's Zimbra series (the first Tuesday of each month, 10:00 Los Angeles): October moved
    to 15:00, December deleted. Its other exception names an original start the rule never makes
    (5 November 18:00 UTC, where the rule's is the 6th): recurring-ical-events shows it beside the
    November occurrence, and so does the Graph face's calendar view."""
    from syncsim.harness.tools.formats import ical

    items = ical.read(DATA / "public" / "icaljs-recur-instances-zimbra.ics").items
    (series,) = [i.fields for i in items if i.fields.get("RecurrencePattern")]
    found = ical.occurrences(series, datetime(2012, 9, 1, tzinfo=UTC), datetime(2013, 2, 1, tzinfo=UTC))
    shown = [(o.start.astimezone(UTC).strftime("%Y-%m-%d %H:%M"), o.exception) for o in found]
    assert shown == [
        ("2012-10-02 22:00", True),
        ("2012-11-06 18:00", False),
        ("2012-11-07 04:00", True),
        ("2013-01-01 18:00", False),
    ]
