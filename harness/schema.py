"""The schema catalogue: both systems' entities, attributes, properties and their types, declared once.

The fake stores validate every write against it; :mod:`syncsim.harness.mapping` is checked against it when
it is imported (a field pair naming an attribute or property the schema lacks, or pairing two
types that do not fit, fails at once). Names are the real systems' own: Dynamics logical names on
the CRM side, Outlook object model property names on the Outlook side. Like XrmMockup's metadata,
it is kept apart from behaviour: nothing here syncs anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, Literal

#: The two sides of every sync, by the names events and losses use.
Side = Literal["crm", "outlook"]
CRM: Final = "crm"
OUTLOOK: Final = "outlook"
SIDES: tuple[Side, Side] = (CRM, OUTLOOK)


def other(side: Side) -> Side:
    return OUTLOOK if side == CRM else CRM


#: Which way a field syncs, in Microsoft's four arrows (an administrator's "two-way" is "both").
Direction = Literal["both", "crm-to-outlook", "outlook-to-crm", "none"]
DIRECTIONS: tuple[Direction, ...] = ("both", "crm-to-outlook", "outlook-to-crm", "none")


#: Value types a field may hold (None, meaning empty, is always allowed).
TEXT, NUMBER, FLAG, MOMENT, RECORD, LIST = str, int, bool, datetime, dict, list


@dataclass(frozen=True)
class Entity:
    """A CRM entity: its logical name, primary key, attributes (name -> type), Outlook item kind."""

    name: str
    primary_key: str
    attributes: Mapping[str, type]
    outlook_kind: str


@dataclass(frozen=True)
class ItemKind:
    """An Outlook item kind: its MessageClass and the properties sync and users may set."""

    name: str
    message_class: str
    properties: Mapping[str, type]


#: Attributes Dynamics keeps on every record; sync reads them, never maps them.
CRM_SYSTEM: Mapping[str, type] = MappingProxyType(
    {
        "ownerid": TEXT,
        "createdby": TEXT,
        "createdon": MOMENT,
        "modifiedon": MOMENT,
        "versionnumber": NUMBER,
        "statecode": NUMBER,
        "statuscode": NUMBER,
    }
)
#: Properties Outlook keeps on every item; read-only for users and for sync.
OUTLOOK_SYSTEM: tuple[str, ...] = (
    "EntryID",
    "MessageClass",
    "LastModificationTime",
    "crmLinkState",
    "Attachments",
)
#: The user property CRM for Outlook stamps on an item it links: the CRM record's id.
CRM_ID: Final = "crmid"

ADDRESS_NUMBERS = (1, 2, 3)
#: Address parts: (CRM suffix after ``addressN_``, Outlook suffix after ``<Kind>Address``).
ADDRESS_PARTS: tuple[tuple[str, str], ...] = (
    ("line1", "Street"),
    ("city", "City"),
    ("stateorprovince", "State"),
    ("postalcode", "PostalCode"),
    ("country", "Country"),
)
#: CRM keeps two more street lines that Outlook's single Street has no place for.
CRM_ONLY_ADDRESS_PARTS = ("line2", "line3")
#: Outlook's OlMailingAddress choices and the property prefix of each.
OUTLOOK_ADDRESSES: Mapping[str, str] = MappingProxyType(
    {"business": "Business", "home": "Home", "other": "Other"}
)


def _text(*names: str) -> dict[str, type]:
    return dict.fromkeys(names, TEXT)


_CRM_ADDRESSES = {
    f"address{n}_{part}": TEXT
    for n in ADDRESS_NUMBERS
    for part in [crm for crm, _ in ADDRESS_PARTS] + list(CRM_ONLY_ADDRESS_PARTS)
}
_APPOINTMENT_ATTRIBUTES: dict[str, type] = {
    **_text("activityid", "subject", "location", "description", "requiredattendees", "optionalattendees"),
    "scheduledstart": MOMENT,
    "scheduledend": MOMENT,
    "isalldayevent": FLAG,
    "prioritycode": NUMBER,
}

ENTITIES: Mapping[str, Entity] = MappingProxyType(
    {
        e.name: e
        for e in (
            Entity(
                "contact",
                "contactid",
                MappingProxyType(
                    {
                        **_text("contactid", "firstname", "lastname", "fullname", "jobtitle", "description"),
                        **_text("emailaddress1", "emailaddress2", "emailaddress3"),
                        **_text("telephone1", "telephone2", "telephone3", "mobilephone"),
                        **_text("business2", "home2", "fax", "pager", "callback", "company"),
                        **_text("assistantname", "assistantphone", "managername", "department"),
                        **_text("nickname", "spousesname", "childrensnames", "governmentid"),
                        **_text("ftpsiteurl", "websiteurl", "yomifirstname", "yomilastname"),
                        "birthdate": MOMENT,
                        "anniversary": MOMENT,
                        **_CRM_ADDRESSES,
                        **CRM_SYSTEM,
                    }
                ),
                "contact",
            ),
            Entity(
                "appointment",
                "activityid",
                MappingProxyType({**_APPOINTMENT_ATTRIBUTES, "organizer": TEXT, **CRM_SYSTEM}),
                "appointment",
            ),
            Entity(
                "recurringappointmentmaster",
                "activityid",
                MappingProxyType(
                    {
                        **_APPOINTMENT_ATTRIBUTES,
                        "organizer": TEXT,
                        "recurrencepatterntype": NUMBER,
                        "interval": NUMBER,
                        "occurrences": NUMBER,
                        "patternstartdate": MOMENT,
                        # the rest of Dynamics' pattern: weekdays (Sunday 1 ... Saturday 64), day
                        # and month, the nth weekday (instance 1-5, 5 the last), the end
                        "daysofweekmask": NUMBER,
                        "dayofmonth": NUMBER,
                        "monthofyear": NUMBER,
                        "instance": NUMBER,
                        "patternenddate": MOMENT,
                        **CRM_SYSTEM,
                    }
                ),
                "appointment",
            ),
            Entity(
                "serviceappointment",
                "activityid",
                MappingProxyType(
                    {
                        **{k: v for k, v in _APPOINTMENT_ATTRIBUTES.items() if not k.endswith("attendees")},
                        "serviceid": TEXT,
                        **CRM_SYSTEM,
                    }
                ),
                "appointment",
            ),
            Entity(
                "task",
                "activityid",
                MappingProxyType(
                    {
                        **_text("activityid", "subject", "description"),
                        "scheduledstart": MOMENT,
                        "scheduledend": MOMENT,
                        "actualend": MOMENT,
                        "prioritycode": NUMBER,
                        "percentcomplete": NUMBER,
                        "actualdurationminutes": NUMBER,
                        **CRM_SYSTEM,
                    }
                ),
                "task",
            ),
        )
    }
)

_OUTLOOK_ADDRESS_PROPERTIES = {
    f"{prefix}Address{part}": TEXT for prefix in OUTLOOK_ADDRESSES.values() for _, part in ADDRESS_PARTS
}

ITEM_KINDS: Mapping[str, ItemKind] = MappingProxyType(
    {
        k.name: k
        for k in (
            ItemKind(
                "contact",
                "IPM.Contact",
                MappingProxyType(
                    {
                        **_text("FirstName", "LastName", "FullName", "JobTitle", "CompanyName", "Body"),
                        **_text("Email1Address", "Email2Address", "Email3Address"),
                        **_text(
                            "BusinessTelephoneNumber",
                            "HomeTelephoneNumber",
                            "OtherTelephoneNumber",
                            "MobileTelephoneNumber",
                            "Business2TelephoneNumber",
                            "Home2TelephoneNumber",
                            "BusinessFaxNumber",
                            "PagerNumber",
                            "CallbackTelephoneNumber",
                            "CompanyMainTelephoneNumber",
                            "AssistantTelephoneNumber",
                        ),
                        **_text("AssistantName", "ManagerName", "Department", "NickName", "Spouse"),
                        **_text("Children", "GovernmentIDNumber", "FTPSite", "WebPage"),
                        **_text("YomiFirstName", "YomiLastName", "OfficeLocation"),
                        "Birthday": MOMENT,
                        "Anniversary": MOMENT,
                        **_OUTLOOK_ADDRESS_PROPERTIES,
                        **_text("SelectedMailingAddress", "Categories", CRM_ID),
                    }
                ),
            ),
            ItemKind(
                "appointment",
                "IPM.Appointment",
                MappingProxyType(
                    {
                        **_text("Subject", "Location", "Body", "RequiredAttendees", "OptionalAttendees"),
                        **_text("Organizer", "Categories", CRM_ID),
                        "Start": MOMENT,
                        "End": MOMENT,
                        "AllDayEvent": FLAG,
                        "Importance": NUMBER,
                        "IsRecurring": FLAG,
                        "RecurrencePattern": RECORD,
                    }
                ),
            ),
            ItemKind(
                "task",
                "IPM.Task",
                MappingProxyType(
                    {
                        **_text("Subject", "Body", "Status", "Owner", "Delegator", "Categories", CRM_ID),
                        # OlTaskOwnership: new, delegated (assigned to someone), own (received);
                        # OlTaskResponse: the assignee's answer (accepted, declined)
                        **_text("Ownership", "ResponseState"),
                        "StartDate": MOMENT,
                        "DueDate": MOMENT,
                        "DateCompleted": MOMENT,
                        "Importance": NUMBER,
                        "PercentComplete": NUMBER,
                        "ActualWork": NUMBER,
                        "Complete": FLAG,
                        "IsRecurring": FLAG,
                        "Recipients": LIST,
                    }
                ),
            ),
        )
    }
)

#: Nested properties a field pair may name as ``Property.Part``: the parts of Outlook's
#: RecurrencePattern object. Exceptions holds the series' exceptions, each a dict with the
#: occurrence's OriginalDate and Deleted, or its changed Start, End, Subject, Location.
RECURRENCE_PARTS: Mapping[str, type] = MappingProxyType(
    {
        "RecurrenceType": TEXT,
        "Interval": NUMBER,
        "Occurrences": NUMBER,
        "DayOfWeekMask": NUMBER,
        "DayOfMonth": NUMBER,
        "MonthOfYear": NUMBER,
        "Instance": NUMBER,
        "PatternEndDate": MOMENT,
        "Exceptions": LIST,
    }
)
NESTED: Mapping[str, Mapping[str, type]] = MappingProxyType(
    {f"RecurrencePattern.{part}": MappingProxyType({"": kind}) for part, kind in RECURRENCE_PARTS.items()}
)
#: Outlook's OlDaysOfWeek bits, which are Dynamics' daysofweekmask bits too.
WEEKDAY_BITS: Mapping[str, int] = MappingProxyType(
    {"SU": 1, "MO": 2, "TU": 4, "WE": 8, "TH": 16, "FR": 32, "SA": 64}
)

CRM_ENTITIES: tuple[str, ...] = tuple(ENTITIES)
OUTLOOK_KINDS: tuple[str, ...] = tuple(ITEM_KINDS)
APPOINTMENT_ENTITIES: tuple[str, ...] = tuple(
    e for e in ENTITIES if ENTITIES[e].outlook_kind == "appointment"
)
KIND_BY_MESSAGE_CLASS: Mapping[str, str] = MappingProxyType(
    {k.message_class: k.name for k in ITEM_KINDS.values()}
)


#: Each address part's display name after "Address N: " (Dynamics writes "Address3: State/Province"
#: for one of them: headers are matched without spaces, so either form is read).
_ADDRESS_PART_NAMES = {
    "line1": "Street 1",
    "line2": "Street 2",
    "line3": "Street 3",
    "city": "City",
    "stateorprovince": "State/Province",
    "postalcode": "ZIP/Postal Code",
    "country": "Country/Region",
}
_SYSTEM_NAMES = {
    "ownerid": "Owner",
    "createdby": "Created By",
    "createdon": "Created On",
    "modifiedon": "Modified On",
    "versionnumber": "Version Number",
    "statecode": "Status",
    "statuscode": "Status Reason",
}
#: Dynamics' display names of the attributes syncsim models: the column headers of "Export to
#: Excel" and of display-name CSV. Typed from the Dataverse table references (MicrosoftDocs/
#: powerapps-docs: powerapps-docs/developer/data-platform/reference/entities/contact.md, task.md).
DISPLAY_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "contact": MappingProxyType(
            {
                "contactid": "Contact",
                "firstname": "First Name",
                "lastname": "Last Name",
                "fullname": "Full Name",
                "jobtitle": "Job Title",
                "description": "Description",
                "emailaddress1": "Email",
                "emailaddress2": "Email Address 2",
                "emailaddress3": "Email Address 3",
                "telephone1": "Business Phone",
                "telephone2": "Home Phone",
                "telephone3": "Telephone 3",
                "mobilephone": "Mobile Phone",
                "business2": "Business Phone 2",
                "home2": "Home Phone 2",
                "fax": "Fax",
                "pager": "Pager",
                "callback": "Callback Number",
                "company": "Company Phone",
                "assistantname": "Assistant",
                "assistantphone": "Assistant Phone",
                "managername": "Manager",
                "department": "Department",
                "nickname": "Nickname",
                "spousesname": "Spouse/Partner Name",
                "childrensnames": "Children's Names",
                "governmentid": "Government",
                "ftpsiteurl": "FTP Site",
                "websiteurl": "Website",
                "yomifirstname": "Yomi First Name",
                "yomilastname": "Yomi Last Name",
                "birthdate": "Birthday",
                "anniversary": "Anniversary",
                **{
                    f"address{n}_{part}": f"Address {n}: {name}"
                    for n in ADDRESS_NUMBERS
                    for part, name in _ADDRESS_PART_NAMES.items()
                },
                **_SYSTEM_NAMES,
            }
        ),
        "appointment": MappingProxyType(
            {
                "activityid": "Appointment",
                "subject": "Subject",
                "location": "Location",
                "description": "Description",
                "scheduledstart": "Start Time",
                "scheduledend": "End Time",
                "isalldayevent": "All Day Event",
                "prioritycode": "Priority",
                "requiredattendees": "Required Attendees",
                "optionalattendees": "Optional Attendees",
                "organizer": "Organizer",
                **_SYSTEM_NAMES,
            }
        ),
        "task": MappingProxyType(
            {
                "activityid": "Task",
                "subject": "Subject",
                "description": "Description",
                "scheduledstart": "Start Date",
                "scheduledend": "Due Date",
                "actualend": "Actual End",
                "prioritycode": "Priority",
                "percentcomplete": "Percent Complete",
                "actualdurationminutes": "Duration",
                **_SYSTEM_NAMES,
            }
        ),
    }
)


#: Labels Dynamics' exports write for option sets instead of their numbers (Export to Excel).
OPTION_LABELS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {
        "prioritycode": MappingProxyType({"low": 0, "normal": 1, "high": 2}),
        "statecode": MappingProxyType(
            {"active": 0, "inactive": 1, "open": 0, "completed": 1, "canceled": 2, "scheduled": 3}
        ),
    }
)


#: The values each option set takes, by entity (Dynamics' own: a contact is active 0 or inactive
#: 1; an appointment open 0, completed 1, canceled 2 or scheduled 3; a task has no scheduled; a
#: service activity's 1 is closed). The Web API face refuses any other, as Dataverse does.
_ACTIVITY_STATES = frozenset({0, 1, 2, 3})
_PRIORITIES = frozenset(OPTION_LABELS["prioritycode"].values())
OPTION_VALUES: Mapping[str, Mapping[str, frozenset[int]]] = MappingProxyType(
    {
        "contact": MappingProxyType({"statecode": frozenset({0, 1})}),
        "appointment": MappingProxyType({"statecode": _ACTIVITY_STATES, "prioritycode": _PRIORITIES}),
        "recurringappointmentmaster": MappingProxyType(
            {"statecode": _ACTIVITY_STATES, "prioritycode": _PRIORITIES}
        ),
        "serviceappointment": MappingProxyType({"statecode": _ACTIVITY_STATES, "prioritycode": _PRIORITIES}),
        "task": MappingProxyType({"statecode": frozenset({0, 1, 2}), "prioritycode": _PRIORITIES}),
    }
)


def _field_types() -> Mapping[str, type]:
    """Every attribute and property name with its type; a name means one type wherever it occurs."""
    found: dict[str, type] = {}
    tables = [e.attributes for e in ENTITIES.values()] + [k.properties for k in ITEM_KINDS.values()]
    for table in tables:
        for name, kind in table.items():
            if found.setdefault(name, kind) is not kind:
                raise AssertionError(f"{name} is declared {found[name].__name__} and {kind.__name__}")
    return MappingProxyType(found)


#: Field name -> type, over both systems (what a datatable cell is parsed as).
FIELD_TYPES: Mapping[str, type] = _field_types()
#: The fields that hold a moment (a moment is stored with its time zone: see :func:`check_value`).
MOMENT_NAMES: frozenset[str] = frozenset(
    name for name, kind in FIELD_TYPES.items() if issubclass(MOMENT, kind)
)


def parse_value(name: str, text: str) -> Any:
    """A value written as text (a feature file's cell) as the type the field holds."""
    kind = FIELD_TYPES.get(name, TEXT)
    if kind is FLAG:
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{name}: {text!r} is not true or false")
        return text.lower() == "true"
    if kind is NUMBER:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{name}: {text!r} is not a whole number") from None
    if is_moment(kind):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{name}: {text!r} is not a date and time like 2026-01-05T09:00:00+00:00"
            ) from None
    return text


def is_moment(kind: type) -> bool:
    """Whether a field type is a moment. While a clock is frozen, freezegun swaps ``datetime`` in
    every module for its subclass, so a type is never compared with MOMENT by identity."""
    return issubclass(MOMENT, kind)


def entity(name: str) -> Entity:
    """The CRM entity called ``name``; a ValueError names the known ones otherwise."""
    try:
        return ENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown CRM entity {name!r}; known: {', '.join(ENTITIES)}") from None


def item_kind(name: str) -> ItemKind:
    """The Outlook item kind called ``name``; a ValueError names the known ones otherwise."""
    try:
        return ITEM_KINDS[name]
    except KeyError:
        raise ValueError(f"unknown Outlook item kind {name!r}; known: {', '.join(ITEM_KINDS)}") from None


def property_type(kind: str, path: str) -> type:
    """The type of an Outlook property, or of a nested ``Property.Part``."""
    if path in NESTED:
        return NESTED[path][""]
    return item_kind(kind).properties[path]


def check_value(owner: str, name: str, expected: type, value: Any) -> None:
    """A ValueError naming the field when ``value`` is not of its declared type (None always fits),
    or is a moment without a time zone: 9:00 is a different moment in Seattle and in Berlin, so a
    store keeps no moment it cannot place (a naive one once stored could not be compared with the
    clock's, which is aware)."""
    if value is None:
        return
    if type(value) is not expected and (
        not isinstance(value, expected) or (expected is NUMBER and isinstance(value, bool))
    ):
        raise ValueError(f"{owner}.{name} holds {expected.__name__}, not {type(value).__name__} ({value!r})")
    if isinstance(value, datetime) and naive(value):
        raise ValueError(
            f"{owner}.{name}: {value.isoformat()} has no time zone; give one "
            "(tzinfo=datetime.UTC, say, or an offset such as +00:00 in text)"
        )


def naive(moment: datetime) -> bool:
    """Whether a moment has no time zone (no offset from UTC)."""
    return moment.utcoffset() is None
