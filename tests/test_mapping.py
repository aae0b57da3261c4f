"""The mapping tables: the documented address pairs, value conversions, and names both stores accept."""

from __future__ import annotations

import csv

import pytest
from paths import DATA, ROOT

from syncsim.harness import mapping, schema, speed
from syncsim.harness.stores.crm import ATTRIBUTES
from syncsim.harness.stores.outlook import PROPERTIES
from syncsim.harness.tools import fieldtable


def _addresses(pairs):
    return {p.crm: p.outlook for p in pairs if p.crm.startswith("address")}


def test_mailing_only_pairs_address_1_with_the_selected_mailing_address():
    assert _addresses(mapping.contact_pairs("mailing-only", None))["address1_city"] == ("BusinessAddressCity")
    home = mapping.contact_pairs("mailing-only", {"SelectedMailingAddress": "home"})
    assert _addresses(home) == {
        "address1_line1": "HomeAddressStreet",
        "address1_city": "HomeAddressCity",
        "address1_stateorprovince": "HomeAddressState",
        "address1_postalcode": "HomeAddressPostalCode",
        "address1_country": "HomeAddressCountry",
    }


def test_all_three_pairs_business_home_other():
    pairs = _addresses(mapping.contact_pairs("all-three", {"SelectedMailingAddress": "home"}))
    assert pairs["address1_city"] == "BusinessAddressCity"
    assert pairs["address2_city"] == "HomeAddressCity"
    assert pairs["address3_city"] == "OtherAddressCity"
    assert len(pairs) == 15


def test_option_set_values_convert_both_ways():
    [kind] = [p for p in mapping.RECURRENCE if p.crm == "recurrencepatterntype"]
    assert kind.to_outlook(1) == "weekly" and kind.to_crm("weekly") == 1


def test_every_mapped_name_is_one_the_stores_accept():
    for entity in mapping.CRM_ENTITIES:
        for mode in ("mailing-only", "all-three"):
            for pair in mapping.pairs_for(entity, mode, None):
                assert pair.crm in ATTRIBUTES[entity], pair
                head = pair.outlook.split(".")[0]
                assert head in PROPERTIES[mapping.OUTLOOK_KIND[entity]], pair


def test_nested_outlook_properties_read_and_write():
    item = {"RecurrencePattern": {"RecurrenceType": "weekly", "Interval": 1}}
    changes = {}
    mapping.write(changes, item, "RecurrencePattern.Interval", 2)
    assert changes == {"RecurrencePattern": {"RecurrenceType": "weekly", "Interval": 2}}
    assert mapping.read(item, "RecurrencePattern.RecurrenceType") == "weekly"


def test_a_set_of_pairs_is_one_object_with_what_is_worked_out_of_it():
    """Each distinct tuple of pairs is one PairSet (so what is worked out of it is found by it);
    equal tuples made apart give the same set; its layout is shared by its memories."""
    contact = mapping.pairs_for("contact", "mailing-only", None)
    assert mapping.pairs_for("contact", "mailing-only", {"SelectedMailingAddress": "business"}) is contact
    assert mapping.PairSet.of(tuple(contact.pairs)) is contact
    assert list(contact.index) == [pair.key for pair in contact] and contact.index is mapping.KeyIndex.of(
        tuple(pair.key for pair in contact)
    )
    home = mapping.pairs_for("contact", "mailing-only", {"SelectedMailingAddress": "home"})
    both = contact.union(home)
    assert both is contact.union(home) and list(both)[: len(contact)] == list(contact)
    assert {pair.key for pair in both} == {pair.key for pair in contact} | {pair.key for pair in home}


@pytest.mark.parametrize("entity", ["contact", "appointment", "task"])
def test_the_values_of_a_set_of_pairs_are_read_pair_by_pair_with_the_fast_paths_on_or_off(entity):
    pairs = mapping.pairs_for(entity, "all-three", None)
    record = {pair.crm: ("" if n % 3 == 0 else f"v{n}") for n, pair in enumerate(pairs)}
    item = {
        pair.outlook: ("" if n % 4 == 0 else f"o{n}")
        for n, pair in enumerate(pairs)
        if "." not in pair.outlook
    }
    for side, data in (("crm", record), ("outlook", item)):
        expected = [pair.value(side, data) for pair in pairs]  # type: ignore[arg-type]
        for fast in (True, False):
            with speed.switched(fast):
                assert pairs.values(side, data) == expected  # type: ignore[arg-type]


COPY = DATA / "microsoft-field-table.csv"
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
    gaps = (ROOT / "docs" / "gaps.md").read_text(encoding="utf-8")
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
    docs = ROOT / "docs" / "fields.md"
    assert docs.read_text(encoding="utf-8") == fieldtable.markdown()
