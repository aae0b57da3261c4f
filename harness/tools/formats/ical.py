"""Outlook appointments and tasks from and to iCalendar (.ics), with icalendar.

``VEVENT`` -> appointment (``RRULE`` -> IsRecurring and RecurrencePattern; ``ATTACH`` inline as
attachment bytes; ``ATTACH`` by URI cannot be fetched here and is reported, never dropped
silently). ``VTODO`` -> task. Export writes the same, attachments inline with a safe file name.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import icalendar

from harness.tools.formats.errors import FormatError, safe_filename

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
        calendar = icalendar.Calendar.from_ical(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    except ValueError as bad:
        raise FormatError(path, 1, f"not iCalendar: {bad}") from None
    result = Calendar([])
    for number, component in enumerate(calendar.walk(), start=1):
        if component.name not in ("VEVENT", "VTODO"):
            continue
        try:
            if component.name == "VEVENT":
                result.items.append(_event(component, result.notes))
            else:
                result.items.append(_todo(component))
        except (ValueError, TypeError, KeyError) as bad:
            label = component.get("summary") or component.get("uid") or "?"
            raise FormatError(path, number, f"{component.name} {str(label)!r}: {bad}") from None
    return result


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


def _event(component: Any, notes: list[str]) -> CalendarItem:
    props: dict[str, Any] = {
        "Subject": str(component.get("summary", "")) or None,
        "Location": str(component.get("location", "")) or None,
        "Body": str(component.get("description", "")) or None,
        "Start": _when(component, "dtstart"),
        "End": _when(component, "dtend"),
        "AllDayEvent": not isinstance(component.decoded("dtstart"), datetime)
        if "dtstart" in component
        else None,
    }
    rule = component.get("rrule")
    props["IsRecurring"] = rule is not None
    if rule is not None:
        frequency = rule.get("FREQ", [""])[0]
        if frequency not in FREQUENCIES:
            raise ValueError(f"RRULE FREQ {frequency!r}; supported: {', '.join(FREQUENCIES)}")
        props["RecurrencePattern"] = {
            "RecurrenceType": FREQUENCIES[frequency],
            "Interval": int(rule.get("INTERVAL", [1])[0]),
            "Occurrences": int(rule["COUNT"][0]) if "COUNT" in rule else None,
        }
    attachments: dict[str, bytes] = {}
    raw, decoded = component.get("attach"), component.decoded("attach") if "attach" in component else []
    if not isinstance(raw, list):
        raw, decoded = [raw], [decoded]
    for attach, content in zip(raw, decoded, strict=True):
        if isinstance(attach, icalendar.vBinary):
            name = str(attach.params.get("X-FILENAME") or f"attachment-{len(attachments) + 1}")
            attachments[safe_filename(name)] = content
        else:
            notes.append(f"{props['Subject']!r}: attachment by URI not imported: {attach}")
    return CalendarItem("appointment", _present(props), attachments)


def _todo(component: Any) -> CalendarItem:
    priority = int(component.get("priority", 0))
    props = {
        "Subject": str(component.get("summary", "")) or None,
        "Body": str(component.get("description", "")) or None,
        "DueDate": _when(component, "due"),
        "Importance": 2 if 1 <= priority <= 4 else 0 if priority >= 6 else 1,
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
