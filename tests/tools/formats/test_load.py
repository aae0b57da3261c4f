"""Every export an administrator has, read as Outlook, Exchange and Dynamics write it (the samples
in tests/data): values land in the right fields, a bad item is refused at its own line while the
others load (--skip-bad), a file given for the wrong side says what it is, bad input never ends in
a traceback, and syncsim inspect prints what was read from each sample."""

import json
from datetime import UTC, datetime

import pytest
from paths import DATA

from syncsim.harness.tools.cli import main
from syncsim.harness.tools.formats.errors import FormatError, FormatErrors
from syncsim.harness.tools.formats.load import load

SAMPLES = sorted(p for folder in ("csv", "ical", "json", "vcard", "xlsx") for p in (DATA / folder).iterdir())


def fields_of(path, skip_bad=True, **options):
    export = load(path, skip_bad=skip_bad, **options)
    return {item.label: item.fields for item in export.items}, export


# -- values land in the right fields -----------------------------------------------------------------


def test_outlook_csv_export_in_windows_1252_with_street_2_and_empty_dates():
    contacts, export = fields_of(DATA / "csv" / "outlook-export-windows-1252-bad-birthday-line-5.csv")
    juergen = contacts["Jürgen Müller"]
    assert juergen["BusinessAddressStreet"] == "Hauptstraße 5\nHinterhaus"
    assert (juergen["BusinessAddressCity"], juergen["HomeAddressCity"]) == ("Berlin", "Potsdam")
    assert (
        juergen["Birthday"] == datetime(1975, 4, 12, tzinfo=UTC) and "Anniversary" not in juergen
    )  # 0/0/00: empty
    assert juergen["OfficeLocation"] == "Raum 3.04" and juergen["Body"] == "Erste Zeile\nZweite Zeile"
    assert juergen["SelectedMailingAddress"] == "business"
    assert contacts["Ann Smith"]["SelectedMailingAddress"] == "home"  # her only address
    assert any("assumed the first filled of Business, Home, Other" in n for n in export.notes)
    assert any("Windows-1252" in n for n in export.notes)
    assert "Hobby" in export.unknown and "User 1" in export.unknown


def test_the_mailing_address_assumption_can_be_chosen():
    contacts, export = fields_of(
        DATA / "csv" / "outlook-export-windows-1252-bad-birthday-line-5.csv", mailing="home"
    )
    assert {c["SelectedMailingAddress"] for c in contacts.values()} == {"home"}
    assert any("assumed home (--mailing-address)" in n for n in export.notes)


def test_dynamics_display_name_csv_maps_to_logical_names_and_option_labels():
    records, export = fields_of(DATA / "csv" / "dynamics-display-names.csv")
    ann = records["Ann Smith"]
    assert ann["address1_city"] == "Leeds" and ann["address1_postalcode"] == "LS1 4AP"
    assert ann["address3_stateorprovince"] == "West Yorkshire"  # Dynamics' "Address3:" heading
    assert ann["telephone1"] == "+44 113 000 0001" and ann["statecode"] == 0  # "Active"
    assert ann["birthdate"] == datetime(1975, 4, 12, tzinfo=UTC)
    assert export.format == "CRM CSV with display names (contact)" and export.unknown == ["Account Rating"]


def test_dynamics_excel_export_uses_its_hidden_columns_for_entity_ids_and_modified_on():
    records, export = fields_of(DATA / "xlsx" / "dynamics-export-contacts-bad-birthday-row-4.xlsx")
    ann = records["Ann Smith"]
    assert ann["contactid"] == "9f8e7d6c-0000-4000-8000-000000000001"
    assert ann["modifiedon"] == datetime(2026, 1, 5, 9, 0, tzinfo=UTC) and ann["birthdate"] == datetime(
        1975, 4, 12, tzinfo=UTC
    )
    assert export.format == "Dynamics 365 Export to Excel (contact)"
    [skipped] = export.skipped
    assert (skipped.line, skipped.problem) == (
        4,
        "birthdate: 'soon' is not a date (ISO 8601, or month/day/year as US exports write)",
    )


def test_dataverse_pages_single_records_and_expanded_attachments():
    records, export = fields_of(DATA / "json" / "dataverse-contacts-page-with-nextlink.json")
    assert records["Ann Smith"]["address1_city"] == "Leeds" and "address1_city" not in records["Ben Lund"]
    assert any("@odata.nextLink" in n for n in export.notes)
    [cai] = fields_of(DATA / "json" / "dataverse-contact-single-record.json")[0].values()
    assert cai["description"] == "Met at the Oslo fair.\nPrefers email."
    export = load(
        DATA / "json" / "dataverse-appointments-expanded-attachments-bad-record-2.json", skip_bad=True
    )
    review = export.items[0]
    assert review.attachments["notes.txt"] == b"Hello, world!" and set(review.attachments) == {
        "agenda.pdf",
        "notes.txt",
    }
    assert review.fields["scheduledstart"] == datetime(2026, 1, 7, 9, 0, tzinfo=UTC)
    assert [p.line for p in export.skipped] == [19]  # record 2, at its own line of the file


def test_graph_contacts_and_a_calendar_view_with_a_series_its_exceptions_and_zones():
    contacts, export = fields_of(DATA / "json" / "graph-contacts-page.json")
    ann = contacts["Ann Smith"]
    assert (ann["Email1Address"], ann["Email2Address"]) == ("ann.smith@contoso.example", "ann@home.example")
    assert ann["Business2TelephoneNumber"] == "+44 113 000 0002" and ann["Children"] == "Tom; Eva"
    assert ann["BusinessAddressPostalCode"] == "LS1 4AP" and ann["HomeAddressStreet"] == "7 Elm Road"
    assert [p.line for p in export.skipped] == [33]  # businessPhones as a string, not a list
    events, export = fields_of(DATA / "json" / "graph-events-recurrence-attachments-zones.json")
    standup = events["Weekly standup"]
    assert standup["Start"].utcoffset().total_seconds() == 3600  # W. Europe Standard Time, in January
    pattern = standup["RecurrencePattern"]
    assert (pattern["RecurrenceType"], pattern["DayOfWeekMask"]) == ("weekly", 2 | 8)  # Monday, Wednesday
    assert [e["Deleted"] for e in pattern["Exceptions"]] == [False, True]
    assert export.items[0].attachments == {"agenda.docx": b"PK\x03\x04\x14\x00\x00\x00\x08\x00"}
    assert events["Month-end close"]["Importance"] == 2
    assert "Atlantis Standard Time" in str(export.skipped[0])


def test_icalendar_series_with_weekdays_end_exceptions_nth_weekday_and_tasks():
    items, export = fields_of(DATA / "ical" / "mon-fri-until-exdate-monthly-last-friday-tasks.ics")
    weekdays = items["Morning check-in"]["RecurrencePattern"]
    assert weekdays["DayOfWeekMask"] == 2 | 4 | 8 | 16 | 32 and weekdays["RecurrenceType"] == "weekly"
    assert weekdays["PatternEndDate"] == datetime(2026, 2, 27, 8, 0, tzinfo=UTC)
    assert [e["OriginalDate"].day for e in weekdays["Exceptions"]] == [19, 16]
    last_friday = items["Month-end close"]["RecurrencePattern"]
    assert (last_friday["Instance"], last_friday["DayOfWeekMask"], last_friday["Occurrences"]) == (5, 32, 6)
    assert items["Audit"]["RecurrencePattern"] | {} == {
        "RecurrenceType": "yearly",
        "Interval": 1,
        "DayOfMonth": 15,
        "MonthOfYear": 3,
    }
    assert items["Book the venue"]["Complete"] and items["Send the contract"]["Importance"] == 2
    assert any("RDATE" in n and ":12:" in n for n in export.notes)


def test_icalendar_windows_and_owa_zones_and_one_bad_component_never_sinks_the_file():
    path = DATA / "ical" / "owa-zone-bad-vtimezone-byday-unknown-zone.ics"
    items, export = fields_of(path)
    assert items["Quarterly review"]["Start"].astimezone(UTC) == datetime(2026, 7, 10, 13, 0, tzinfo=UTC)
    assert items["Lunch"]["Start"].astimezone(UTC) == datetime(2026, 7, 13, 19, 0, tzinfo=UTC)
    # BYDAY=MO, TU with spaces: Outlook reads it, so the reader does (Monday 2 + Tuesday 4)
    assert items["Odd weekdays"]["RecurrencePattern"]["DayOfWeekMask"] == 6
    assert [p.line for p in export.skipped] == [19, 36, 47]
    with pytest.raises(FormatErrors) as refused:
        load(path)
    assert len(refused.value.problems) == 3 and "--skip-bad loads the rest" in str(refused.value)


def test_vcard_office_fax_photo_and_a_bad_card_among_good_ones():
    contacts, export = fields_of(DATA / "vcard" / "outlook-2.1-office-fax-photo-3-cards-one-bad.vcf")
    sara = contacts["Sara Lindqvist"]
    assert sara["OfficeLocation"] == "Room 4.12" and sara["BusinessAddressStreet"] == "Drottninggatan 1"
    assert sara["BusinessFaxNumber"] == "+46 8 123 46" and sara["Department"] == "Purchasing"
    assert sara["SelectedMailingAddress"] == "home"
    assert contacts["Lise Haugen"]["HomeAddressCity"] == "Oslo"  # the 3.0 card after the bad one
    assert [p.line for p in export.skipped] == [21]
    assert any("PHOTO of 1 contact(s) not imported" in n for n in export.notes)


# -- the wrong file, the wrong side, bad bytes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "side", "message"),
    [
        (DATA / "csv" / "outlook-export.csv", "crm", "this is an Outlook CSV export"),
        (DATA / "json" / "graph-contacts-page.json", "crm", "Microsoft Graph JSON of a mailbox"),
        (DATA / "xlsx" / "dynamics-export-contacts-bad-birthday-row-4.xlsx", "outlook", "pass it as --crm"),
        (DATA / "csv" / "dynamics-display-names.csv", "outlook", "a CSV of CRM records"),
        (DATA / "vcard" / "broken-line-5.vcf", "crm", "pass it as --outlook"),
    ],
)
def test_a_file_given_for_the_wrong_side_says_what_it_is(path, side, message):
    with pytest.raises(FormatError) as refused:
        load(path, side)
    assert refused.value.line == 1 and message in refused.value.problem


def deep(tmp):
    path = tmp / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "an empty file"),
        ("empty.json", b"  \n", "an empty file"),
        ("binary.csv", b"\x00\x01\x02PNG", "a binary file"),
        ("binary.vcf", b"\x89PNG\r\n\x1a\n\x00\x00", "BEGIN:VCARD"),
        ("wrong.json", b'{"value": "not a list"}', '"value" holds a list'),
        ("types.json", b'{"value": [{"contactid": "x", "firstname": {"a": 1}}]}', "not text"),
        ("odd.xlsx", b"PK\x03\x04 but no workbook", "not an Excel workbook"),
        ("what.txt", b"hello", "not a format syncsim reads"),
    ],
)
def test_bad_bytes_are_one_line_at_their_place(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatError) as refused:
        load(path)
    assert message in str(refused.value)


def test_json_nested_too_deeply_and_a_128_kb_cell(tmp_path):
    with pytest.raises(FormatError, match="nested too deeply"):
        load(deep(tmp_path))
    big = tmp_path / "big.csv"
    big.write_text("firstname,lastname,description\nAnn,Smith," + "x" * 200_000 + "\n")
    [ann] = load(big).items
    assert len(ann.fields["description"]) == 200_000


def test_duplicate_display_names_name_both_columns(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("First Name,Email,firstname\nAnn,a@x,Ann\n")
    with pytest.raises(
        FormatError, match=r"columns 1 \('First Name'\) and 3 \('firstname'\) both hold firstname"
    ):
        load(path)


# -- syncsim inspect -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_inspect_prints_what_each_sample_holds_or_why_it_is_refused(sample, capsys):
    code = main(["inspect", str(sample), "--skip-bad", "--json"])
    out, err = capsys.readouterr()
    if code == 2:  # refused as a whole: one problem for the file, at its line
        assert err.startswith(f"syncsim inspect: {sample}:") and "Traceback" not in err
        return
    data = json.loads(out)
    assert code == 0 and data["file"] == str(sample) and (data["items"] or data["skipped"])
    assert all(item["line"] >= 1 and item["fields"] for item in data["items"])
    assert all(skipped.startswith(f"{sample}:") for skipped in data["skipped"])
    assert main(["inspect", str(sample), "--skip-bad"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"{sample}: ")
    assert all(f"line {item['line']}: " in text for item in data["items"])


def test_a_google_contacts_csv_is_refused_saying_what_it_is(tmp_path):
    """Google's own CSV (its header as Google Contacts exports it) is no CRM export and no
    Outlook one: refused on either side, with the way to a file syncsim reads."""
    path = tmp_path / "google.csv"
    path.write_text(
        "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
        "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,"
        "Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,"
        "Priority,Subject,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
        "Phone 1 - Value,Address 1 - Type,Address 1 - Formatted,Address 1 - City\n"
        "Ann Smith,Ann,,Smith,,,,,,,,,,,,,,,,,,,,,,,* myContacts,* Work,ann@contoso.com,Mobile,555,Home,"
        "1 Elm,Paris\n"
    )
    for side in (None, "crm", "outlook"):
        with pytest.raises(FormatError) as refused:
            load(path, side)  # type: ignore[arg-type]
        assert "this looks like a Google Contacts CSV export" in str(refused.value)
        assert "export the contacts as vCard" in str(refused.value)


def test_an_older_outlook_csv_header_names_the_country_without_region(tmp_path):
    path = tmp_path / "outlook-2003.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address,Business Street,Business City,Business Country,Home Country\n"
        "Ann,Smith,ann@contoso.com,1 Elm,Paris,France,Italy\n"
    )
    [item] = load(path).items
    assert (item.fields["BusinessAddressCountry"], item.fields["HomeAddressCountry"]) == ("France", "Italy")


def test_a_graph_delta_page_says_what_was_removed_and_a_room_is_no_attendee(tmp_path):
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
        "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x",
        "value": [
            {
                "id": "AAA",
                "subject": "Kick-off",
                "start": {"dateTime": "2026-01-05T09:00:00.0000000", "timeZone": "UTC"},
                "end": {"dateTime": "2026-01-05T10:00:00.0000000", "timeZone": "UTC"},
                "attendees": [
                    {"type": "required", "emailAddress": {"name": "Ann", "address": "ann@contoso.com"}},
                    {"type": "resource", "emailAddress": {"name": "Room 4", "address": "room4@contoso.com"}},
                ],
            },
            {"id": "BBB", "@removed": {"reason": "deleted"}},
        ],
    }
    path = tmp_path / "delta.json"
    path.write_text(json.dumps(page, indent=2))
    export = load(path)
    [event] = export.items
    assert event.fields["RequiredAttendees"] == "Ann <ann@contoso.com>"
    assert any("Room 4 <room4@contoso.com> is a room or resource" in note for note in export.notes)
    assert any("item 2 (BBB) is a delta page's @removed: not an item" in note for note in export.notes)
