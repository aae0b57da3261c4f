"""Outlook appointments and tasks from and to iCalendar (.ics), with icalendar.

``VEVENT`` -> appointment: ``RRULE`` -> Outlook's RecurrencePattern (type, interval, weekdays,
day of month, month, the nth weekday, end date or count), ``EXDATE`` and ``RECURRENCE-ID``
exceptions -> its Exceptions (attached to their series by UID), ``ATTENDEE`` by role ->
RequiredAttendees / OptionalAttendees, ``ORGANIZER`` -> Organizer (each with its name and
address: CRM resolves parties by address; a room or resource, ``CUTYPE``, is noted, not an
attendee), ``ATTACH`` inline -> attachment bytes; a cancelled event (``STATUS:CANCELLED``) is
noted and left out. ``VTODO`` -> task. Times keep their zone: IANA and Windows TZIDs and the
VTIMEZONEs of the file are understood (icalendar reads them); a TZID none of them knows is a
problem at its line, never a time without zone.

Each component is read on its own: one bad event (a broken RRULE, an unknown zone, a series
Outlook cannot hold) is a problem at its line and the others load; a VTIMEZONE icalendar cannot
read is a problem too, and only the events that use it fail. What an Outlook item cannot hold
(an RDATE, an ATTACH by URI, WKST) is named in a note with its line. Export writes the same back.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import icalendar
import recurring_ical_events

from ... import schema
from . import timezones
from .errors import Export, FormatError, Item, safe_filename, with_lf
from .parties import party, resource_note

FREQUENCIES = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
BITS = dict(schema.WEEKDAY_BITS)
#: Outlook's Instance: 1-4 the nth weekday of the month, 5 the last (iCalendar's -1)
LAST = 5
#: Outlook property -> where an .ics holds it, per Outlook kind (docs/formats.md); the carried fields
SOURCES = {
    "appointment": {
        "Subject": "VEVENT SUMMARY",
        "Location": "VEVENT LOCATION",
        "Body": "VEVENT DESCRIPTION",
        "Start": "VEVENT DTSTART (its TZID: IANA, Windows name or display name, or the file's VTIMEZONE)",
        "End": "VEVENT DTEND",
        "AllDayEvent": "VEVENT DTSTART as a DATE",
        "Importance": "VEVENT X-MICROSOFT-CDO-IMPORTANCE, or PRIORITY",
        "RequiredAttendees": "VEVENT ATTENDEE (CN <address>; a CUTYPE room or resource is noted)",
        "OptionalAttendees": "VEVENT ATTENDEE;ROLE=OPT-PARTICIPANT (CN <address>)",
        "Organizer": "VEVENT ORGANIZER (CN <address>)",
        "IsRecurring": "VEVENT RRULE present",
        "RecurrencePattern": "VEVENT RRULE, EXDATE, and the RECURRENCE-ID components of its UID",
    },
    "task": {
        "Subject": "VTODO SUMMARY",
        "Body": "VTODO DESCRIPTION",
        "StartDate": "VTODO DTSTART",
        "DueDate": "VTODO DUE",
        "DateCompleted": "VTODO COMPLETED",
        "Complete": "VTODO STATUS:COMPLETED",
        "Importance": "VTODO PRIORITY",
        "PercentComplete": "VTODO PERCENT-COMPLETE",
        "IsRecurring": "VTODO RRULE present",
    },
}
EVENT_FIELDS = tuple(SOURCES["appointment"])
TASK_FIELDS = tuple(SOURCES["task"])


@dataclass
class CalendarItem:
    kind: str  # "appointment" or "task"
    properties: dict[str, Any]
    attachments: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Calendar:
    items: list[CalendarItem]
    notes: list[str] = field(default_factory=list)


def read(path: Path) -> Export:
    """Every appointment and task of an .ics file, with a problem for each bad component."""
    export = Export(path, "iCalendar", "outlook")
    export.carry("appointment", EVENT_FIELDS)
    export.carry("task", TASK_FIELDS)
    try:
        text = with_lf(path.read_bytes()).decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise FormatError(path, 1, f"not UTF-8 text ({bad.reason})") from None
    lines = text.split("\n")
    blocks = _components(lines)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise FormatError(path, 1, "not iCalendar: no BEGIN:VCALENDAR")
    zones = _timezones(export, lines, blocks)
    masters: dict[str, Item] = {}
    exceptions: list[tuple[int, Any]] = []
    for name, start, end in blocks:
        if name not in ("VEVENT", "VTODO"):
            if name != "VTIMEZONE":
                export.note(start, f"{name}: no Outlook appointment or task; not imported")
            continue
        component = _parse(export, lines, zones, start, end, name)
        if component is None:
            continue
        if "recurrence-id" in component:
            exceptions.append((start, component))
            continue
        item = _item(export, lines, start, component)
        if item is not None:
            export.items.append(item)
            masters.setdefault(str(component.get("uid", "")), item)
    for start, component in exceptions:
        _attach_exception(export, start, component, masters)
    return export


def read_ics(path: Path) -> Calendar:
    """The whole file or a FormatErrors with every problem (the strict reading, as a calendar)."""
    export = read(path).settle(skip_bad=False)
    return Calendar([CalendarItem(i.kind, i.fields, i.attachments) for i in export.items], export.notes)


# -- finding and parsing components --------------------------------------------------------------


def _components(lines: list[str]) -> list[tuple[str, int, int]]:
    """(name, first line, last line) of each component directly inside the VCALENDAR."""
    found, depth, current = [], 0, None
    for number, line in enumerate(lines, start=1):
        upper = line.strip().upper()
        if upper.startswith("BEGIN:"):
            depth += 1
            if depth == 2:
                current = (upper[6:], number)
        elif upper.startswith("END:"):
            if depth == 2 and current:
                found.append((current[0], current[1], number))
            depth -= 1
    return found


def _timezones(export: Export, lines: list[str], blocks: list[tuple[str, int, int]]) -> str:
    """The text of every VTIMEZONE icalendar can read; each one it cannot is a problem."""
    good = []
    for name, start, end in blocks:
        if name != "VTIMEZONE":
            continue
        text = "\n".join(lines[start - 1 : end])
        try:
            icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\n{text}\nEND:VCALENDAR\n")
            good.append(text)
        except ValueError as bad:
            tzid = next(
                (line[5:] for line in lines[start - 1 : end] if line.upper().startswith("TZID:")), "?"
            )
            export.problem(start, f"VTIMEZONE {tzid!r} cannot be read ({bad}); events in it cannot be placed")
    return "\n".join(good)


#: a TZID parameter holding a Windows display name unquoted, its offset's colon and all, as
#: OWA writes it: ``DTSTART;TZID=(UTC-05:00) Eastern Time (US & Canada):2026...``
_UNQUOTED_DISPLAY_TZID = re.compile(r'TZID=(\((?:UTC|GMT)[+-]\d\d:\d\d\)[^:;"]*)(?=[:;])')
#: a rule's list written with spaces after the commas (``BYDAY=MO, TU, WE``), which Outlook reads
_SPACED_LIST = re.compile(r",\s+")


def _tolerated(line: str) -> str:
    """A line as the reader takes it: what Outlook and OWA write and read, though RFC 5545 says
    otherwise, made plain (the display-name TZID quoted, a rule's spaced list closed up)."""
    if "TZID=(" in line:
        line = _UNQUOTED_DISPLAY_TZID.sub(r'TZID="\1"', line)
    if line[:6].upper() in ("RRULE:", "EXRULE") and ", " in line:
        line = _SPACED_LIST.sub(",", line)
    return line


def _parse(export: Export, lines: list[str], zones: str, start: int, end: int, name: str) -> Any:
    """One component, parsed with the file's readable VTIMEZONEs; None (and a problem) if bad."""
    text = "\n".join(map(_tolerated, lines[start - 1 : end]))
    try:
        [component] = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\n{zones}\n{text}\nEND:VCALENDAR\n").walk(
            name
        )
    except (ValueError, IndexError) as bad:
        export.problem(start, f"{name}: {bad}")
        return None
    for prop, problem in getattr(component, "errors", []):  # icalendar collects these, never raises
        if not prop:  # (some come with no property name: a line that is no property at all)
            return _rejoined(export, lines, zones, start, end, name, str(problem))
        export.problem(_line_of(lines, start, prop), f"{name} {_label(component)!r}: {prop}: {problem}")
        return None
    return component


def _rejoined(
    export: Export, lines: list[str], zones: str, start: int, end: int, name: str, problem: str
) -> Any:
    """A component whose value runs over lines that are no property (Exchange 2010 writes a
    description so, unfolded), read with those lines joined to the value before them as the line
    breaks Outlook shows; a note names them. If that still does not read, a problem at the first."""
    stray = _stray_line(lines, start, end)
    joined: list[str] = []
    strays = []
    for number in range(start, end + 1):
        line = lines[number - 1]
        if joined and line and not line.startswith((" ", "\t")) and not _CONTENT_LINE.match(line):
            joined[-1] += "\\n" + line.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            strays.append(number)
        else:
            joined.append(line)
    text = "\n".join(joined)
    try:
        [component] = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\n{zones}\n{text}\nEND:VCALENDAR\n").walk(
            name
        )
    except (ValueError, IndexError):
        component = None
    named = [(prop, bad) for prop, bad in getattr(component, "errors", []) if prop]
    if component is not None and named:  # mended, but another property is bad: that one is the problem
        prop, bad = named[0]
        export.problem(_line_of(lines, start, prop), f"{name} {_label(component)!r}: {prop}: {bad}")
        return None
    if component is None or getattr(component, "errors", []):
        export.problem(
            stray,
            f"{name}: line {stray} is no property ({problem}): a value that runs over several lines must "
            "continue each with a space (folding), as Outlook writes it",
        )
        return None
    owner = lines[stray - 2].split(":", 1)[0].split(";", 1)[0].upper() if stray > start else "?"
    export.note(
        stray,
        f"{name} {_label(component)!r}: {owner} runs on over {len(strays)} line(s) without folding "
        "(as Exchange 2010 writes it): joined with line breaks, as Outlook shows it",
    )
    return component


#: a content line: a property name, then its parameters or its value
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")


def _stray_line(lines: list[str], start: int, end: int) -> int:
    """The first line of a component that is neither a property nor a folded continuation."""
    for number in range(start, end + 1):
        line = lines[number - 1]
        if line and not line.startswith((" ", "\t")) and not _CONTENT_LINE.match(line):
            return number
    return start


def _line_of(lines: list[str], start: int, name: str) -> int:
    """The line of property ``name`` in the component that begins at ``start``."""
    for number in range(start, len(lines) + 1):
        line = lines[number - 1].upper()
        if line.startswith((name.upper() + ":", name.upper() + ";")):
            return number
        if line.startswith(("END:VEVENT", "END:VTODO")):
            break
    return start


def _label(component: Any) -> str:
    return str(component.get("summary") or component.get("uid") or "?")


# -- events and tasks ----------------------------------------------------------------------------


class _Refused(ValueError):
    """A component Outlook cannot hold, at a line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _item(export: Export, lines: list[str], start: int, component: Any) -> Item | None:
    label = _label(component)
    if component.name == "VEVENT" and str(component.get("status", "")).upper() == "CANCELLED":
        export.note(
            start, f"{label!r}: STATUS:CANCELLED, a cancelled meeting, no live appointment: not imported"
        )
        return None
    try:
        if component.name == "VEVENT":
            return _event(export, lines, start, component)
        return Item("task", _todo(lines, start, component), start)
    except _Refused as bad:
        export.problem(bad.line, f"{component.name} {label!r}: {bad}")
    except (ValueError, TypeError, KeyError) as bad:
        export.problem(start, f"{component.name} {label!r}: {bad}")
    return None


def _event(export: Export, lines: list[str], start: int, component: Any) -> Item:
    subject = str(component.get("summary", "")) or None
    props: dict[str, Any] = {
        "Subject": subject,
        "Location": str(component.get("location", "")) or None,
        "Body": str(component.get("description", "")) or None,
        "Start": _when(lines, start, component, "dtstart"),
        "End": _when(lines, start, component, "dtend"),
        "AllDayEvent": not isinstance(component.decoded("dtstart"), datetime)
        if "dtstart" in component
        else None,
        "Importance": _importance(component, default=None),
        **_people(export, lines, start, component),
    }
    rule = component.get("rrule")
    props["IsRecurring"] = rule is not None
    if rule is not None:
        pattern = _pattern(lines, start, rule, export)
        deleted = [{"OriginalDate": when, "Deleted": True} for when in _dates(component, "exdate")]
        if deleted:
            pattern["Exceptions"] = deleted
        props["RecurrencePattern"] = pattern
    for when in _dates(component, "rdate"):
        shown = " to ".join(map(str, when)) if isinstance(when, tuple) else str(when)  # a PERIOD
        export.note(
            _line_of(lines, start, "rdate"),
            f"{subject!r}: RDATE {shown} not imported (an Outlook series has no extra dates)",
        )
    alarms = [sub for sub in component.subcomponents if sub.name == "VALARM"]
    if alarms:
        export.note(
            start,
            f"{subject!r}: {len(alarms)} VALARM(s) not imported "
            "(Outlook's reminder, which syncsim does not sync)",
        )
    return Item("appointment", _present(props), start, _attachments(export, lines, start, component, subject))


def _pattern(lines: list[str], start: int, rule: Any, export: Export) -> dict[str, Any]:
    """RRULE -> Outlook's RecurrencePattern; a rule Outlook cannot hold is refused at its line."""
    line = _line_of(lines, start, "rrule")
    frequency = rule.get("FREQ", [""])[0]
    if frequency not in FREQUENCIES:
        raise _Refused(line, f"RRULE FREQ {frequency!r}; Outlook repeats {', '.join(FREQUENCIES)}")
    unsupported = sorted(
        set(rule)
        - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
    )
    if unsupported:
        raise _Refused(line, f"RRULE {', '.join(unsupported)}: no Outlook pattern repeats that way")
    if "WKST" in rule:
        export.note(line, f"RRULE WKST={rule['WKST'][0]} not imported (Outlook's week start is the user's)")
    pattern: dict[str, Any] = {
        "RecurrenceType": FREQUENCIES[frequency],
        "Interval": int(rule.get("INTERVAL", [1])[0]),
        "Occurrences": int(rule["COUNT"][0]) if "COUNT" in rule else None,
        "PatternEndDate": _moment(rule["UNTIL"][0]) if "UNTIL" in rule else None,
    }
    pattern.update(_days(line, frequency, rule))
    return _present(pattern)


def _days(line: int, frequency: str, rule: Any) -> dict[str, Any]:
    """The weekdays, day of month, month and nth weekday of a rule, as Outlook holds them."""
    days = [str(day) for day in rule.get("BYDAY", [])]
    nths = {re.match(r"^([+-]?\d*)", day).group(1) for day in days}  # type: ignore[union-attr]
    weekdays = [day.lstrip("+-0123456789") for day in days]
    if any(day not in BITS for day in weekdays):
        raise _Refused(line, f"RRULE BYDAY={','.join(days)}: not weekdays")
    out: dict[str, Any] = {}
    if weekdays:
        out["DayOfWeekMask"] = sum(BITS[day] for day in set(weekdays))
    instance = next(iter(nths), "") or (str(rule["BYSETPOS"][0]) if "BYSETPOS" in rule else "")
    if instance:
        if frequency not in ("MONTHLY", "YEARLY") or len(nths) > 1:
            raise _Refused(line, f"RRULE BYDAY={','.join(days)}: Outlook holds one nth weekday a month")
        out["Instance"] = LAST if int(instance) == -1 else int(instance)
        if not 1 <= out["Instance"] <= LAST:
            raise _Refused(line, f"RRULE: the {instance}th weekday; Outlook holds 1st to 4th and last")
    for key, name in (("BYMONTHDAY", "DayOfMonth"), ("BYMONTH", "MonthOfYear")):
        values = rule.get(key, [])
        if len(values) > 1:
            raise _Refused(line, f"RRULE {key}={','.join(map(str, values))}: Outlook holds one")
        if values:
            out[name] = int(values[0])
    if frequency == "DAILY" and weekdays:  # every weekday: Outlook keeps it as a weekly pattern
        return {**out, "RecurrenceType": "weekly"}
    return out


def _dates(component: Any, name: str) -> list[Any]:
    found = component.get(name)
    if found is None:
        return []
    return [d.dt for entry in (found if isinstance(found, list) else [found]) for d in entry.dts]


def _attach_exception(export: Export, start: int, component: Any, masters: dict[str, Item]) -> None:
    """A RECURRENCE-ID component: an exception of the series with its UID."""
    master = masters.get(str(component.get("uid", "")))
    label = _label(component)
    if master is None or "RecurrencePattern" not in master.fields:
        export.problem(start, f"VEVENT {label!r}: an exception (RECURRENCE-ID) of a series not in this file")
        return
    cancelled = str(component.get("status", "")).upper() == "CANCELLED"
    exception: dict[str, Any] = {"OriginalDate": component.decoded("recurrence-id"), "Deleted": cancelled}
    if not cancelled:
        exception.update(
            _present(
                {
                    "Start": component.decoded("dtstart") if "dtstart" in component else None,
                    "End": component.decoded("dtend") if "dtend" in component else None,
                    "Subject": str(component.get("summary", "")) or None,
                    "Location": str(component.get("location", "")) or None,
                }
            )
        )
    pattern = master.fields["RecurrencePattern"]
    pattern["Exceptions"] = sorted(
        [*pattern.get("Exceptions", []), exception], key=lambda e: _sortable(e["OriginalDate"])
    )


def _sortable(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _when(lines: list[str], start: int, component: Any, name: str) -> datetime | None:
    if name not in component:
        return None
    value = component.decoded(name)
    tzid = component.get(name).params.get("TZID")
    if isinstance(value, datetime) and value.tzinfo is None and tzid:
        zone = timezones.zone(str(tzid))  # a Windows display name icalendar does not know
        if zone is None:
            raise _Refused(
                _line_of(lines, start, name),
                f"{name.upper()} TZID {tzid!r}: no IANA or Windows zone or display name, and no VTIMEZONE "
                "of the file defines it",
            )
        return value.replace(tzinfo=zone)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise ValueError(f"{name.upper()} is not a date or time: {value!r}")


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def _people(export: Export, lines: list[str], start: int, component: Any) -> dict[str, Any]:
    """ATTENDEE (by ROLE: optional or required) and ORGANIZER, each as its name and address
    (:func:`party`), separated by "; ". A room or other resource (CUTYPE) is Outlook's Resources,
    which syncsim does not sync: a note names it."""
    attendees = component.get("attendee") or []
    required: list[str] = []
    optional: list[str] = []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        if str(attendee.params.get("CUTYPE", "")).upper() in ("RESOURCE", "ROOM"):
            export.note(
                _line_of(lines, start, "attendee"), resource_note(_label(component), _person(attendee))
            )
            continue
        role = str(attendee.params.get("ROLE", "REQ-PARTICIPANT")).upper()
        (optional if role == "OPT-PARTICIPANT" else required).append(_person(attendee))
    organizer = component.get("organizer")
    return {
        "RequiredAttendees": "; ".join(required) or None,
        "OptionalAttendees": "; ".join(optional) or None,
        "Organizer": _person(organizer) if organizer is not None else None,
    }


def _person(address: Any) -> str:
    return party(str(address.params.get("CN") or ""), str(address))


def _attachments(
    export: Export, lines: list[str], start: int, component: Any, subject: str | None
) -> dict[str, bytes]:
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
            export.note(
                _line_of(lines, start, "attach"), f"{subject!r}: attachment by URI not imported: {attach}"
            )
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


def _todo(lines: list[str], start: int, component: Any) -> dict[str, Any]:
    completed = str(component.get("status", "")).upper() == "COMPLETED"
    return _present(
        {
            "Subject": str(component.get("summary", "")) or None,
            "Body": str(component.get("description", "")) or None,
            "StartDate": _when(lines, start, component, "dtstart"),
            "DueDate": _when(lines, start, component, "due"),
            "DateCompleted": _when(lines, start, component, "completed"),
            "Complete": True if completed else None,
            "Importance": _importance(component),
            "PercentComplete": int(component.get("percent-complete", 100 if completed else 0)),
            "IsRecurring": True if component.get("rrule") is not None else None,
        }
    )


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if value is not None}


# -- writing -------------------------------------------------------------------------------------


def write_ics(path: Path, items: list[CalendarItem]) -> None:
    path.write_bytes(calendar_of(items).to_ical())


def calendar_of(items: list[CalendarItem]) -> Any:
    """The items as one iCalendar (icalendar's ``Calendar``): each series with its rule,
    deleted occurrences as EXDATE and changed ones as their own RECURRENCE-ID components."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//syncsim//EN")
    calendar.add("version", "2.0")
    for number, item in enumerate(items, start=1):
        for component in _components_of(item, number):
            calendar.add_component(component)
    return calendar


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a series between two moments: when it is, when it was meant to be (its
    original start), and whether it is an exception (moved or changed)."""

    start: datetime
    end: datetime
    original_start: datetime
    exception: bool
    subject: str | None
    location: str | None


def occurrences(properties: dict[str, Any], start: datetime, end: datetime) -> list[Occurrence]:
    """The occurrences of an appointment's series (or the appointment itself) that overlap
    ``start`` to ``end``, expanded by recurring-ical-events from the series as iCalendar has it."""
    calendar = calendar_of([CalendarItem("appointment", properties)])
    changed = {
        _moment(e["OriginalDate"])
        for e in (properties.get("RecurrencePattern") or {}).get("Exceptions") or []
        if not e.get("Deleted")
    }
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        began, ended = (_moment(event.decoded(key)) for key in ("dtstart", "dtend"))
        original = event.get("recurrence-id")
        meant = _moment(original.dt) if original is not None else began
        summary, location = event.get("summary"), event.get("location")
        found.append(
            Occurrence(
                began,
                ended,
                meant,
                meant in changed,
                None if summary is None else str(summary),
                None if location is None else str(location),
            )
        )
    return sorted(found, key=lambda o: o.start)


def _components_of(item: CalendarItem, number: int) -> list[Any]:
    if item.kind == "task":
        return [_todo_component(item.properties, number)]
    event = _event_component(item, number)
    exceptions = (item.properties.get("RecurrencePattern") or {}).get("Exceptions") or []
    changed = [_exception_component(e, number) for e in exceptions if not e.get("Deleted")]
    return [event, *changed]


def _todo_component(props: dict[str, Any], number: int) -> Any:
    todo = icalendar.Todo()
    todo.add("uid", f"task-{number}@syncsim")
    todo.add("summary", props.get("Subject") or "")
    if props.get("Body"):
        todo.add("description", props["Body"])
    for key, prop in (("dtstart", "StartDate"), ("due", "DueDate"), ("completed", "DateCompleted")):
        if props.get(prop):
            todo.add(key, props[prop])
    if props.get("Complete"):
        todo.add("status", "COMPLETED")
    todo.add("priority", {2: 1, 1: 5, 0: 9}.get(props.get("Importance", 1), 5))
    todo.add("percent-complete", props.get("PercentComplete") or 0)
    if props.get("IsRecurring"):
        todo.add("rrule", {"FREQ": "WEEKLY"})
    return todo


def _event_component(item: CalendarItem, number: int) -> Any:
    props = item.properties
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
        event.add("rrule", _rule(pattern))
        deleted = [e["OriginalDate"] for e in pattern.get("Exceptions") or [] if e.get("Deleted")]
        if deleted:
            event.add("exdate", deleted)
    for name, content in sorted(item.attachments.items()):
        inline = icalendar.prop.vInline(base64.b64encode(content).decode())  # base64 once, as is
        params = {"ENCODING": "BASE64", "VALUE": "BINARY", "X-FILENAME": safe_filename(name)}
        event.add("attach", inline, parameters=params)
    return event


def _rule(pattern: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "FREQ": {v: k for k, v in FREQUENCIES.items()}[pattern.get("RecurrenceType", "weekly")]
    }
    rule["INTERVAL"] = pattern.get("Interval") or 1
    if pattern.get("Occurrences"):
        rule["COUNT"] = pattern["Occurrences"]
    if pattern.get("PatternEndDate"):
        rule["UNTIL"] = pattern["PatternEndDate"]
    mask = pattern.get("DayOfWeekMask") or 0
    days = [day for day, bit in BITS.items() if mask & bit]
    instance = pattern.get("Instance")
    if days:
        nth = "" if not instance else "-1" if instance == LAST else str(instance)
        rule["BYDAY"] = [f"{nth}{day}" for day in days]
    for key, name in (("BYMONTHDAY", "DayOfMonth"), ("BYMONTH", "MonthOfYear")):
        if pattern.get(name):
            rule[key] = pattern[name]
    return rule


def _exception_component(exception: dict[str, Any], number: int) -> Any:
    event = icalendar.Event()
    event.add("uid", f"event-{number}@syncsim")
    event.add("recurrence-id", exception["OriginalDate"])
    for key, prop in (
        ("dtstart", "Start"),
        ("dtend", "End"),
        ("summary", "Subject"),
        ("location", "Location"),
    ):
        if exception.get(prop):
            event.add(key, exception[prop])
    return event
