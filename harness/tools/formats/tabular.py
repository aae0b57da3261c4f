"""Rows of the table-shaped exports (CSV, Excel workbooks), each with the line or row it starts on.

CSV text is read as UTF-8 (with or without the byte order mark Excel writes), else as
Windows-1252, which Outlook's and Excel's "CSV" use on Western systems (a note says so). A cell
may hold up to 16 MB (a long Description); a broken row is a problem at its line, and the rows
after it still read. A workbook is read with openpyxl, hidden columns included, from its first sheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ... import schema
from .errors import Export, FormatError

#: Python's csv module stops at 128 KB a cell by default; exports hold longer descriptions
csv.field_size_limit(16 * 1024 * 1024)

Row = tuple[int, list[Any]]


def csv_text(path: Path, export: Export) -> str:
    """The file's text; an empty or binary file is refused at line 1."""
    raw = path.read_bytes()
    if not raw.strip():
        raise FormatError(path, 1, "an empty file")
    if b"\x00" in raw[:4096]:
        raise FormatError(path, 1, "a binary file, not CSV text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        export.note(1, "not UTF-8: read as Windows-1252, the code page Outlook and Excel write CSV in")
        return raw.decode("cp1252", errors="replace")


def csv_rows(text: str, export: Export) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows (line where each starts, cells); blank rows are skipped."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(export.path, 1, "an empty file: expected a header row") from None
    except csv.Error as bad:
        raise FormatError(export.path, 1, f"the header row cannot be read: {bad}") from None
    return [cell.strip() for cell in header], _rows(reader, export)


def _rows(reader: Any, export: Export) -> Iterator[Row]:
    previous = reader.line_num
    while True:
        start = previous + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as bad:
            export.problem(start, f"this row cannot be read: {bad}")
            return
        previous = reader.line_num
        if any(str(cell).strip() for cell in row):
            yield start, row


def workbook_rows(path: Path) -> tuple[list[str], Iterator[Row], list[str]]:
    """The header, the rows (Excel's row number, cells) of the first sheet, and the sheet names."""
    import openpyxl  # imported here: only workbooks need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as bad:
        raise FormatError(path, 1, f"not an Excel workbook (.xlsx) openpyxl can read: {bad}") from None
    except Exception as bad:  # a zip that is no workbook raises zipfile.BadZipFile and others
        raise FormatError(path, 1, f"not an Excel workbook: {type(bad).__name__}: {bad}") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell).strip() for cell in next(rows)]
    except StopIteration:
        raise FormatError(path, 1, "an empty sheet: expected a header row") from None
    numbered = ((number, list(row)) for number, row in enumerate(rows, start=2))
    return header, (row for row in numbered if any(_filled(cell) for cell in row[1])), book.sheetnames


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def duplicate_columns(header: list[str], names: list[str | None]) -> str | None:
    """A message naming two columns that mean the same field (by position and heading)."""
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name is None:
            continue
        if name in seen:
            first = seen[name]
            return (
                f"columns {first + 1} ({header[first]!r}) and {index + 1} ({header[index]!r}) "
                f"both hold {name}"
            )
        seen[name] = index
    return None


def as_text(cell: Any) -> str:
    """A cell as the text a CSV would hold (a workbook's dates and numbers written back)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


#: Date formats exports write besides ISO 8601: Dynamics' and Outlook's US exports
US_FORMATS = ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


def typed(name: str, raw: Any, labels: dict[str, int] | None = None) -> Any:
    """A cell or JSON value as the type the field holds (the schema's); a ValueError names the
    field and the value. None or blank text is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = schema.FIELD_TYPES.get(name, schema.TEXT)
    if kind is schema.TEXT:
        return as_text(raw) if not isinstance(raw, (dict, list)) else _wrong(name, raw, "text")
    if kind is schema.FLAG:
        return _flag(name, raw)
    if kind is schema.NUMBER:
        return _number(name, raw, labels or {})
    if schema.is_moment(kind):
        return _moment(name, raw)
    return raw


def _wrong(name: str, raw: Any, what: str) -> Any:
    raise ValueError(f"{name}: {raw!r} is not {what}")


def _flag(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    return bool(_wrong(name, raw, "true or false (yes/no)"))


def _number(name: str, raw: Any, labels: dict[str, int]) -> int:
    if isinstance(raw, bool):
        return int(_wrong(name, raw, "a whole number"))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if text.lower() in labels:
        return labels[text.lower()]
    try:
        return int(text)
    except ValueError:
        allowed = f" or one of {', '.join(labels)}" if labels else ""
        return int(_wrong(name, raw, f"a whole number{allowed}"))


def _moment(name: str, raw: Any) -> datetime:
    if isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str):
        return _wrong(name, raw, "a date written as text")  # type: ignore[no-any-return]
    text = raw.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in US_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return _wrong(name, raw, "a date (ISO 8601, or month/day/year as US exports write)")  # type: ignore[no-any-return]
