"""syncsim whatif on the sample exports, all-or-nothing imports, and the samples kept up to date."""

import hashlib
from pathlib import Path

import pytest

from syncsim.harness import World
from syncsim.harness.tools.cli import main
from syncsim.harness.tools.formats.errors import FormatError
from syncsim.harness.tools.samples import PROMOTED, write_samples
from syncsim.harness.tools.simulate import FieldChange
from syncsim.harness.tools.whatif import load, whatif

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
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
