"""Outlook contacts and events from Microsoft Graph JSON (``/me/contacts``, ``/me/events``, a
``calendarView``, one resource, a page with ``@odata.nextLink`` or ``@odata.deltaLink``).

Contacts: givenName, surname, emailAddresses, businessPhones, homePhones, the three postal
addresses, personalNotes and the rest, each to its Outlook property. Graph has no mailing address
marker either: the same assumption as Outlook's CSV export (``mailing``). Events: subject, body,
start and end with their ``timeZone`` (IANA or Windows; an unknown zone is a problem), location,
attendees by type, organizer, isAllDay, importance, the recurrence pattern and range, expanded
``attachments`` (file attachments; item and reference attachments are named in a note), and the
``occurrence``/``exception`` instances of a calendar view attached to their series as exceptions.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from ... import schema
from . import ical, timezones
from .crmfiles import load_json, record_lines
from .errors import Export, FormatError, Item, safe_filename
from .outlookcsv import mailing_address
from .parties import party, resource_note

CONTACT_TEXTS = {
    "givenName": "FirstName",
    "surname": "LastName",
    "jobTitle": "JobTitle",
    "companyName": "CompanyName",
    "department": "Department",
    "officeLocation": "OfficeLocation",
    "mobilePhone": "MobileTelephoneNumber",
    "personalNotes": "Body",
    "nickName": "NickName",
    "spouseName": "Spouse",
    "assistantName": "AssistantName",
    "manager": "ManagerName",
    "businessHomePage": "WebPage",
    "yomiGivenName": "YomiFirstName",
    "yomiSurname": "YomiLastName",
}
PHONES = {
    "businessPhones": ("BusinessTelephoneNumber", "Business2TelephoneNumber"),
    "homePhones": ("HomeTelephoneNumber", "Home2TelephoneNumber"),
}
ADDRESSES = {"businessAddress": "Business", "homeAddress": "Home", "otherAddress": "Other"}
ADDRESS_PARTS = {"street": "Street", "city": "City", "state": "State", "postalCode": "PostalCode"}
ADDRESS_PARTS["countryOrRegion"] = "Country"
EMAILS = ("Email1Address", "Email2Address", "Email3Address")
PATTERNS = {
    "daily": "daily",
    "weekly": "weekly",
    "absoluteMonthly": "monthly",
    "relativeMonthly": "monthly",
    "absoluteYearly": "yearly",
    "relativeYearly": "yearly",
}
WEEKDAYS = {
    "sunday": "SU",
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
}
INDEXES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": ical.LAST}
IMPORTANCE = {"low": 0, "normal": 1, "high": 2}


def looks_like_graph(document: Any) -> bool:
    """Whether a JSON document is Graph's: its context, or contact/event shapes."""
    first = document[0] if isinstance(document, list) and document else document
    if not isinstance(first, dict):
        return False
    if "graph.microsoft.com" in str(first.get("@odata.context", "")):
        return True
    records = first.get("value") if isinstance(first.get("value"), list) else [first]
    sample = records[0] if records and isinstance(records[0], dict) else {}
    return (
        bool({"givenName", "emailAddresses", "businessPhones"} & set(sample))
        or isinstance(sample.get("start"), dict)
        or _is_todo_task(sample)
    )


def _is_todo_task(record: dict[str, Any]) -> bool:
    """A Microsoft To Do task (todoTask): a title and a status, where an event has a subject."""
    return "title" in record and "status" in record and "subject" not in record


def read(path: Path, mailing: str | None = None) -> Export:
    export = Export(path, "Microsoft Graph JSON", "outlook")
    document = load_json(path)
    listed = isinstance(document, list) and bool(document) and isinstance(document[0], dict)
    pages = document if listed and "value" in document[0] else [document]
    records: list[Any] = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("value"), list):
            records += page["value"]
            if "@odata.nextLink" in page:
                export.note(1, "a page with @odata.nextLink: the items after it are not in this file")
        elif isinstance(page, dict):
            records.append(page)
        else:
            raise FormatError(path, 1, 'expected Graph JSON: an object, a page {"value": [...]}, or a list')
    instances: list[tuple[int, dict[str, Any]]] = []
    series: dict[str, Item] = {}
    lines = record_lines(path)
    for number, record in enumerate(records, start=1):
        line = lines.get(number, 1)
        if not isinstance(record, dict):
            export.problem(line, f"item {number} is not an object")
        elif "@removed" in record:  # a delta page's removal: what was deleted, not an item
            export.note(
                line, f"item {number} ({record.get('id', '?')}) is a delta page's @removed: not an item"
            )
        elif isinstance(record.get("start"), dict) and record.get("type") in ("occurrence", "exception"):
            instances.append((line, record))
        elif isinstance(record.get("start"), dict):
            _add(export, line, "appointment", lambda r=record, n=line: _event(export, n, r), series, record)
        elif _is_todo_task(record):
            _add(export, line, "task", lambda r=record: (_todo_task(r), {}), series, record)
        else:
            _add(export, line, "contact", lambda r=record: _contact(r, mailing), series, record)
    for line, record in instances:
        _instance(export, line, record, series)
    export.format = (
        f"Microsoft Graph JSON ({', '.join(sorted({i.kind + 's' for i in export.items})) or 'empty'})"
    )
    for kind, sources in SOURCES.items():
        export.carry(kind, sources)
    return export


def _contact_sources() -> dict[str, str]:
    found = {prop: f"contact {key}" for key, prop in CONTACT_TEXTS.items()}
    for key, props in PHONES.items():
        found.update((prop, f"contact {key}[{n}]") for n, prop in enumerate(props))
    found.update((prop, f"contact emailAddresses[{n}].address") for n, prop in enumerate(EMAILS))
    for key, prefix in ADDRESSES.items():
        found.update(
            (f"{prefix}Address{suffix}", f"contact {key}.{part}") for part, suffix in ADDRESS_PARTS.items()
        )
    found["Children"] = "contact children (joined)"
    found["Birthday"] = "contact birthday"
    found["SelectedMailingAddress"] = (
        "not in Graph: the first address the contact fills, or --mailing-address (a note says so)"
    )
    return found


#: Outlook property -> where a Graph resource holds it, per Outlook kind (docs/formats.md); the carried fields
SOURCES = {
    "contact": _contact_sources(),
    "appointment": {
        "Subject": "event subject",
        "Location": "event location.displayName",
        "Body": "event body.content (HTML as written, noted)",
        "Start": "event start (dateTime in its timeZone: IANA, Windows name or display name)",
        "End": "event end",
        "AllDayEvent": "event isAllDay",
        "Importance": "event importance",
        "RequiredAttendees": "event attendees of type required (name <address>; a resource is noted)",
        "OptionalAttendees": "event attendees of type optional (name <address>)",
        "Organizer": "event organizer.emailAddress (name <address>)",
        "IsRecurring": "event recurrence present",
        "RecurrencePattern": "event recurrence, and the instances of its seriesMasterId",
    },
    "task": {  # Microsoft To Do (todoTask)
        "Subject": "todoTask title",
        "Body": "todoTask body.content",
        "StartDate": "todoTask startDateTime",
        "DueDate": "todoTask dueDateTime",
        "DateCompleted": "todoTask completedDateTime",
        "Complete": "todoTask status completed",
        "Importance": "todoTask importance",
    },
}
#: what a To Do task (todoTask) carries of an Outlook task
TASK_FIELDS = tuple(SOURCES["task"])


def _todo_task(record: dict[str, Any]) -> dict[str, Any]:
    """A Microsoft To Do task as an Outlook task: title, body, start, due and completion, importance."""
    body = record.get("body")
    completed = str(record.get("status", "")).lower() == "completed"
    task: dict[str, Any] = {
        "Subject": _text(record, "title"),
        "Body": _text(body, "content") if isinstance(body, dict) else None,
        "StartDate": _when(record, "startDateTime"),
        "DueDate": _when(record, "dueDateTime"),
        "DateCompleted": _when(record, "completedDateTime"),
        "Complete": True if completed else None,
        "Importance": IMPORTANCE.get(str(record.get("importance", "")).lower()),
    }
    return {k: v for k, v in task.items() if v is not None}


def _add(
    export: Export, line: int, kind: str, make: Any, series: dict[str, Item], record: dict[str, Any]
) -> None:
    try:
        fields, attachments = make()
    except (ValueError, TypeError, KeyError, AttributeError) as bad:
        name = (
            record.get("subject")
            or record.get("title")
            or record.get("displayName")
            or record.get("givenName")
            or "?"
        )
        export.problem(line, f"{kind} {name!r}: {bad}")
        return
    item = Item(kind, fields, line, attachments)
    export.items.append(item)
    if record.get("id"):
        series[str(record["id"])] = item


# -- contacts ------------------------------------------------------------------------------------


def _contact(record: dict[str, Any], mailing: str | None) -> tuple[dict[str, Any], dict[str, bytes]]:
    contact: dict[str, Any] = {prop: _text(record, key) for key, prop in CONTACT_TEXTS.items()}
    for key, props in PHONES.items():
        for number, prop in zip(_list(record, key), props, strict=False):
            contact[prop] = str(number)
    for entry, prop in zip(_list(record, "emailAddresses"), EMAILS, strict=False):
        contact[prop] = (
            str(entry.get("address") or "") if isinstance(entry, dict) else _bad("emailAddresses", entry)
        )
    for key, prefix in ADDRESSES.items():
        address = record.get(key) or {}
        if not isinstance(address, dict):
            _bad(key, address)
        for part, suffix in ADDRESS_PARTS.items():
            contact[f"{prefix}Address{suffix}"] = _text(address, part)
    children = _list(record, "children")
    contact["Children"] = "; ".join(map(str, children)) or None
    contact["Birthday"] = _moment(record.get("birthday"), "birthday")
    contact = {k: v for k, v in contact.items() if v not in (None, "")}
    if not (contact.get("FirstName") or contact.get("LastName")):
        raise ValueError("a contact without givenName or surname")
    contact["SelectedMailingAddress"] = mailing_address(contact, mailing)
    return contact, {}


# -- events --------------------------------------------------------------------------------------


def _event(export: Export, line: int, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    body = record.get("body") or {}
    if isinstance(body, dict) and str(body.get("contentType", "")).lower() == "html" and body.get("content"):
        export.note(line, "the body is HTML; imported as written")
    attendees = _list(record, "attendees")
    required = [
        _person(a) for a in attendees if str(a.get("type", "required")) not in ("optional", "resource")
    ]
    optional = [_person(a) for a in attendees if str(a.get("type")) == "optional"]
    for room in (a for a in attendees if str(a.get("type")) == "resource"):
        export.note(line, resource_note(record.get("subject"), _person(room)))
    organizer = record.get("organizer")
    event: dict[str, Any] = {
        "Subject": _text(record, "subject"),
        "Body": _text(body, "content") if isinstance(body, dict) else None,
        "Location": _text(record.get("location") or {}, "displayName"),
        "Start": _when(record, "start"),
        "End": _when(record, "end"),
        "AllDayEvent": bool(record.get("isAllDay")) if "isAllDay" in record else None,
        "Importance": IMPORTANCE.get(str(record.get("importance", "")).lower()),
        "RequiredAttendees": "; ".join(required) or None,
        "OptionalAttendees": "; ".join(optional) or None,
        "Organizer": _person(organizer) if isinstance(organizer, dict) else None,
        "IsRecurring": record.get("recurrence") is not None,
    }
    if record.get("recurrence") is not None:
        event["RecurrencePattern"] = _pattern(record["recurrence"])
    return {k: v for k, v in event.items() if v is not None}, _attachments(export, line, record)


def _when(record: dict[str, Any], key: str) -> datetime | None:
    """Graph's dateTimeTimeZone: a local time and the zone it is in."""
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, dict) or "dateTime" not in value:
        return _bad(key, value)
    text = re.sub(r"(\.\d{6})\d+", r"\1", str(value["dateTime"]))  # Graph writes 7 fraction digits
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    name = str(value.get("timeZone") or "UTC")
    zone = timezones.zone(name)
    if zone is None:
        raise ValueError(f"{key}: time zone {name!r} is no IANA or Windows zone")
    return _kept(key, moment if moment.tzinfo else moment.replace(tzinfo=zone))


#: the moments Exchange keeps: from 1601 (a FILETIME's start) to 4500-08-31 (Outlook's "None"
#: date is 4501-01-01)
EARLIEST, LATEST = datetime(1601, 1, 1, tzinfo=UTC), datetime(4500, 8, 31, 23, 59, 59, tzinfo=UTC)


def _kept(key: str, moment: datetime) -> datetime:
    """``moment`` when Exchange can keep it; else a ValueError naming ``key``."""
    try:
        kept = EARLIEST <= moment.astimezone(UTC) <= LATEST
    except OverflowError:  # (an offset that takes it past year 1 or 9999)
        kept = False
    if not kept:
        raise ValueError(f"{key}: {moment.isoformat()} is outside what Exchange keeps (1601 to 4500-08-31)")
    return moment


def _pattern(recurrence: Any) -> dict[str, Any]:
    if not isinstance(recurrence, dict):
        return _bad("recurrence", recurrence)
    pattern, span = recurrence.get("pattern") or {}, recurrence.get("range") or {}
    kind = str(pattern.get("type"))
    if kind not in PATTERNS:
        raise ValueError(f"recurrence pattern type {kind!r}; Graph's are {', '.join(PATTERNS)}")
    days = [WEEKDAYS[str(day).lower()] for day in pattern.get("daysOfWeek") or []]
    out: dict[str, Any] = {
        "RecurrenceType": PATTERNS[kind],
        "Interval": _at_least_one(pattern, "interval", 1),
        "DayOfWeekMask": sum(schema.WEEKDAY_BITS[day] for day in set(days)) or None,
        "DayOfMonth": pattern.get("dayOfMonth") or None,
        "MonthOfYear": pattern.get("month") or None,
        "Instance": INDEXES.get(str(pattern.get("index"))) if kind.startswith("relative") else None,
        "Occurrences": _at_least_one(span, "numberOfOccurrences") if span.get("type") == "numbered" else None,
        "PatternEndDate": _moment(span.get("endDate"), "endDate") if span.get("type") == "endDate" else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def _at_least_one(part: dict[str, Any], key: str, default: int | None = None) -> int | None:
    """A recurrence's whole number that is 1 or more (an interval of 0 repeats nothing: Graph
    refuses it, as it refuses a numbered range of no occurrence)."""
    value = part.get(key, default)
    if type(value) is not int or value < 1:
        raise ValueError(f"recurrence {key}: {value!r} is not a whole number of 1 or more")
    return value


def _instance(export: Export, line: int, record: dict[str, Any], series: dict[str, Item]) -> None:
    """A calendar view's occurrence or exception: an exception of its series (occurrences that
    follow the pattern are the pattern itself)."""
    master = series.get(str(record.get("seriesMasterId")))
    if record.get("type") == "occurrence" and not record.get("isCancelled"):
        return
    if master is None or "RecurrencePattern" not in master.fields:
        export.problem(line, "an exception of a series (seriesMasterId) not in this file")
        return
    try:
        original = _moment(record.get("originalStart"), "originalStart") or _when(record, "start")
        exception: dict[str, Any] = {"OriginalDate": original, "Deleted": bool(record.get("isCancelled"))}
        if not exception["Deleted"]:
            exception.update(
                Start=_when(record, "start"), End=_when(record, "end"), Subject=_text(record, "subject")
            )
    except (ValueError, TypeError) as bad:
        export.problem(line, f"event {_text(record, 'subject')!r}: {bad}")
        return
    pattern = master.fields["RecurrencePattern"]
    pattern["Exceptions"] = [
        *pattern.get("Exceptions", []),
        {k: v for k, v in exception.items() if v is not None},
    ]


def _attachments(export: Export, line: int, record: dict[str, Any]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for attachment in _list(record, "attachments"):
        kind = str(attachment.get("@odata.type", ""))
        name = str(attachment.get("name") or f"attachment-{len(found) + 1}")
        if kind != "#microsoft.graph.fileAttachment":
            export.note(line, f"{kind or 'an attachment'} {name!r} not imported (not a file)")
            continue
        try:
            found[safe_filename(name)] = base64.b64decode(
                str(attachment.get("contentBytes", "")), validate=True
            )
        except (binascii.Error, ValueError):
            raise ValueError(f"the contentBytes of attachment {name!r} are not base64") from None
    return found


# -- values --------------------------------------------------------------------------------------


def _text(record: Any, key: str) -> str | None:
    value = record.get(key) if isinstance(record, dict) else None
    if value is None or value == "":
        return None
    if isinstance(value, (dict, list)):
        return _bad(key, value)
    return str(value)


def _list(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key) or []
    if not isinstance(value, list):
        return _bad(key, value)
    return value


def _person(entry: Any) -> str:
    address = entry.get("emailAddress") if isinstance(entry, dict) else None
    if not isinstance(address, dict):
        return str(_bad("emailAddress", entry))
    return party(str(address.get("name") or ""), str(address.get("address") or ""))


def _moment(value: Any, key: str = "date") -> datetime | None:
    if value in (None, ""):
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", str(value))
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{key}: {value!r} is no date and time (Graph writes ISO 8601)") from None
    return _kept(key, moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _bad(key: str, value: Any) -> NoReturn:
    raise ValueError(f"{key}: {value!r} is not of the type Graph gives")


# -- writing: Outlook items as Graph resources (the HTTP face serves them) -----------------------

#: the MAPI named properties CRM for Outlook keeps on the items it tracks, as Graph names them
#: in singleValueExtendedProperties (PS_PUBLIC_STRINGS)
CRMID_PROPERTY = "String {00020329-0000-0000-C000-000000000046} Name crmid"
LINK_STATE_PROPERTY = "Integer {00020329-0000-0000-C000-000000000046} Name crmLinkState"
_NAMED = {CRMID_PROPERTY: schema.CRM_ID, LINK_STATE_PROPERTY: "crmLinkState"}
_PATTERN_NAMES = {
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "absoluteMonthly",
    "yearly": "absoluteYearly",
}
_INDEX_NAMES = {number: name for name, number in INDEXES.items()}
_IMPORTANCE_NAMES = {number: name for name, number in IMPORTANCE.items()}


def _importance(item: dict[str, Any]) -> str:
    value = item.get("Importance")
    return _IMPORTANCE_NAMES.get(value if isinstance(value, int) else 1, "normal")


def contact_resource(item: dict[str, Any]) -> dict[str, Any]:
    """An Outlook contact as Graph's contact resource."""
    out: dict[str, Any] = {key: item.get(prop) for key, prop in CONTACT_TEXTS.items()}
    for key, props in PHONES.items():
        out[key] = [item[p] for p in props if item.get(p)]
    out["emailAddresses"] = [{"address": item[p], "name": item[p]} for p in EMAILS if item.get(p)]
    for key, prefix in ADDRESSES.items():
        out[key] = {part: item.get(f"{prefix}Address{suffix}") for part, suffix in ADDRESS_PARTS.items()}
    out["children"] = [c.strip() for c in str(item.get("Children") or "").split(";") if c.strip()]
    out["birthday"] = item.get("Birthday")
    out["personalNotes"] = item.get("Body")
    return out


def contact_properties(resource: dict[str, Any]) -> dict[str, Any]:
    """The Outlook properties a contact resource (or a PATCH of one) sets; a key sent as null
    clears its properties."""
    props: dict[str, Any] = {
        prop: _text(resource, key) for key, prop in CONTACT_TEXTS.items() if key in resource
    }
    for key, names in PHONES.items():
        if key in resource:
            numbers = _list(resource, key)
            props.update({p: str(numbers[i]) if i < len(numbers) else None for i, p in enumerate(names)})
    if "emailAddresses" in resource:
        entries = _list(resource, "emailAddresses")
        props.update({p: _email(entries[i]) if i < len(entries) else None for i, p in enumerate(EMAILS)})
    for key, prefix in ADDRESSES.items():
        if key in resource:
            address = resource[key] or {}
            if not isinstance(address, dict):
                _bad(key, address)
            props.update({f"{prefix}Address{s}": _text(address, part) for part, s in ADDRESS_PARTS.items()})
    if "children" in resource:
        props["Children"] = "; ".join(map(str, _list(resource, "children"))) or None
    if "birthday" in resource:
        props["Birthday"] = _moment(resource.get("birthday"), "birthday")
    return props


def _email(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return _bad("emailAddresses", entry)
    return str(entry.get("address") or "") or None


def event_resource(item: dict[str, Any]) -> dict[str, Any]:
    """An Outlook appointment as Graph's event resource (times in UTC)."""
    pattern = item.get("RecurrencePattern")
    return {
        "subject": item.get("Subject"),
        "body": {"contentType": "text", "content": item.get("Body") or ""},
        "start": zoned(item.get("Start")),
        "end": zoned(item.get("End")),
        "location": {"displayName": item.get("Location") or ""},
        "isAllDay": bool(item.get("AllDayEvent")),
        "importance": _importance(item),
        "attendees": [
            {"type": kind, "emailAddress": {"name": name, "address": name}}
            for kind, prop in (("required", "RequiredAttendees"), ("optional", "OptionalAttendees"))
            for name in (n.strip() for n in str(item.get(prop) or "").split(";"))
            if name
        ],
        "organizer": {"emailAddress": {"name": item["Organizer"]}} if item.get("Organizer") else None,
        "categories": [c.strip() for c in str(item.get("Categories") or "").split(",") if c.strip()],
        "type": "seriesMaster" if pattern else "singleInstance",
        "recurrence": _recurrence(pattern, item.get("Start")) if pattern else None,
        "hasAttachments": bool(item.get("Attachments")),
    }


def event_properties(resource: dict[str, Any]) -> dict[str, Any]:
    """The Outlook properties an event resource (or a PATCH of one) sets."""
    props: dict[str, Any] = {}
    if "subject" in resource:
        props["Subject"] = _text(resource, "subject")
    if "body" in resource:
        props["Body"] = _text(resource.get("body") or {}, "content")
    if "location" in resource:
        props["Location"] = _text(resource.get("location") or {}, "displayName")
    for key, prop in (("start", "Start"), ("end", "End")):
        if key in resource:
            props[prop] = _when(resource, key)
    if "isAllDay" in resource:
        props["AllDayEvent"] = bool(resource.get("isAllDay"))
    if "importance" in resource:
        props["Importance"] = IMPORTANCE.get(str(resource.get("importance")).lower(), 1)
    if "attendees" in resource:
        attendees = _list(resource, "attendees")
        required = [_person(a) for a in attendees if str(a.get("type", "required")) != "optional"]
        optional = [_person(a) for a in attendees if str(a.get("type")) == "optional"]
        props["RequiredAttendees"] = "; ".join(required) or None
        props["OptionalAttendees"] = "; ".join(optional) or None
    if "recurrence" in resource:
        recurrence = resource.get("recurrence")
        props["IsRecurring"] = recurrence is not None
        props["RecurrencePattern"] = _pattern(recurrence) if recurrence is not None else None
    return props


def zoned(moment: Any) -> dict[str, str] | None:
    if not isinstance(moment, datetime):
        return None
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return {"dateTime": utc.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


def _recurrence(pattern: dict[str, Any], start: Any) -> dict[str, Any]:
    kind = str(pattern.get("RecurrenceType", "daily"))
    days = [d for d, bit in schema.WEEKDAY_BITS.items() if int(pattern.get("DayOfWeekMask") or 0) & bit]
    named = {code: name for name, code in WEEKDAYS.items()}
    relative = pattern.get("Instance") is not None and kind in ("monthly", "yearly")
    out_pattern: dict[str, Any] = {
        "type": ("relative" + ("Monthly" if kind == "monthly" else "Yearly"))
        if relative
        else _PATTERN_NAMES[kind],
        "interval": int(pattern.get("Interval") or 1),
        "daysOfWeek": [named[d] for d in days],
        "dayOfMonth": int(pattern.get("DayOfMonth") or 0),
        "month": int(pattern.get("MonthOfYear") or 0),
        "index": _INDEX_NAMES.get(int(pattern.get("Instance") or 1), "first"),
    }
    first = start.date().isoformat() if isinstance(start, datetime) else None
    if pattern.get("Occurrences"):
        span = {"type": "numbered", "numberOfOccurrences": int(pattern["Occurrences"])}
    elif pattern.get("PatternEndDate"):
        span = {"type": "endDate", "endDate": pattern["PatternEndDate"].date().isoformat()}
    else:
        span = {"type": "noEnd"}
    return {"pattern": out_pattern, "range": {"startDate": first, "recurrenceTimeZone": "UTC", **span}}


def named_properties(item: dict[str, Any]) -> list[dict[str, str]]:
    """CRM for Outlook's named properties of an item as singleValueExtendedProperties."""
    return [
        {"id": key, "value": str(item[prop])}
        for key, prop in _NAMED.items()
        if item.get(prop) not in (None, "")
    ]


def named_values(resource: dict[str, Any]) -> dict[str, str]:
    """crmid and crmLinkState, as a resource's singleValueExtendedProperties set them."""
    found = {}
    for entry in _list(resource, "singleValueExtendedProperties"):
        key = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        if key.lower() not in {k.lower() for k in _NAMED}:
            raise ValueError(f"singleValueExtendedProperties: {key!r} is not one this mailbox keeps")
        name = next(prop for k, prop in _NAMED.items() if k.lower() == key.lower())
        found[name] = str(entry.get("value", ""))
    return found


#: the linked resource a tracked task carries (To Do tasks have no extended properties)
DYNAMICS_APPLICATION = "Dynamics 365"


def task_resource(item: dict[str, Any]) -> dict[str, Any]:
    """An Outlook task as Microsoft To Do's todoTask (Exchange keeps both in one Tasks folder).
    Tracked in CRM: a linked resource of Dynamics 365 whose externalId is the record's id."""
    tracked = item.get("crmLinkState") == 2
    linked = [{"applicationName": DYNAMICS_APPLICATION, "externalId": item.get(schema.CRM_ID) or ""}]
    return {
        "title": item.get("Subject"),
        "body": {"contentType": "text", "content": item.get("Body") or ""},
        "dueDateTime": zoned(item.get("DueDate")),
        "startDateTime": zoned(item.get("StartDate")),
        "completedDateTime": zoned(item.get("DateCompleted")),
        "status": "completed" if item.get("Complete") else "notStarted",
        "importance": _importance(item),
        "categories": [c.strip() for c in str(item.get("Categories") or "").split(",") if c.strip()],
        "linkedResources": linked if tracked else [],
    }


def task_properties(resource: dict[str, Any]) -> tuple[dict[str, Any], bool | None]:
    """The Outlook properties a todoTask (or a PATCH of one) sets, and whether it is tracked
    (None: the PATCH does not say)."""
    props: dict[str, Any] = {}
    if "title" in resource:
        props["Subject"] = _text(resource, "title")
    if "body" in resource:
        props["Body"] = _text(resource.get("body") or {}, "content")
    for key, prop in (
        ("dueDateTime", "DueDate"),
        ("startDateTime", "StartDate"),
        ("completedDateTime", "DateCompleted"),
    ):
        if key in resource:
            props[prop] = _when(resource, key)
    if "status" in resource:
        props["Complete"] = str(resource.get("status")) == "completed"
    if "importance" in resource:
        props["Importance"] = IMPORTANCE.get(str(resource.get("importance")).lower(), 1)
    if "categories" in resource:
        props["Categories"] = ", ".join(map(str, _list(resource, "categories"))) or None
    tracked = None
    if "linkedResources" in resource:
        mine = [
            r
            for r in _list(resource, "linkedResources")
            if isinstance(r, dict) and r.get("applicationName") == DYNAMICS_APPLICATION
        ]
        tracked = bool(mine)
        if mine and mine[0].get("externalId"):
            props[schema.CRM_ID] = str(mine[0]["externalId"])
    return props, tracked
