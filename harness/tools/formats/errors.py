"""What every reader gives and raises: the items read, where each came from, and the problems.

A reader never stops at the first bad item: it reads on and lists every problem with its file and
line. Strict (the default) refuses the file with all of them (:class:`FormatErrors`); lenient
(``--skip-bad``) keeps the good items and lists each skipped one with its line and reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ... import schema

Side = Literal["crm", "outlook"]


def with_lf(raw: bytes) -> bytes:
    """A file's bytes with every line end as LF: CRLF (Windows), CR (old Macs), LF, and CR CR LF
    (as some iPhone exports end a line) each count as one line end, so line numbers are the
    ones an editor shows for the file's lines."""
    if b"\r" not in raw:
        return raw
    raw = raw.replace(b"\r\n", b"\n")  # (CR CR LF is CR LF now)
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in raw else raw


class FormatError(ValueError):
    def __init__(self, path: Path | None, line: int, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path or '<input>'}:{line}: {problem}")

    def at(self, path: Path) -> FormatError:
        """The same error, naming the file (for helpers that only knew the line)."""
        return FormatError(path, self.line, self.problem)


class FormatErrors(FormatError):
    """A file refused: every problem found in it, each ``file:line: what``, one per line (its
    path, line and problem are the first one's)."""

    def __init__(self, problems: list[FormatError]) -> None:
        self.problems = problems
        first = problems[0]
        more = f"\n({len(problems)} problems; --skip-bad loads the rest)" if len(problems) > 1 else ""
        ValueError.__init__(self, "\n".join(str(p) for p in problems) + more)
        self.path, self.line, self.problem = first.path, first.line, first.problem


@dataclass
class Item:
    """One record or item of an export: its CRM entity or Outlook kind, its fields under the
    system's own names (Dynamics logical names, Outlook property names), its attachments."""

    kind: str
    fields: dict[str, Any]
    line: int
    attachments: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """A moment the file writes without a time zone (a US date, a floating or all-day iCalendar
        time, an ISO time with no offset) is read as UTC: the file does not say whose 9:00 it is,
        and one rule for every reader keeps two files of one person comparable (the stores take
        no moment without a zone: ``schema.check_value``)."""
        _in_utc(self.fields, schema.MOMENT_NAMES.intersection(self.fields))
        pattern = self.fields.get("RecurrencePattern")
        if isinstance(pattern, dict):
            _in_utc(pattern, ("PatternEndDate",))

    @property
    def label(self) -> str:
        f = self.fields
        name = f.get("fullname") or " ".join(
            str(part)
            for part in (f.get("firstname") or f.get("FirstName"), f.get("lastname") or f.get("LastName"))
            if part
        )
        return str(name or f.get("subject") or f.get("Subject") or f"item at line {self.line}")


def _in_utc(fields: dict[str, Any], names: Iterable[str]) -> None:
    """The moments under ``names`` that have no time zone, placed in UTC."""
    for name in names:
        value = fields.get(name)
        if isinstance(value, datetime) and schema.naive(value):
            fields[name] = value.replace(tzinfo=UTC)


@dataclass
class Export:
    """What one file holds, as read."""

    path: Path
    #: what the file is, in words ("Outlook CSV export", "vCard 2.1 (Outlook)", ...)
    format: str
    side: Side
    items: list[Item] = field(default_factory=list)
    #: kind -> the fields this file can carry; a field it does not carry is unknown, not empty
    carried: dict[str, set[str]] = field(default_factory=dict)
    #: what was not imported, or assumed, and why
    notes: list[str] = field(default_factory=list)
    #: columns or properties the file has that syncsim does not import
    unknown: list[str] = field(default_factory=list)
    problems: list[FormatError] = field(default_factory=list)
    #: items left out under --skip-bad, with why
    skipped: list[FormatError] = field(default_factory=list)

    def note(self, line: int, text: str) -> None:
        self.notes.append(f"{self.path}:{line}: {text}")

    def problem(self, line: int, text: str) -> None:
        self.problems.append(FormatError(self.path, line, text))

    def carry(self, kind: str, names: Iterable[str]) -> None:
        self.carried.setdefault(kind, set()).update(names)

    def settle(self, skip_bad: bool) -> Export:
        """Strict: refuse the file with every problem. Lenient: the problems become skipped items."""
        if self.problems and not skip_bad:
            raise FormatErrors(self.problems)
        self.skipped, self.problems = self.skipped + self.problems, []
        if not self.items and not self.skipped:
            raise FormatError(self.path, 1, f"no items in this {self.format}")
        return self


def safe_filename(name: str) -> str:
    """An attachment name that cannot act as a path: no folders, no '..', no control characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in name)
    cleaned = cleaned.strip(" .")
    return cleaned or "attachment"
