"""The field table in the code against a checked-in copy of Microsoft's table rows (tests/data)."""

from __future__ import annotations

import csv
from pathlib import Path

from syncsim.harness import mapping, schema
from syncsim.harness.tools import fieldtable

COPY = Path(__file__).parent / "data" / "microsoft-field-table.csv"
WORDS = {
    "two-way": "both",
    "crm-to-outlook": "crm-to-outlook",
    "outlook-to-crm": "outlook-to-crm",
    "none": "none",
}


def _microsoft_rows() -> list[tuple[str, str, str, str, str]]:
    lines = [line for line in COPY.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [
        (r["table"], r["outlook_field"], r["crm_field"], WORDS[r["default"]], r["change"])
        for r in csv.DictReader(lines)
    ]


def test_every_row_of_microsofts_table_is_in_the_code_with_its_direction_and_changeability() -> None:
    ours = [(r.table, r.outlook_label, r.crm_label, r.default, r.change) for r in mapping.FIELD_TABLE]
    theirs = _microsoft_rows()
    assert sorted(set(theirs) - set(ours)) == [], "rows of Microsoft's table the code lacks or differs on"
    assert sorted(set(ours) - set(theirs)) == [], "rows in the code that Microsoft's table does not have"
    assert len(ours) == len(theirs) == len(set(ours))


def test_a_row_either_syncs_attributes_the_schema_declares_or_says_why_not() -> None:
    for row in mapping.FIELD_TABLE:
        if row.gap:
            assert not row.pairs, row
            continue
        assert row.attributes, f"{row.table} {row.outlook_label}: no attributes and no gap"
        declared = schema.entity(row.entity).attributes
        assert set(row.attributes) <= set(declared), row


def test_every_gap_row_is_listed_in_docs_gaps() -> None:
    gaps = (Path(__file__).parent.parent / "docs" / "gaps.md").read_text(encoding="utf-8")
    missing = [
        f"{row.table}: {row.outlook_label}"
        for row in mapping.FIELD_TABLE
        if row.gap and f"{row.table}: {row.outlook_label}" not in gaps
    ]
    assert missing == []


def test_the_synced_pairs_are_exactly_the_rows_pairs() -> None:
    for entity, rows in (("appointment", mapping.APPOINTMENT_ROWS), ("task", mapping.TASK_ROWS)):
        pairs = mapping.pairs_for(entity, "mailing-only", None)
        assert pairs.pairs == tuple(p for r in rows for p in r.pairs)
    assert not any(p.crm == "actualdurationminutes" for p in mapping.TASK), "ActualWork is not in the table"


def test_docs_fields_md_matches_the_code() -> None:
    """Regenerate with: syncsim fields --markdown > docs/fields.md"""
    docs = Path(__file__).parent.parent / "docs" / "fields.md"
    assert docs.read_text(encoding="utf-8") == fieldtable.markdown()
