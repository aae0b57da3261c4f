"""CRM records from the files Dynamics gives, and back.

* CSV with logical names (``firstname``, ``address1_city``), as an Advanced Find export gives once
  its header row carries them;
* Dynamics' "Export to Excel" workbook (.xlsx) and CSV with display names ("Address 1: City"):
  the headers are mapped to logical names by the schema's one table of display names
  (:data:`syncsim.harness.schema.DISPLAY_NAMES`); the hidden "(Do Not Modify)" columns give the
  entity, each record's id and its Modified On; option sets written as labels ("High") are read;
* Dataverse Web API JSON: a collection ``{"value": [...]}``, one record (``.../$entity``), a list of
  pages, a page with ``@odata.nextLink`` (the records beyond it are not in the file: a note says
  so), ``$expand``-ed attachments (activitymimeattachment rows: filename, base64 body).

Annotations (``@odata.etag``, ``...@OData.Community.Display.V1.FormattedValue``) and lookup values
(``_ownerid_value``) are not attributes and are skipped. A column that is no attribute of the
entity is named in a note; a bad row or record is a problem at its line (a record's number in JSON).
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ... import schema
from ...stores.crm import ATTRIBUTES, primary_key
from . import tabular
from .errors import Export, FormatError, Item, safe_filename
from .outlookcsv import looks_like_outlook_csv

#: Web API entity set names -> logical names
ENTITY_SETS = {
    "contacts": "contact",
    "appointments": "appointment",
    "recurringappointmentmasters": "recurringappointmentmaster",
    "serviceappointments": "serviceappointment",
    "tasks": "task",
}
#: Excel's hidden columns: "(Do Not Modify) <entity's display name>" and two more
DO_NOT_MODIFY = "(Do Not Modify) "
CHECKSUM, MODIFIED = "Row Checksum", "Modified On"
#: Column names of Outlook's own CSV export, to tell one apart (the Outlook reader knows them all)
OUTLOOK_CSV_MARKS = {
    "First Name",
    "Last Name",
    "E-mail Address",
    "Business Street",
    "Business Phone",
    "Job Title",
}


# -- tables: CSV and workbooks -------------------------------------------------------------------


def read_table(path: Path, entity: str = "contact") -> Export:
    """A CSV (logical or display names) or a Dynamics Excel export, as records of one entity."""
    workbook = path.suffix.lower() == ".xlsx"
    if workbook:
        header, rows, _ = tabular.workbook_rows(path)
        export = Export(path, "Dynamics 365 Export to Excel workbook", "crm")
    else:
        export = Export(path, "CRM CSV", "crm")
        header, rows = tabular.csv_rows(tabular.csv_text(path, export), export)
    entity, names = _columns(export, header, entity)
    export.carry(entity, {name for name in names if name})
    key = primary_key(entity)
    seen: set[str] = set()
    for line, cells in rows:
        if len(cells) != len(header) and not (workbook and len(cells) < len(header)):
            export.problem(line, f"{len(cells)} cells, but the header has {len(header)} columns")
            continue
        record = _record(export, line, entity, names, cells)
        if record is None:
            continue
        if record.get(key) in seen:
            export.problem(line, f"{key} {record[key]} appears more than once")
            continue
        seen.add(record.get(key) or f"line {line}")
        export.items.append(Item(entity, record, line))
    return export


def _columns(export: Export, header: list[str], entity: str) -> tuple[str, list[str | None]]:
    """The entity and each column's logical name (None: not an attribute, noted)."""
    if looks_like_outlook_csv(header):
        raise FormatError(
            export.path,
            1,
            "this is an Outlook CSV export (File > Export > Comma Separated Values), not CRM records; "
            "pass it as --outlook",
        )
    entity = _entity_of_hidden(header) or entity
    names = [_logical(entity, heading) for heading in header]
    if _hidden(header):
        export.format = f"Dynamics 365 Export to Excel ({entity})"
    elif any(name and name != heading for name, heading in zip(names, header, strict=True)):
        export.format = f"{export.format} with display names ({entity})"
    else:
        export.format = f"{export.format} with logical names ({entity})"
    twice = tabular.duplicate_columns(header, names)
    if twice:
        raise FormatError(export.path, 1, twice)
    better = _fits_better(entity, header, sum(1 for name in names if name))
    if not any(names) or better:
        raise FormatError(export.path, 1, _no_attributes(entity, header, better))
    checksum = f"{DO_NOT_MODIFY}{CHECKSUM}"
    export.unknown = [h for h, name in zip(header, names, strict=True) if name is None and h != checksum]
    if export.unknown:
        export.note(
            1, f"columns that are no attribute of {entity}, not imported: {', '.join(export.unknown)}"
        )
    return entity, names


def _hidden(header: list[str]) -> bool:
    return any(heading.startswith(DO_NOT_MODIFY) for heading in header)


def _entity_of_hidden(header: list[str]) -> str | None:
    """The entity Excel's "(Do Not Modify) Contact" column names (the primary key's display name)."""
    for heading in header:
        shown = heading.removeprefix(DO_NOT_MODIFY)
        for entity, names in schema.DISPLAY_NAMES.items():
            if heading.startswith(DO_NOT_MODIFY) and shown == names[primary_key(entity)]:
                return entity
    return None


def _logical(entity: str, heading: str) -> str | None:
    if heading in ATTRIBUTES[entity]:
        return heading
    if heading.startswith(DO_NOT_MODIFY):
        shown = heading.removeprefix(DO_NOT_MODIFY)
        if shown == MODIFIED:
            return "modifiedon"
        return primary_key(entity) if shown == _display(entity).get(primary_key(entity)) else None
    wanted = _squeezed(heading)
    return next((name for name, shown in _display(entity).items() if _squeezed(shown) == wanted), None)


def _display(entity: str) -> dict[str, str]:
    base = schema.ENTITIES[entity].outlook_kind if entity not in schema.DISPLAY_NAMES else entity
    return dict(schema.DISPLAY_NAMES.get(base, {}))


def _squeezed(text: str) -> str:
    """A heading as compared: no case, no spaces or punctuation ("Address3: State/Province" is
    "Address 3: State/Province", as Dynamics writes one of them)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _fits_better(entity: str, header: list[str], fitting: int) -> str | None:
    """Another entity more of the columns are attributes of than of ``entity`` (a contact CSV
    read as tasks: its description column fits, its twenty others do not), or None."""
    fits = {other: sum(1 for heading in header if _logical(other, heading)) for other in ATTRIBUTES}
    best = max(fits, key=fits.__getitem__)
    return best if fits[best] > fitting else None


def _no_attributes(entity: str, header: list[str], better: str | None) -> str:
    """What a header that names no attribute of ``entity`` (or fewer than ``better``'s) looks like
    instead."""
    if better:
        return f"the columns are more attributes of {better} than of {entity}: pass --entity {better}"
    for other in ATTRIBUTES:
        if other != entity and any(_logical(other, heading) for heading in header):
            return (
                f"no column is an attribute of {entity}; these look like {other} records: "
                f"pass --entity {other}"
            )
    return (
        f"no column is an attribute of {entity} "
        "(logical names such as firstname, or display names such as First Name)"
    )


#: the attributes whose cells are more than text (numbers, flags, times, option sets)
_TYPED = frozenset(name for name, kind in schema.FIELD_TYPES.items() if kind is not schema.TEXT)


@cache
def _labels(name: str) -> dict[str, int]:
    """An option set's labels (made once per attribute; typed() only reads them)."""
    return dict(schema.OPTION_LABELS.get(name, {}))


def _record(
    export: Export, line: int, entity: str, names: list[str | None], cells: list[Any]
) -> dict[str, Any] | None:
    record: dict[str, Any] = {}
    for name, cell in zip(names, cells, strict=False):
        if name is None:
            continue
        if cell.__class__ is str and name not in _TYPED:  # text as text: what typed() does with it
            if cell.strip():
                record[name] = cell
            continue
        try:
            value = tabular.typed(name, cell, _labels(name))
        except ValueError as bad:
            export.problem(line, str(bad))
            return None
        if value is not None:
            record[name] = value
    return record


# -- Dataverse Web API JSON ----------------------------------------------------------------------


def read_json(path: Path, entity: str = "contact") -> Export:
    """Records from a Web API response saved to a file (see the module's docstring for shapes)."""
    export = Export(path, "Dataverse Web API JSON", "crm")
    document = load_json(path)
    lines = record_lines(path)
    pages = document if isinstance(document, list) else [document]
    number = 0
    for page in pages:
        if not isinstance(page, dict):
            raise FormatError(path, 1, "expected Web API JSON: an object, or a list of pages")
        records, entity = _page(export, page, entity)
        for record in records:
            number += 1
            _web_record(export, number, lines.get(number, 1), entity, record)
    export.format = f"Dataverse Web API JSON ({entity})"
    return export


def load_json(path: Path) -> Any:
    """The JSON document; a file that is not JSON, or nests too deeply, is refused at its line."""
    raw = path.read_bytes()
    if not raw.strip():
        raise FormatError(path, 1, "an empty file")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    except json.JSONDecodeError as bad:
        raise FormatError(path, bad.lineno, f"not JSON: {bad.msg}") from None
    except RecursionError:
        raise FormatError(path, 1, "JSON nested too deeply to be an export") from None


def _page(export: Export, page: dict[str, Any], entity: str) -> tuple[list[Any], str]:
    context = str(page.get("@odata.context", ""))
    found = ENTITY_SETS.get(context.rpartition("#")[2].split("(")[0].split("/")[0])
    entity = found or entity
    if "@odata.nextLink" in page:
        export.note(1, "a page with @odata.nextLink: the records after it are not in this file")
    if "value" in page:
        if not isinstance(page["value"], list):
            raise FormatError(export.path, 1, 'expected a Web API result: "value" holds a list of records')
        return page["value"], entity
    if context.endswith("/$entity") or primary_key(entity) in page:
        return [page], entity
    raise FormatError(export.path, 1, 'expected a Web API result: {"value": [...]} or one record')


def _web_record(export: Export, number: int, line: int, entity: str, record: Any) -> None:
    if not isinstance(record, dict):
        export.problem(line, f"record {number} is not an object")
        return
    values: dict[str, Any] = {}
    attachments: dict[str, bytes] = {}
    for key, value in record.items():
        if "@" in key or key.startswith("_"):
            continue
        if isinstance(value, list) and _is_attachments(key, value):
            try:
                attachments.update(_attachments(value))
            except ValueError as bad:
                export.problem(line, f"record {number}: {key}: {bad}")
                return
        elif isinstance(value, (dict, list)) and key not in ATTRIBUTES[entity]:
            export.note(line, f"record {number}: expanded {key!r} not imported")
        elif key in ATTRIBUTES[entity]:
            try:
                typed = tabular.typed(key, value)
            except ValueError as bad:
                export.problem(line, f"record {number}: {bad}")
                return
            if typed is not None:
                values[key] = typed
            export.carry(entity, [key])
        elif key not in export.unknown:
            export.note(line, f"{key!r} is no attribute of {entity}: not imported")
            export.unknown.append(key)
    export.items.append(Item(entity, values, line, attachments))


def _is_attachments(key: str, rows: list[Any]) -> bool:
    """An expanded activitymimeattachment collection: rows with a filename and a body."""
    if not rows:
        return "attachment" in key.lower()
    return all(isinstance(row, dict) and "filename" in row and "body" in row for row in rows)


def record_lines(path: Path) -> dict[int, int]:
    """Record number -> the line its object starts on, for the records of the first ``"value"``
    list of a JSON file (Web API and Graph pages), or of a top-level list; {} when not found."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    found = re.search(r'"value"\s*:\s*\[', text)
    start = found.end() if found else (text.index("[") + 1 if text.lstrip().startswith("[") else -1)
    if start < 0:
        return {1: 1}
    decoder, number, index = json.JSONDecoder(), 0, start
    lines: dict[int, int] = {}
    while True:
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            return lines
        number += 1
        lines[number] = text.count("\n", 0, index) + 1
        try:
            _, index = decoder.raw_decode(text, index)
        except (json.JSONDecodeError, RecursionError):
            return lines


def _attachments(rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """activitymimeattachment rows: filename and base64 body, as $expand gives them."""
    found = {}
    for row in rows:
        try:
            found[safe_filename(str(row["filename"]))] = base64.b64decode(str(row["body"]), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"the body of attachment {row['filename']!r} is not base64") from None
    return found


# -- the strict reading, and writing ------------------------------------------------------------


@dataclass
class Records:
    entity: str
    rows: list[dict[str, Any]]
    unknown_columns: list[str] = field(default_factory=list)


def read(path: Path, entity: str = "contact") -> Export:
    if path.suffix.lower() == ".json":
        return read_json(path, entity)
    if path.suffix.lower() in (".csv", ".xlsx"):
        return read_table(path, entity)
    raise FormatError(path, 1, "CRM data must be a .csv, an Excel .xlsx or a Web API .json file")


def read_crm(path: Path, entity: str = "contact") -> Records:
    """Every record or a FormatErrors with every problem (the strict reading)."""
    export = read(path, entity).settle(skip_bad=False)
    kinds = Counter(item.kind for item in export.items)
    kind = kinds.most_common(1)[0][0] if kinds else entity
    return Records(kind, [item.fields for item in export.items], export.unknown)


def write_csv(
    path: Path, entity: str, rows: list[dict[str, Any]], columns: Sequence[str] | None = None
) -> None:
    """Records as CSV with logical names: the ``columns`` given (an export that carries a column
    says what is in it, also where it is empty), else every attribute some record has."""
    columns = list(columns or sorted({key for row in rows for key in row if key in ATTRIBUTES[entity]}))
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
