"""CRM records from the files Dynamics gives: CSV with logical names, and Web API JSON.

A CSV is what an Advanced Find or Excel export gives once its header row carries logical names
(``firstname``, ``address1_city``, ...). Web API JSON is ``{"value": [...]}``; its annotation keys
(``@odata.etag``, ``...@OData.Community.Display.V1.FormattedValue``) and lookup values
(``_ownerid_value``) are not attributes and are skipped. A column that is no attribute of the
entity is reported, never dropped silently; a malformed file is an error naming the line or record.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncsim.harness import schema
from syncsim.harness.stores.crm import ATTRIBUTES, primary_key
from syncsim.harness.tools.formats.errors import FormatError

#: Web API entity set names -> logical names
ENTITY_SETS = {"contacts": "contact", "appointments": "appointment", "tasks": "task"}
#: Column names of Outlook's own CSV export (File > Export > Comma Separated Values), to tell one apart
_OUTLOOK_CSV = {"First Name", "Last Name", "E-mail Address", "Business Street", "Business Phone", "Job Title"}


@dataclass
class Records:
    entity: str
    rows: list[dict[str, Any]]
    unknown_columns: list[str] = field(default_factory=list)


def read_crm(path: Path, entity: str = "contact") -> Records:
    """Records of ``entity`` (for JSON, the entity set in @odata.context wins) from CSV or JSON."""
    if path.suffix.lower() == ".json":
        records = _json(path, entity)
    elif path.suffix.lower() == ".csv":
        records = _csv(path, entity)
    else:
        raise FormatError(path, 1, "CRM data must be a .csv or a Web API .json file")
    key = primary_key(records.entity)
    counts = Counter(row[key] for row in records.rows if row.get(key))
    twice = sorted(record_id for record_id, n in counts.items() if n > 1)
    if twice:
        raise FormatError(path, 1, f"{key} {twice[0]} appears more than once")
    return records


def write_csv(path: Path, entity: str, rows: list[dict[str, Any]]) -> None:
    columns = sorted({key for row in rows for key in row if key in ATTRIBUTES[entity]})
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_json(path: Path, entity: str, rows: list[dict[str, Any]]) -> None:
    entity_set = {v: k for k, v in ENTITY_SETS.items()}[entity]
    document: dict[str, Any] = {
        "@odata.context": f"https://example.crm.dynamics.com/api/data/v9.2/$metadata#{entity_set}"
    }
    document["value"] = [{k: v for k, v in row.items() if k in ATTRIBUTES[entity]} for row in rows]
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _csv(path: Path, entity: str) -> Records:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(path, 1, "an empty file: expected a header row of logical names") from None
    _check_header(path, entity, header)
    known, unknown = _columns(entity, header)
    rows = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise FormatError(path, line, f"{len(row)} cells, but the header has {len(header)} columns")
        rows.append(_typed(dict(zip(header, row, strict=True)), known, path, line))
    return Records(entity, rows, unknown)


def _json(path: Path, entity: str) -> Records:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    except json.JSONDecodeError as bad:
        raise FormatError(path, bad.lineno, f"not JSON: {bad.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("value"), list):
        raise FormatError(path, 1, 'expected a Web API result: {"value": [...]}')
    context = str(document.get("@odata.context", ""))
    entity = ENTITY_SETS.get(context.rpartition("#")[2].split("(")[0], entity)
    columns = [key for record in document["value"] if isinstance(record, dict) for key in record]
    attributes = [c for c in dict.fromkeys(columns) if "@" not in c and not c.startswith("_")]
    known, unknown = _columns(entity, attributes)
    rows = []
    for number, record in enumerate(document["value"], start=1):
        if not isinstance(record, dict):
            raise FormatError(path, number, f"record {number} is not an object")
        values = {k: "" if v is None else v for k, v in record.items() if k in known}
        rows.append(_typed(values, known, path, number))
    return Records(entity, rows, unknown)


def _check_header(path: Path, entity: str, header: list[str]) -> None:
    """A header that cannot be CRM records of ``entity`` is refused, saying what it looks like."""
    seen = Counter(header)
    twice = [name for name, n in seen.items() if n > 1]
    if twice:
        raise FormatError(path, 1, f"the column {twice[0]!r} appears {seen[twice[0]]} times in the header")
    if len(_OUTLOOK_CSV & set(header)) >= 2:
        raise FormatError(
            path,
            1,
            "this is an Outlook CSV export (File > Export > Comma Separated Values), not CRM records; "
            "export the contacts from Outlook as .vcf and pass that as --outlook",
        )
    if not set(header) & set(ATTRIBUTES[entity]):
        raise FormatError(
            path, 1, f"no column is an attribute of {entity} (logical names such as firstname, emailaddress1)"
        )


def _columns(entity: str, header: list[str]) -> tuple[set[str], list[str]]:
    allowed = ATTRIBUTES[entity]
    return {c for c in header if c in allowed}, [c for c in header if c not in allowed]


def _typed(row: dict[str, Any], known: set[str], path: Path, line: int) -> dict[str, Any]:
    typed = {}
    for key, value in row.items():
        if key not in known or value in ("", None):
            continue
        if isinstance(value, str):  # a CSV cell: typed as the schema declares the attribute
            try:
                value = schema.parse_value(key, value)
            except ValueError as bad:
                raise FormatError(path, line, str(bad)) from None
        typed[key] = value
    return typed
