"""Outlook appointments and tasks from and to iCalendar (.ics), with icalendar.

``VEVENT`` -> appointment (``RRULE`` -> IsRecurring and RecurrencePattern; ``ATTENDEE`` by role ->
RequiredAttendees / OptionalAttendees, ``ORGANIZER`` -> Organizer; ``ATTACH`` inline as attachment
bytes). ``VTODO`` -> task. What syncsim cannot hold is named in a note with its file and line, never
dropped silently: an ``ATTACH`` by URI, RRULE parts beyond type, interval and count (BYDAY, UNTIL,
...), EXDATE and RDATE, a ``RECURRENCE-ID`` exception (not imported as an appointment of its own).
Errors icalendar collects instead of raising are refused at the line of their property. Export
writes the same, attachments inline with a safe file name.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import icalendar

from syncsim.harness.tools.formats.errors import FormatError, safe_filename

FREQUENCIES = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}


@dataclass
class CalendarItem:
    kind: str  # "appointment" or "task"
    properties: dict[str, Any]
    attachments: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Calendar:
    items: list[CalendarItem]
    #: what could not be imported and why (attachments by URI)
    notes: list[str] = field(default_factory=list)


def read_ics(path: Path) -> Calendar:
    try:
        text = path.read_text(encoding="utf-8-sig")
        calendar = icalendar.Calendar.from_ical(text)
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    except ValueError as bad:
        raise FormatError(path, 1, f"not iCalendar: {bad}") from None
    lines = text.splitlines()
    starts = iter(n for n, line in enumerate(lines, start=1) if line.strip().upper() in _BEGINS)
    result = Calendar([])
    for component in calendar.walk():
        if component.name not in ("VEVENT", "VTODO"):
            continue
        start = next(starts, 1)
        label = str(component.get("summary") or component.get("uid") or "?")
        for name, problem in getattr(component, "errors", []):  # icalendar collects, never raises these
            where = _line_of(lines, start, name)
            raise FormatError(path, where, f"{component.name} {label!r}: {name}: {problem}")
        if "recurrence-id" in component:
            when = component.get("recurrence-id").to_ical().decode()
            result.notes.append(
                f"{path}:{start}: {label!r}: the exception of {when} is not imported (not modelled)"
            )
            continue
        try:
            if component.name == "VEVENT":
                result.items.append(_event(component, _Notes(result.notes, f"{path}:{start}")))
            else:
                result.items.append(_todo(component))
        except (ValueError, TypeError, KeyError) as bad:
            raise FormatError(path, start, f"{component.name} {label!r}: {bad}") from None
    return result


_BEGINS = {"BEGIN:VEVENT", "BEGIN:VTODO"}


def _line_of(lines: list[str], start: int, name: str) -> int:
    """The line of property ``name`` in the component that begins at ``start``."""
    for number in range(start, len(lines) + 1):
        line = lines[number - 1].upper()
        if line.startswith((name.upper() + ":", name.upper() + ";")):
            return number
        if line.startswith(("END:VEVENT", "END:VTODO")):
            break
    return start


@dataclass
class _Notes:
    """Notes of one component, each prefixed with where it is."""

    notes: list[str]
    where: str

    def add(self, text: str) -> None:
        self.notes.append(f"{self.where}: {text}")


def write_ics(path: Path, items: list[CalendarItem]) -> None:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//syncsim//EN")
    calendar.add("version", "2.0")
    for number, item in enumerate(items, start=1):
        calendar.add_component(_component(item, number))
    path.write_bytes(calendar.to_ical())


# -- reading -------------------------------------------------------------------------------------


def _when(component: Any, name: str) -> datetime | None:
    if name not in component:
        return None
    value = component.decoded(name)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise ValueError(f"{name.upper()} is not a date or time: {value!r}")


def _event(component: Any, notes: _Notes) -> CalendarItem:
    subject = str(component.get("summary", "")) or None
    props: dict[str, Any] = {
        "Subject": subject,
        "Location": str(component.get("location", "")) or None,
        "Body": str(component.get("description", "")) or None,
        "Start": _when(component, "dtstart"),
        "End": _when(component, "dtend"),
        "AllDayEvent": not isinstance(component.decoded("dtstart"), datetime)
        if "dtstart" in component
        else None,
        "Importance": _importance(component, default=None),
        **_people(component),
    }
    rule = component.get("rrule")
    props["IsRecurring"] = rule is not None
    if rule is not None:
        props["RecurrencePattern"] = _pattern(rule, subject, notes)
    for name in ("exdate", "rdate"):
        if name in component:
            notes.add(f"{subject!r}: {name.upper()} not imported (syncsim's recurrence has no exceptions)")
    return CalendarItem("appointment", _present(props), _attachments(component, subject, notes))


#: RRULE parts syncsim's recurrence pattern holds; the others are named in a note
_PATTERN_PARTS = {"FREQ", "INTERVAL", "COUNT"}


def _pattern(rule: Any, subject: str | None, notes: _Notes) -> dict[str, Any]:
    frequency = rule.get("FREQ", [""])[0]
    if frequency not in FREQUENCIES:
        raise ValueError(f"RRULE FREQ {frequency!r}; supported: {', '.join(FREQUENCIES)}")
    for part in sorted(set(rule) - _PATTERN_PARTS):
        value = ",".join(str(v) for v in rule[part])
        notes.add(f"{subject!r}: RRULE {part}={value} not imported (the pattern keeps type, interval, count)")
    return {
        "RecurrenceType": FREQUENCIES[frequency],
        "Interval": int(rule.get("INTERVAL", [1])[0]),
        "Occurrences": int(rule["COUNT"][0]) if "COUNT" in rule else None,
    }


def _people(component: Any) -> dict[str, Any]:
    """ATTENDEE (by ROLE: optional or required) and ORGANIZER, as Outlook shows them: names
    (CN, else the address) separated by "; "."""
    attendees = component.get("attendee") or []
    required: list[str] = []
    optional: list[str] = []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        role = str(attendee.params.get("ROLE", "REQ-PARTICIPANT")).upper()
        (optional if role == "OPT-PARTICIPANT" else required).append(_person(attendee))
    organizer = component.get("organizer")
    return {
        "RequiredAttendees": "; ".join(required) or None,
        "OptionalAttendees": "; ".join(optional) or None,
        "Organizer": _person(organizer) if organizer is not None else None,
    }


def _person(address: Any) -> str:
    return str(address.params.get("CN") or str(address).removeprefix("mailto:").removeprefix("MAILTO:"))


def _attachments(component: Any, subject: str | None, notes: _Notes) -> dict[str, bytes]:
    attachments: dict[str, bytes] = {}
    if "attach" not in component:
        return attachments
    raw, decoded = component.get("attach"), component.decoded("attach")
    if not isinstance(raw, list):
        raw, decoded = [raw], [decoded]
    for attach, content in zip(raw, decoded, strict=True):
        if isinstance(attach, icalendar.vBinary):
            name = str(attach.params.get("X-FILENAME") or f"attachment-{len(attachments) + 1}")
            attachments[safe_filename(name)] = content
        else:
            notes.add(f"{subject!r}: attachment by URI not imported: {attach}")
    return attachments


def _importance(component: Any, default: int | None = 1) -> int | None:
    """Outlook's Importance (0 low, 1 normal, 2 high): its own X-MICROSOFT-CDO-IMPORTANCE, else
    iCalendar's PRIORITY (1-4 high, 5 normal, 6-9 low), else ``default``."""
    if "x-microsoft-cdo-importance" not in component and "priority" not in component:
        return default
    if "x-microsoft-cdo-importance" in component:
        return min(max(int(component.get("x-microsoft-cdo-importance")), 0), 2)
    priority = int(component.get("priority", 0))
    return 2 if 1 <= priority <= 4 else 0 if priority >= 6 else 1


def _todo(component: Any) -> CalendarItem:
    props = {
        "Subject": str(component.get("summary", "")) or None,
        "Body": str(component.get("description", "")) or None,
        "DueDate": _when(component, "due"),
        "Importance": _importance(component),
        "PercentComplete": int(component.get("percent-complete", 0)),
        "IsRecurring": True if component.get("rrule") is not None else None,
    }
    return CalendarItem("task", _present(props))


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if value is not None}


# -- writing -------------------------------------------------------------------------------------


def _component(item: CalendarItem, number: int) -> Any:
    props = item.properties
    if item.kind == "task":
        todo = icalendar.Todo()
        todo.add("uid", f"task-{number}@syncsim")
        todo.add("summary", props.get("Subject") or "")
        if props.get("Body"):
            todo.add("description", props["Body"])
        if props.get("DueDate"):
            todo.add("due", props["DueDate"])
        todo.add("priority", {2: 1, 1: 5, 0: 9}.get(props.get("Importance", 1), 5))
        todo.add("percent-complete", props.get("PercentComplete") or 0)
        if props.get("IsRecurring"):
            todo.add("rrule", {"FREQ": "WEEKLY"})
        return todo
    event = icalendar.Event()
    event.add("uid", f"event-{number}@syncsim")
    event.add("summary", props.get("Subject") or "")
    for key, prop in (("location", "Location"), ("description", "Body")):
        if props.get(prop):
            event.add(key, props[prop])
    if props.get("Importance") is not None:
        event.add("x-microsoft-cdo-importance", str(props["Importance"]))
    for key, prop in (("dtstart", "Start"), ("dtend", "End")):
        if props.get(prop):
            event.add(key, props[prop])
    pattern = props.get("RecurrencePattern") or {}
    if props.get("IsRecurring"):
        rule: dict[str, Any] = {
            "FREQ": {v: k for k, v in FREQUENCIES.items()}[pattern.get("RecurrenceType", "weekly")]
        }
        rule["INTERVAL"] = pattern.get("Interval") or 1
        if pattern.get("Occurrences"):
            rule["COUNT"] = pattern["Occurrences"]
        event.add("rrule", rule)
    for name, content in sorted(item.attachments.items()):
        inline = icalendar.prop.vInline(base64.b64encode(content).decode())  # base64 once, as is
        params = {"ENCODING": "BASE64", "VALUE": "BINARY", "X-FILENAME": safe_filename(name)}
        event.add("attach", inline, parameters=params)
    return event
