"""CRM exports (harness/tools/formats/crmfiles.py): CSV with logical or display names and Web API JSON,
round trips, annotations, unknown columns, and malformed files named at their line."""

import pytest
from paths import DATA

from syncsim.harness import World
from syncsim.harness.tools.formats.crmfiles import read_crm, write_csv, write_json
from syncsim.harness.tools.formats.errors import FormatError


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


CSV_DATA = DATA / "csv"


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
