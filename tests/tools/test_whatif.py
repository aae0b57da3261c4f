"""syncsim whatif on the sample exports, all-or-nothing imports, and the samples kept up to date."""

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import DATA, EXAMPLES

from syncsim.harness import World
from syncsim.harness.tools.cli import main
from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.samples import PROMOTED, write_samples
from syncsim.harness.tools.simulate import FieldChange
from syncsim.harness.tools.whatif import STAGES, load, whatif

TRACKED = (EXAMPLES / "crm-contacts.csv", EXAMPLES / "outlook-contacts.vcf")
CRM_ONLY = (EXAMPLES / "crm-contacts-full.json", EXAMPLES / "outlook-contacts-names-only.vcf")
SWITCH = {"contact_address_sync": "all-three"}


def test_the_samples_are_what_the_generator_writes(tmp_path):
    """Regenerate with: syncsim samples --out examples"""
    for path in write_samples(tmp_path):
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name


def test_switching_loses_the_outlook_addresses_crm_never_had():
    result = whatif(*TRACKED, SWITCH)
    lost = result.lost_by_record()
    assert result.loaded.linked == 8 and not result.loaded.unlinked
    assert len(lost) == 8
    assert all(
        {f.removeprefix("Home").removeprefix("Other").removeprefix("Business") for f in fields}
        <= {"AddressStreet", "AddressCity", "AddressState", "AddressPostalCode", "AddressCountry"}
        for fields in lost.values()
    )
    assert {c.rule for c in result.changes if c.lost} == {"CONTACT-ADDRESS-REMAP-LOSS"}


def test_with_the_full_data_in_crm_only_nothing_is_lost():
    result = whatif(*CRM_ONLY, SWITCH)
    assert result.changes and not result.lost_by_record()
    assert {c.field[:4] for c in result.changes} == {"Home", "Othe"}


def test_without_a_change_nothing_would_differ():
    assert whatif(*TRACKED, {"contact_address_sync": "mailing-only"}).changes == []


def test_a_malformed_file_imports_nothing(tmp_path):
    bad = tmp_path / "bad.vcf"
    bad.write_text((EXAMPLES / "outlook-contacts.vcf").read_text() + "BEGIN:VCARD\nVERSION:3.0\nN:A;B\n")
    world = World()
    owner = world.add_user("owner")
    with pytest.raises(FormatError, match="bad.vcf:"):
        load(world, owner, TRACKED[0], bad)
    assert world.crm.count("contact") == 0 and world.outlook(owner).count("contact") == 0


def test_what_cannot_be_linked_is_reported(tmp_path):
    names_only = tmp_path / "few.vcf"
    names_only.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Nobody;No;;;\nFN:No Nobody\nEMAIL:no@example.com\nEND:VCARD\n"
    )
    result = whatif(TRACKED[0], names_only, SWITCH)
    assert result.loaded.linked == 0
    assert (
        len(result.loaded.unlinked) == 9 and "Outlook item No Nobody: no CRM record" in result.loaded.unlinked
    )


@pytest.mark.parametrize("suffix", [".md", ".html", ".csv"])
def test_the_whatif_command_reports_and_leaves_the_inputs_alone(tmp_path, capsys, suffix):
    before = [hashlib.sha256(p.read_bytes()).digest() for p in TRACKED]
    report = tmp_path / f"whatif{suffix}"
    argv = ["whatif", "--crm", str(TRACKED[0]), "--outlook", str(TRACKED[1])]
    assert main([*argv, "--set", "contact_address_sync=all-three", "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "would lose:" in out and "80 would be lost (CONTACT-ADDRESS-REMAP-LOSS: 80)" in out
    assert "HomeAddressCity" in report.read_text()
    assert [hashlib.sha256(p.read_bytes()).digest() for p in TRACKED] == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--set", "contact_address_sync=some"], "allowed: mailing-only, all-three"),
        (["--set", "contact_address_sync=all-three", "--report", "x.txt"], "use a .md, .html, .csv or .json"),
        (["--set", "contact_address_sync=all-three", "--link-by", "email"], "expected CRM_ATTRIBUTE=OUTLOOK"),
    ],
)
def test_whatif_bad_input(capsys, extra, message):
    assert main(["whatif", "--crm", str(TRACKED[0]), "--outlook", str(TRACKED[1]), *extra]) == 2
    assert message in capsys.readouterr().err


def test_whatif_names_a_missing_or_malformed_file(tmp_path, capsys):
    assert (
        main(
            ["whatif", "--crm", "nope.csv", "--outlook", str(TRACKED[1]), "--set", "sync_assigned_tasks=true"]
        )
        == 2
    )
    assert "nope.csv: no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("firstname,lastname\nAnn\n")
    assert (
        main(["whatif", "--crm", str(bad), "--outlook", str(TRACKED[1]), "--set", "sync_assigned_tasks=true"])
        == 2
    )
    assert f"{bad}:2: 1 cells" in capsys.readouterr().err


def test_a_direction_change_is_reported_per_record_with_the_values_that_stop_syncing():
    """The samples' first two job titles were changed in CRM since the last sync (samples.PROMOTED)."""
    result = whatif(*TRACKED, {}, fields=[FieldChange.parse("contact.jobtitle=outlook-to-crm")])
    assert len({c.record for c in result.changes}) == PROMOTED
    assert all(c.side == "outlook" and c.field == "JobTitle" and not c.lost for c in result.changes)
    assert all(
        c.current.startswith("Senior ") and not c.proposed.startswith("Senior ") for c in result.changes
    )
    assert {c.rule for c in result.changes} == {"contact.jobtitle=outlook-to-crm"}
    assert whatif(*TRACKED, {}, fields=[FieldChange.parse("contact.jobtitle=crm-to-outlook")]).changes == []


def test_the_csv_report_neutralises_cells_that_start_like_a_formula():
    import csv

    from syncsim.harness.tools.whatif import Change, Loaded, WhatIf, as_csv

    change = Change('=HYPERLINK("http://x")', "outlook", "JobTitle", "+1 555", "@home", False, "-")
    [_, row] = list(csv.reader(as_csv(WhatIf([change], Loaded(), 1)).splitlines()))
    assert row == ['\'=HYPERLINK("http://x")', "outlook", "JobTitle", "'+1 555", "'@home", "", "'-"]


def test_the_fix_carries_what_the_switch_would_lose_and_then_it_loses_nothing(tmp_path, capsys):
    fix = tmp_path / "fix.csv"
    argv = ["whatif", "--outlook", str(TRACKED[1]), "--set", "contact_address_sync=all-three"]
    assert main([*argv, "--crm", str(TRACKED[0]), "--fix", str(fix)]) == 0
    assert "80 would be lost" in capsys.readouterr().out
    assert "address2_city" in fix.read_text().splitlines()[0]
    result = whatif(fix, TRACKED[1], SWITCH)
    assert result.changes and not result.lost_by_record() and result.totals()["values_lost"] == 0
    assert main([*argv, "--crm", str(fix)]) == 0
    said = capsys.readouterr().out
    # the two job titles the sample files disagree on are CRM's to keep: the fix names them, and
    # the summary does not claim that nothing is lost while sync overwrites Outlook's
    assert "none would be lost by the change itself" in said and "0 would be lost" not in said
    assert "and sync overwrites 2 Outlook file value(s)" in said


def test_a_column_the_crm_file_leaves_out_is_unknown_and_never_blanks_outlook(tmp_path):
    crm = tmp_path / "names.csv"
    crm.write_text("emailaddress1,fullname\nann@contoso.example,Ann Smith\n")
    outlook = tmp_path / "ann.vcf"
    outlook.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Ann;;;\nFN:Ann Smith\nEMAIL:ann@contoso.example\n"
        "NOTE:Prefers mornings\nTITLE:Engineer\nEND:VCARD\n"
    )
    result = whatif(crm, outlook, SWITCH)
    assert result.changes == [] and result.loaded.linked == 1
    unknown = result.loaded.unknown[str(crm)]
    assert {"description", "jobtitle", "firstname", "lastname"} <= set(unknown)
    world = World()
    owner = world.add_user("owner")
    load(world, owner, crm, outlook)
    world.sync()
    [ann] = world.outlook(owner).find("contact")
    assert (ann["Body"], ann["JobTitle"]) == ("Prefers mornings", "Engineer")  # not blanked
    [record] = world.crm.query("contact")
    assert record["fullname"] == "Ann Smith" and record["description"] == "Prefers mornings"


def test_attachments_are_compared_and_the_summary_adds_up():
    crm = DATA / "json" / "dataverse-appointments-expanded-attachments-bad-record-2.json"
    outlook = DATA / "ical" / "appointments-with-an-attachment-for-dataverse.ics"
    result = whatif(
        crm, outlook, {"sync_appointment_attachments": True}, link_by=("subject", "Subject"), skip_bad=True
    )
    assert result.loaded.skipped and ":19: record 2" in result.loaded.skipped[0]
    moved = {(c.side, c.field) for c in result.changes}
    assert {("outlook", "Attachments[agenda.pdf]"), ("crm", "Attachments[slides.pptx]")} <= moved
    totals = result.totals()
    assert (totals["crm_records"], totals["outlook_items"], totals["linked"]) == (2, 2, 2)
    assert totals["values_changed"] == len(result.changes) and totals["values_lost"] == 0


def test_the_json_report_holds_the_summary_and_every_change(tmp_path, capsys):
    report = tmp_path / "whatif.json"
    argv = ["whatif", "--crm", str(TRACKED[0]), "--outlook", str(TRACKED[1])]
    assert main([*argv, "--set", "contact_address_sync=all-three", "--report", str(report)]) == 0
    data = json.loads(report.read_text())
    assert data["summary"]["values_lost"] == 80 == len([c for c in data["changes"] if c["lost"] == "yes"])
    assert data["summary"]["lost_by_rule"] == {"CONTACT-ADDRESS-REMAP-LOSS": 80}


@given(st.lists(st.text(), min_size=6, max_size=6), st.booleans())
@settings(max_examples=200)
def test_a_change_row_of_the_json_report_is_what_json_writes_for_it(cells, lost):
    """Each change of the JSON report is written by filling its cells into the row's text:
    exactly what json writes for the row as a dict, whatever the cells hold."""
    from syncsim.harness.tools.whatif import COLUMNS, Change, Loaded, WhatIf, json_chunks

    record, side, name, current, proposed, rule = cells
    changes = [Change(record, side, name, current, proposed, lost, rule)]
    data = "".join(json_chunks(WhatIf(changes, Loaded(), 1)))
    # split at "\n" only, which json escapes in a text (splitlines also splits at U+0085, kept as is)
    rows = [line.strip() for line in data.split("\n")]
    [row] = [line for line in rows if line.startswith('{"record"')]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    assert row == encode(dict(zip(COLUMNS, changes[0].cells(), strict=True)))
    assert json.loads(data)["changes"] == [dict(zip(COLUMNS, changes[0].cells(), strict=True))]


def test_a_file_for_the_other_side_is_refused_saying_what_it_is(capsys):
    outlook_csv = DATA / "csv" / "outlook-export.csv"
    argv = [
        "whatif",
        "--crm",
        str(outlook_csv),
        "--outlook",
        str(TRACKED[1]),
        "--set",
        "sync_assigned_tasks=true",
    ]
    assert main(argv) == 2
    assert "this is an Outlook CSV export (File > Export > Comma Separated Values)" in capsys.readouterr().err


def test_whatif_tells_each_stage_as_it_starts() -> None:
    """Progress for big exports: reading, building and syncing each world, comparing, in order."""
    heard: list[str] = []
    result = whatif(*TRACKED, SWITCH, progress=heard.append)
    assert heard == list(STAGES) and result.records


# -- unknown is never "agree"; what the files disagree on; the fix tells what it writes over ---------


HOME_CARD = (
    "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Ann;;;\nFN:Ann Smith\nEMAIL:ann@contoso.example\n"
    "ADR;TYPE=WORK:;;1 Main St;Seattle;WA;98101;USA\nADR;TYPE=HOME:;;9 Elm Rd;Redmond;WA;98052;USA\n"
    "X-MS-OL-DEFAULT-POSTAL-ADDRESS:2\nEND:VCARD\n"
)
ADDRESS_1 = "address1_line1,address1_city,address1_stateorprovince,address1_postalcode,address1_country"


def _argv(crm, outlook, *options: str) -> list[str]:
    return ["whatif", "--crm", str(crm), "--outlook", str(outlook), *options]


def _pair_files(tmp_path, crm_csv: str, card: str = HOME_CARD):
    crm, outlook = tmp_path / "crm.csv", tmp_path / "outlook.vcf"
    crm.write_text(crm_csv)
    outlook.write_text(card)
    return crm, outlook


def test_a_crm_export_without_the_home_columns_puts_outlooks_home_address_at_risk(tmp_path, capsys):
    crm, outlook = _pair_files(
        tmp_path,
        f"emailaddress1,firstname,lastname,{ADDRESS_1}\n"
        "ann@contoso.example,Ann,Smith,1 Main St,Seattle,WA,98101,USA\n",
    )
    result = whatif(crm, outlook, SWITCH)
    at_risk = {(u.missing, u.field): u.other_value for u in result.at_risk}
    assert at_risk[("crm", "address2_line1")] == "9 Elm Rd" and at_risk[("crm", "address2_city")] == "Redmond"
    assert result.totals()["values_not_compared"] == len(result.at_risk) >= 5
    assert "0 would be lost" not in result.summary() and "could not be compared" in result.summary()
    argv = ["whatif", "--crm", str(crm), "--outlook", str(outlook), "--set", "contact_address_sync=all-three"]
    assert main(argv) == 0
    said = capsys.readouterr().out
    assert (
        "at risk: Ann Smith <ann@contoso.example>: not in the CRM export: address2_line1 (Outlook: 9 Elm Rd)"
        in said
    )
    assert "0 would be lost" not in said
    assert main([*argv, "--assume", "agree"]) == 0  # today's reading, for users who know their files agree
    said = capsys.readouterr().out
    assert "0 would be lost" in said and "at risk" not in said and "taken to agree" in said


def test_outlook_2007s_manager_is_reported_overwritten_when_crm_holds_another(tmp_path, capsys):
    """The issue's case: a real Outlook 2007 card's X-MS-MANAGER (once 'not imported', so taken
    to agree) against another manager in CRM, with the manager's field made CRM to Outlook."""
    card = (DATA / "public" / "ez-vcard-outlook-2007.vcf").read_text()
    crm, outlook = _pair_files(
        tmp_path,
        "emailaddress1,firstname,lastname,managername\nmike.angstadt@gmail.com,Michael,Angstadt,Carol\n",
        card,
    )
    result = whatif(crm, outlook, {}, fields=[FieldChange.parse("contact.managername=crm-to-outlook")])
    [told] = result.loaded.disagree
    assert (told.crm_value, told.outlook_value, told.proposed, told.overwritten) == (
        "Carol",
        "TheManagerName",
        "crm",
        "outlook",
    )
    assert "sync overwrites 1 Outlook file value(s)" in result.summary()
    assert "0 would be lost" not in result.summary()
    report = tmp_path / "whatif.json"
    argv = _argv(crm, outlook, "--field", "contact.managername=crm-to-outlook")
    assert main([*argv, "--report", str(report)]) == 0
    assert (
        "files disagree: Michael Angstadt <mike.angstadt@gmail.com>: CRM managername 'Carol'"
        in capsys.readouterr().out
    )
    data = json.loads(report.read_text())
    assert data["files_disagree"][0]["outlook_value"] == "TheManagerName"
    assert data["summary"]["file_values_overwritten"] == 1 and data["not_compared"]


def test_the_fix_names_each_crm_value_it_writes_over_and_writes_nothing_with_nothing_to_fix(tmp_path, capsys):
    crm, outlook = _pair_files(  # Outlook's mailing address is Home, which CRM holds in Address 1
        tmp_path,
        f"emailaddress1,firstname,lastname,{ADDRESS_1},address2_line1,address2_city\n"
        "ann@contoso.example,Ann,Smith,9 Elm Rd,Redmond,WA,98052,USA,4 Oak Ave,Bellevue\n",
        HOME_CARD.replace("ADDRESS:2", "ADDRESS:1"),
    )
    fix = tmp_path / "fix.csv"
    argv = ["whatif", "--crm", str(crm), "--outlook", str(outlook), "--set", "contact_address_sync=all-three"]
    assert main([*argv, "--fix", str(fix)]) == 0
    said = capsys.readouterr().out
    assert "overwrites CRM's address2_line1 '4 Oak Ave' with Outlook's '9 Elm Rd': not safe" in said
    assert "overwrites CRM's address1_line1 '9 Elm Rd' with Outlook's '1 Main St': safe" in said
    assert fix.exists()
    again = tmp_path / "fix-again.csv"
    assert (
        main(
            [
                "whatif",
                "--crm",
                str(fix),
                "--outlook",
                str(outlook),
                "--set",
                "contact_address_sync=all-three",
            ]
        )
        == 0
    )
    assert "could not be compared" not in capsys.readouterr().out  # the fix carries every column
    names_only = tmp_path / "names.csv"
    names_only.write_text("emailaddress1,firstname,lastname\nann@contoso.example,Ann,Smith\n")
    card_only_names = tmp_path / "names.vcf"
    card_only_names.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Ann;;;\nFN:Ann Smith\nEMAIL:ann@contoso.example\nEND:VCARD\n"
    )
    argv = [
        "whatif",
        "--crm",
        str(names_only),
        "--outlook",
        str(card_only_names),
        "--set",
        "contact_address_sync=all-three",
    ]
    assert main([*argv, "--fix", str(again)]) == 0
    assert "nothing to fix" in capsys.readouterr().out and not again.exists()


def test_a_megabyte_value_is_clipped_on_the_terminal_and_whole_in_the_report(tmp_path, capsys):
    long_note = "word " * 200_000  # a million characters
    crm, outlook = _pair_files(
        tmp_path,
        f"emailaddress1,firstname,lastname,description\nann@contoso.example,Ann,Smith,{'other ' * 10}\n",
        HOME_CARD.replace("END:VCARD", f"NOTE:{long_note}\nEND:VCARD"),
    )
    report = tmp_path / "whatif.csv"
    argv = _argv(crm, outlook, "--field", "contact.description=outlook-to-crm")
    assert main([*argv, "--report", str(report)]) == 0
    said = capsys.readouterr().out
    assert "more characters; --report FILE has it whole" in said and long_note not in said
    assert long_note.strip() in report.read_text()
