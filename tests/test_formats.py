"""Importers and exporters: vCard (Outlook's 2.1, 3.0, 4.0), iCalendar, CRM CSV and Web API JSON."""

from datetime import timedelta
from pathlib import Path

import pytest

from syncsim.harness import World
from syncsim.harness.tools.formats.crmfiles import read_crm, write_csv, write_json
from syncsim.harness.tools.formats.errors import FormatError, safe_filename
from syncsim.harness.tools.formats.ical import CalendarItem, read_ics, write_ics
from syncsim.harness.tools.formats.vcard import read_vcf, write_vcf

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _present(item: dict) -> dict:
    return {k: v for k, v in item.items() if v not in (None, "")}


def test_contacts_round_trip_through_vcard(tmp_path):
    world = World(seed=4)
    contacts = [_present(world.factory.outlook_contact()) for _ in range(20)]
    write_vcf(tmp_path / "c.vcf", contacts)
    assert read_vcf(tmp_path / "c.vcf") == contacts


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


def test_outlooks_own_vcard_21_reads_every_address_and_the_mailing_choice():
    [first, *_] = read_vcf(EXAMPLES / "outlook-contacts.vcf")
    assert first["FirstName"] and first["LastName"] and first["Email1Address"]
    assert first["BusinessAddressCity"] and first["HomeAddressCity"]
    assert first["SelectedMailingAddress"] == "business"
    sara = [c for c in read_vcf(EXAMPLES / "outlook-contacts.vcf") if c.get("OtherAddressCity")][0]
    assert sara["SelectedMailingAddress"] in ("home", "business")


def test_vcard_4_types_and_several_cards_per_file(tmp_path):
    path = tmp_path / "v4.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nN:Lund;Ben;;;\nFN:Ben Lund\nADR;TYPE=home:;;5 Road;Tromsø;;9000;Norway\n"
        "ADR;TYPE=work,pref:;;1 Quay;Oslo;;0150;Norway\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Berg;Ann;;;\nFN:Ann Berg\nADR;TYPE=INTL:;;3 Pier;Bodø;;;\nEND:VCARD\n"
    )
    ben, ann = read_vcf(path)
    assert (ben["HomeAddressCity"], ben["BusinessAddressCity"]) == ("Tromsø", "Oslo")
    assert ann["OtherAddressCity"] == "Bodø"


def test_vcard_properties_without_an_outlook_property_are_reported(tmp_path):
    path = tmp_path / "extra.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Lund;Ben;;;\nFN:Ben Lund\nGEO:59.9;10.7\nX-MS-IMADDRESS:b@im\n"
        "END:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Berg;Ann;;;\nFN:Ann Berg\nX-MS-IMADDRESS:a@im\nEND:VCARD\n"
    )
    notes: list[str] = []
    assert len(read_vcf(path, notes)) == 2
    assert notes == [
        f"{path}: GEO of 1 contact(s) not imported",
        f"{path}: X-MS-IMADDRESS of 2 contact(s) not imported",
    ]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("junk\nBEGIN:VCARD\nN:A;B\nEND:VCARD\n", 1, "text outside any BEGIN:VCARD block"),
        ("BEGIN:VCARD\nVERSION:3.0\nN:A;B\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nN:C;D\n", 5, "contact 2"),
        ("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n", 1, "without N or FN"),
        (
            "BEGIN:VCARD\nVERSION:3.0\nN:A;B\nX-MS-OL-DEFAULT-POSTAL-ADDRESS:7\nEND:VCARD\n",
            1,
            "use 0, 1, 2 or 3",
        ),
        ("", 1, "no BEGIN:VCARD found"),
    ],
)
def test_a_malformed_vcard_names_file_line_and_problem(tmp_path, text, line, problem):
    path = tmp_path / "bad.vcf"
    path.write_text(text)
    with pytest.raises(FormatError) as error:
        read_vcf(path)
    assert error.value.path == path and error.value.line == line and problem in error.value.problem


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


def test_crm_csv_and_web_api_json_round_trip(tmp_path):
    world = World(seed=4)
    rows = [world.factory.crm_contact() for _ in range(10)]
    write_csv(tmp_path / "c.csv", "contact", rows)
    write_json(tmp_path / "c.json", "contact", rows)
    assert read_crm(tmp_path / "c.csv").rows == rows
    assert read_crm(tmp_path / "c.json").rows == rows


def test_web_api_annotations_are_skipped_and_unknown_columns_reported(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(
        '{"@odata.context": "https://x/api/data/v9.2/$metadata#contacts", "value": ['
        '{"@odata.etag": "W/1", "firstname": "Ann", "_ownerid_value": "u1", "shoesize": 42,'
        ' "firstname@OData.Community.Display.V1.FormattedValue": "Ann"}]}'
    )
    records = read_crm(path)
    assert records.rows == [{"firstname": "Ann"}]
    assert records.unknown_columns == ["shoesize"]


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        ("c.csv", "firstname,lastname\nAnn\n", 2, "1 cells, but the header has 2 columns"),
        (
            "task.csv",
            "subject,prioritycode\nCall,urgent\n",
            2,
            "not a whole number or one of low, normal, high",
        ),
        ("c.csv", "", 1, "an empty file"),
        ("c.csv", "contactid,firstname\nid1,Ann\nid1,Ben\n", 3, "appears more than once"),
        ("c.json", '{"value": [1]}', 1, "record 1 is not an object"),
        ("c.json", '{"value": [}', 1, "not JSON"),
        ("c.json", '{"x": 1}', 1, 'expected a Web API result: {"value": [...]}'),
        ("c.json", "[]", 1, "no items in this Dataverse Web API JSON"),
        ("c.txt", "x", 1, "must be a .csv, an Excel .xlsx or a Web API .json file"),
    ],
)
def test_malformed_crm_files_name_file_line_and_problem(tmp_path, name, text, line, problem):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(FormatError) as error:
        read_crm(path, "task" if name.startswith("task") else "contact")
    assert (error.value.line, error.value.path) == (line, path) and problem in error.value.problem


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\x\\y.pdf", "C__x_y.pdf"),
        ("..", "attachment"),
        ("a\nb", "a_b"),
    ],
)
def test_attachment_names_are_never_paths(name, safe):
    assert safe_filename(name) == safe


def test_exported_attachment_names_are_sanitized(tmp_path):
    now = World().clock.now()
    item = CalendarItem("appointment", {"Subject": "x", "Start": now, "End": now + timedelta(hours=1)})
    item.attachments = {"../../evil.sh": b"#!"}
    write_ics(tmp_path / "c.ics", [item])
    assert list(read_ics(tmp_path / "c.ics").items[0].attachments) == ["_.._evil.sh"]


CSV_DATA = Path(__file__).parent / "data" / "csv"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("outlook-export.csv", "this is an Outlook CSV export (File > Export > Comma Separated Values)"),
        ("duplicate-header.csv", "columns 1 ('firstname') and 4 ('firstname') both hold firstname"),
        ("no-crm-columns.csv", "no column is an attribute of contact"),
    ],
)
def test_a_csv_that_cannot_be_crm_records_is_refused_saying_what_it_is(name, message):
    with pytest.raises(FormatError) as refused:
        read_crm(CSV_DATA / name)
    assert str(refused.value).startswith(f"{CSV_DATA / name}:1: {message}")


def test_a_series_with_its_pattern_and_exceptions_round_trips_through_icalendar(tmp_path):
    """What the reader takes from Outlook's .ics (weekdays, nth weekday, end, deleted and moved
    occurrences) the writer writes back, and reading that gives the same items."""
    source = Path(__file__).parent / "data" / "ical"
    items = read_ics(source / "mon-fri-until-exdate-monthly-last-friday-tasks.ics").items
    items += read_ics(source / "outlook-series-attendees-exception.ics").items
    write_ics(tmp_path / "again.ics", items)
    again = read_ics(tmp_path / "again.ics").items
    people = ("RequiredAttendees", "OptionalAttendees", "Organizer")  # written by name only: not read back
    assert [(i.kind, {k: v for k, v in i.properties.items() if k not in people}) for i in again] == [
        (i.kind, {k: v for k, v in i.properties.items() if k not in people}) for i in items
    ]
