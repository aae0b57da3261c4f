"""Real files that public projects keep (tests/data/public, origins in its ORIGINS.md), each read
by the reader its content calls for and checked value by value, note by note."""

from datetime import datetime
from typing import Any

import pytest
from paths import DATA
from public_expected import EXPECTED

from syncsim.harness.tools.formats.load import load

PUBLIC = DATA / "public"


def _plain(value: Any) -> Any:
    """A value as the table writes it: times as ISO text, the rest as read."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    return value


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_public_file_reads_value_by_value(name: str) -> None:
    path = PUBLIC / name
    export = load(path, skip_bad=True)
    expected = EXPECTED[name]
    assert [[item.line, item.kind, _plain(item.fields)] for item in export.items] == expected["items"]
    assert [note.replace(str(path), "{path}") for note in export.notes] == expected["notes"]
    assert [str(bad).replace(str(path), "{path}") for bad in export.skipped] == expected["skipped"]


def test_every_public_file_has_its_origin_and_its_table() -> None:
    files = {path.name for path in PUBLIC.iterdir() if path.name != "ORIGINS.md"}
    origins = (PUBLIC / "ORIGINS.md").read_text(encoding="utf-8")
    cells = [line.split("|")[1].strip() for line in origins.splitlines() if line.startswith("| ")]
    listed = {cell for cell in cells if "." in cell}  # (the header's first cell is "file")
    assert files == listed == set(EXPECTED)
    assert len(files) >= 15


def test_what_the_readers_took_from_the_outlook_cards_is_what_syncsim_syncs() -> None:
    """The values the issue found dropped: Outlook 2007's manager, assistant, spouse and callback,
    Gmail's labelled anniversary and spouse, a 4.0 card's tel: numbers and ANNIVERSARY."""
    outlook_2007 = EXPECTED["ez-vcard-outlook-2007.vcf"]["items"][0][2]
    assert (outlook_2007["ManagerName"], outlook_2007["AssistantName"], outlook_2007["Spouse"]) == (
        "TheManagerName",
        "TheAssistantName",
        "TheSpouse",
    )
    assert outlook_2007["CallbackTelephoneNumber"] == "(111) 555-4444"
    gmail = EXPECTED["ez-vcard-gmail-single.vcf"]["items"][0][2]
    assert (gmail["Spouse"], gmail["Anniversary"][:10]) == ("MySpouse", "1970-06-02")
    full = EXPECTED["vobject-vcard40-full.vcf"]["items"][0][2]
    assert full["MobileTelephoneNumber"] == "+1-555-123-4567" and full["Anniversary"][:10] == "2010-06-12"


def test_docs_formats_is_what_the_readers_carry() -> None:
    """Regenerate with: python -m syncsim.harness.tools.formats.coverage > docs/formats.md"""
    from paths import ROOT

    from syncsim.harness.tools.formats import coverage

    assert (ROOT / "docs" / "formats.md").read_text(encoding="utf-8") == coverage.markdown()


def test_each_reader_says_its_file_carries_exactly_what_its_table_lists(tmp_path) -> None:
    """The table of sources is the one place: what whatif takes as carried is what the page says."""
    from syncsim.harness.tools.formats import coverage

    examples = {
        "vCard (.vcf)": PUBLIC / "ez-vcard-outlook-2007.vcf",
        "iCalendar (.ics)": PUBLIC / "icalendar-issue-1050-all-components.ics",
        "Microsoft Graph JSON": PUBLIC / "graph-docs-user-list-events.json",
    }
    for title, tables in coverage.READERS:
        if title in examples:
            carried = load(examples[title]).carried
            assert {kind: set(props) for kind, props in carried.items()} == {
                kind: set(props) for kind, props in tables.items()
            }, title
