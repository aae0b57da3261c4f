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
    assert "0 would be lost" in capsys.readouterr().out


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
