"""Field mapping tables, declared once as data: CRM logical names <-> Outlook property names.

Contacts map differently under the two address options of the Synchronization tab
(Microsoft's table "What fields can be synchronized with Outlook?" names the pairs):

* ``mailing-only``: CRM Address 1 <-> whichever Outlook address is the mailing address.
* ``all-three``: Address 1 <-> Business, Address 2 <-> Home, Address 3 <-> Other.

A pair is identified by ``(crm, outlook)``; the link table keeps the last synced value of each
pair, which is how the engine knows when a pair is new (the mapping changed) for a linked item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from . import rules, schema, speed
from .schema import ADDRESS_PARTS, CRM_ENTITIES, DIRECTIONS, OUTLOOK_ADDRESSES, Direction
from .settings import ALL_THREE, AddressMode

#: What Microsoft's table says of a row: the admin may change its direction, or not, or it is computed.
Changeable = Literal["settable", "fixed", "computed"]


@dataclass(frozen=True)
class FieldPair:
    crm: str
    outlook: str
    direction: Direction = "both"
    #: (CRM value, Outlook value) pairs for option sets whose codes differ between the systems.
    values: tuple[tuple[Any, Any], ...] = ()
    #: the catalogue rule that makes the pair one-way (its guard switched off: two-way again)
    rule: str | None = None
    key: tuple[str, str] = field(init=False, repr=False, compare=False)
    plain: bool = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # one shared tuple per pair: every link's last-synced dict uses it as its key
        object.__setattr__(self, "key", (self.crm, self.outlook))
        # hashed once: pairs are set and dict keys in every cycle
        object.__setattr__(
            self, "_hash", hash((self.crm, self.outlook, self.direction, self.values, self.rule))
        )
        # a plain property, the same value on both sides: written without translation or nesting
        object.__setattr__(self, "plain", not self.values and "." not in self.outlook)

    def __hash__(self) -> int:
        return self._hash

    def to_outlook(self, value: Any) -> Any:
        return dict(self.values).get(value, value) if self.values else value

    def to_crm(self, value: Any) -> Any:
        return {o: c for c, o in self.values}.get(value, value) if self.values else value

    def crm_value(self, record: Mapping[str, Any]) -> Any:
        """The CRM side's value, None when empty."""
        value = record.get(self.crm)
        return None if value == "" else value

    def outlook_value(self, item: Mapping[str, Any]) -> Any:
        """The Outlook side's value in CRM's terms (option codes translated), None when empty."""
        if self.plain:  # the hot path of every cycle: no translation, no nesting
            value = item.get(self.outlook)
            return None if value == "" else value
        return blank(self.to_crm(blank(read(item, self.outlook))))

    def value(self, side: schema.Side, data: Mapping[str, Any]) -> Any:
        """This pair's value on ``side`` (a CRM record or an Outlook item), in CRM's terms."""
        return self.crm_value(data) if side == schema.CRM else self.outlook_value(data)

    def put(self, side: schema.Side, changes: dict[str, Any], data: Mapping[str, Any], value: Any) -> None:
        """Add ``value`` (in CRM's terms) for this pair to ``changes`` bound for ``side``."""
        if side == schema.CRM:
            changes[self.crm] = value
        elif self.plain:
            changes[self.outlook] = value
        else:
            write(changes, data, self.outlook, self.to_outlook(value))

    def name(self, side: schema.Side) -> str:
        return self.crm if side == schema.CRM else self.outlook

    def two_way(self) -> FieldPair:
        return replace(self, direction="both", rule=None)

    def flows_from(self, side: schema.Side) -> bool:
        """Whether a change made on ``side`` may travel to the other side."""
        return self.direction == "both" or self.direction == f"{side}-to-{schema.other(side)}"


#: a field pair's key: (CRM attribute, Outlook property)
FieldKey = tuple[str, str]


class KeyIndex(dict[FieldKey, int]):
    """Where each field pair's value sits in a memory's values (``engine.state.Agreed``): one
    object per layout, shared by every memory laid out so (made by :meth:`of` only). Known by
    identity, as a layout is one object: what is worked out for a layout is found by it without
    hashing its keys. (Two layouts of the same keys in other orders compare equal as dicts and
    are still two layouts: their memories iterate in their own orders.)"""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]

    @classmethod
    def of(cls, keys: tuple[FieldKey, ...], positions: tuple[int, ...] | None = None) -> KeyIndex:
        """The layout of ``keys`` at ``positions`` (default: in their order)."""
        made = _LAYOUTS.get((keys, positions))
        if made is None:
            made = _LAYOUTS[(keys, positions)] = cls(zip(keys, positions or range(len(keys)), strict=True))
        return made


#: every layout made: (keys, positions) -> its index
_LAYOUTS: dict[tuple[tuple[FieldKey, ...], tuple[int, ...] | None], KeyIndex] = {}


class PairSet:
    """Field pairs that sync together (an entity's, under one address option, for one Outlook
    item; or as a user's settings make them), with what is worked out of them once: the layout
    every memory of these pairs shares (``index``), the names each side's values are read by,
    and, per memory layout, how the reconciler reads a memory against them (``readings``).
    One object per distinct tuple of pairs (made by :meth:`of` only), known by identity."""

    __slots__ = ("pairs", "index", "crm_names", "outlook_names", "readings", "_unions")

    def __init__(self, pairs: tuple[FieldPair, ...]) -> None:
        self.pairs = pairs
        self.index = KeyIndex.of(tuple(pair.key for pair in pairs))
        self.crm_names = tuple(pair.crm for pair in pairs)
        #: the Outlook names when every pair is plain (read by name), else None (read pair by pair)
        self.outlook_names = tuple(p.outlook for p in pairs) if all(p.plain for p in pairs) else None
        #: by memory layout, what the reconciler worked out for it (engine/reconcile.py)
        self.readings: dict[KeyIndex, Any] = {}
        self._unions: dict[PairSet, PairSet] = {}

    @classmethod
    def of(cls, pairs: tuple[FieldPair, ...]) -> PairSet:
        """The set of these pairs, made on first use."""
        made = _PAIR_SETS.get(pairs)
        if made is None:
            made = _PAIR_SETS[pairs] = cls(pairs)
        return made

    def __iter__(self) -> Iterator[FieldPair]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __repr__(self) -> str:
        return f"PairSet({len(self.pairs)} pairs: {', '.join(p.crm for p in self.pairs[:3])}, ...)"

    def values(self, side: schema.Side, data: Mapping[str, Any]) -> list[Any]:
        """``[pair.value(side, data) for pair in self]``: each pair's value in CRM's terms, None
        when empty. With the fast paths on, read by one C loop when every pair is plain (a
        contact's 36, the common case)."""
        names = self.crm_names if side == schema.CRM else self.outlook_names
        if names is None or not speed.on():
            return [pair.value(side, data) for pair in self.pairs]
        values = list(map(data.get, names))
        return [None if value == "" else value for value in values] if "" in values else values

    def union(self, other: PairSet) -> PairSet:
        """These pairs, then those of ``other`` that are not among them (made once per other)."""
        made = self._unions.get(other)
        if made is None:
            made = self._unions[other] = PairSet.of(tuple(dict.fromkeys(self.pairs + other.pairs)))
        return made


#: every set of pairs made, by its pairs
_PAIR_SETS: dict[tuple[FieldPair, ...], PairSet] = {}


#: Under "all-three": CRM address number -> Outlook address.
ALL_THREE_ADDRESSES: Mapping[int, str] = MappingProxyType({1: "business", 2: "home", 3: "other"})

#: A contact that sync creates in Outlook gets Address 1 as this address, marked as mailing address.
DEFAULT_MAILING_ADDRESS = "business"


@cache
def address_pairs(number: int, outlook_address: str) -> tuple[FieldPair, ...]:
    """The pairs of CRM Address ``number`` with one Outlook address (business/home/other)."""
    prefix = OUTLOOK_ADDRESSES[outlook_address]
    return tuple(
        FieldPair(f"address{number}_{crm}", f"{prefix}Address{outlook}") for crm, outlook in ADDRESS_PARTS
    )


def address_fields(outlook_address: str) -> tuple[str, ...]:
    """Outlook property names of one address."""
    prefix = OUTLOOK_ADDRESSES[outlook_address]
    return tuple(f"{prefix}Address{outlook}" for _, outlook in ADDRESS_PARTS)


def crm_address_fields(number: int) -> tuple[str, ...]:
    return tuple(f"address{number}_{crm}" for crm, _ in ADDRESS_PARTS)


# -- Microsoft's field table ---------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One row of Microsoft's table "What fields can be synchronized with Outlook?".

    ``field`` is the name an administrator gives to change the row's direction (a CRM logical
    name); ``attributes`` every CRM attribute the row covers; ``pairs`` the field pairs it syncs
    (the address rows' pairs come from :func:`address_pairs`, as the address option decides).
    A row with no attributes is one syncsim does not model; ``gap`` says why (docs/gaps.md too).
    """

    table: str  # Microsoft's heading: Appointment, Contact, Task, ...
    entity: str  # the CRM entity's logical name
    outlook_label: str
    crm_label: str
    default: Direction
    change: Changeable
    field: str
    pairs: tuple[FieldPair, ...] = ()
    attributes: tuple[str, ...] = ()
    gap: str = ""

    def __post_init__(self) -> None:
        if not self.attributes and self.pairs:
            object.__setattr__(self, "attributes", tuple(pair.crm for pair in self.pairs))

    @property
    def settable(self) -> bool:
        return self.change == "settable"


_ALL: Changeable = "settable"


def _rows(table: str, entity: str, *rows: tuple[Any, ...]) -> tuple[FieldRow, ...]:
    """Rows of one entity: (Outlook label, CRM label, default, change, field, pairs[, gap])."""
    made = []
    for outlook_label, crm_label, default, change, name, pairs, *gap in rows:
        made.append(FieldRow(table, entity, outlook_label, crm_label, default, change, name, pairs, (), *gap))
    return tuple(made)


def _p(*pairs: tuple[str, str]) -> tuple[FieldPair, ...]:
    return tuple(FieldPair(crm, outlook) for crm, outlook in pairs)


_NOT_MODELLED = "the {} is not modelled: syncsim has no {}"
_REGARDING = "Regarding is not modelled: syncsim has no accounts, cases or other records to point to"
_ORGANIZER = (
    "the Organizer is not synced: its CfO/SSS notes (filled only once edited in Outlook) are not modelled"
)
_STATUS = "computed from statecode and statuscode; the status model is not built"
_TIME = (("scheduledstart", "Start"), ("scheduledend", "End"), ("isalldayevent", "AllDayEvent"))
_ATTENDEES_REQUIRED = (("requiredattendees", "RequiredAttendees"),)
_ATTENDEES_OPTIONAL = (("optionalattendees", "OptionalAttendees"),)

CONTACT_ROWS = _rows(
    "Contact",
    "contact",
    ("Anniversary", "Anniversary", "both", _ALL, "anniversary", _p(("anniversary", "Anniversary"))),
    ("Assistant’s Name", "Assistant", "both", _ALL, "assistantname", _p(("assistantname", "AssistantName"))),
    (
        "Assistant’s Phone",
        "Assistant Phone",
        "both",
        _ALL,
        "assistantphone",
        _p(("assistantphone", "AssistantTelephoneNumber")),
    ),
    ("Birthday", "Birthday", "both", _ALL, "birthdate", _p(("birthdate", "Birthday"))),
    ("Business Fax", "Fax", "both", _ALL, "fax", _p(("fax", "BusinessFaxNumber"))),
    (
        "Business Phone",
        "Business Phone",
        "both",
        _ALL,
        "telephone1",
        _p(("telephone1", "BusinessTelephoneNumber")),
    ),
    (
        "Business Phone 2",
        "Business Phone 2",
        "both",
        _ALL,
        "business2",
        _p(("business2", "Business2TelephoneNumber")),
    ),
    ("Callback", "Callback Number", "both", _ALL, "callback", _p(("callback", "CallbackTelephoneNumber"))),
    ("Children", "Children’s Names", "both", _ALL, "childrensnames", _p(("childrensnames", "Children"))),
    (
        "Company Main Phone",
        "Company Phone",
        "both",
        _ALL,
        "company",
        _p(("company", "CompanyMainTelephoneNumber")),
    ),
    ("Department", "Department", "both", _ALL, "department", _p(("department", "Department"))),
    ("E-mail", "Email", "both", _ALL, "emailaddress1", _p(("emailaddress1", "Email1Address"))),
    ("E-mail 2", "Email Address 2", "both", _ALL, "emailaddress2", _p(("emailaddress2", "Email2Address"))),
    ("E-mail 3", "Email Address 3", "both", _ALL, "emailaddress3", _p(("emailaddress3", "Email3Address"))),
    ("FTP Site", "FTP Site", "both", _ALL, "ftpsiteurl", _p(("ftpsiteurl", "FTPSite"))),
    (
        "Full Name",
        "Full Name",
        "both",
        "fixed",
        "fullname",
        _p(("firstname", "FirstName"), ("lastname", "LastName")),
    ),
    (
        "Government ID Number",
        "Government",
        "both",
        _ALL,
        "governmentid",
        _p(("governmentid", "GovernmentIDNumber")),
    ),
    ("Home Phone", "Home Phone", "both", _ALL, "telephone2", _p(("telephone2", "HomeTelephoneNumber"))),
    ("Home Phone 2", "Home Phone 2", "both", _ALL, "home2", _p(("home2", "Home2TelephoneNumber"))),
    ("Job Title", "Job Title", "both", _ALL, "jobtitle", _p(("jobtitle", "JobTitle"))),
    ("Manager’s Name", "Manager", "both", _ALL, "managername", _p(("managername", "ManagerName"))),
    ("Mobile", "Mobile Phone", "both", _ALL, "mobilephone", _p(("mobilephone", "MobileTelephoneNumber"))),
    ("Nickname", "Nickname", "both", _ALL, "nickname", _p(("nickname", "NickName"))),
    ("Notes", "Description", "both", _ALL, "description", _p(("description", "Body"))),
    ("Other Phone", "Telephone 3", "both", _ALL, "telephone3", _p(("telephone3", "OtherTelephoneNumber"))),
    ("Pager", "Pager", "both", _ALL, "pager", _p(("pager", "PagerNumber"))),
    (
        "Parent (Regarding)",
        "Company Name (Regarding)",
        "both",
        "fixed",
        "parentcustomerid",
        (),
        "the parent account is not modelled: syncsim has no accounts, so Outlook's CompanyName is not synced",
    ),
    ("Spouse/Partner", "Spouse/Partner Name", "both", _ALL, "spousesname", _p(("spousesname", "Spouse"))),
    ("Web Page", "Website", "both", _ALL, "websiteurl", _p(("websiteurl", "WebPage"))),
    (
        "Yomi First Name",
        "Yomi First Name",
        "both",
        _ALL,
        "yomifirstname",
        _p(("yomifirstname", "YomiFirstName")),
    ),
    ("Yomi Last Name", "Yomi Last Name", "both", _ALL, "yomilastname", _p(("yomilastname", "YomiLastName"))),
) + tuple(
    FieldRow(
        "Contact",
        "contact",
        outlook_label,
        f"Address {number}",
        "both",
        _ALL,
        f"address{number}_composite",
        attributes=tuple(f"address{number}_{crm}" for crm, _ in ADDRESS_PARTS),
    )
    for number, outlook_label in (
        (1, "Mailing Address/Business Address"),
        (2, "Home Address"),
        (3, "Other Address"),
    )
)


def _appointment_rows(table: str, entity: str, *, time: str, attachments: bool) -> tuple[FieldRow, ...]:
    """Appointment and recurring appointment share all but the time row and the attachments row."""
    rows: list[tuple[Any, ...]] = [
        ("Body", "Description", "both", _ALL, "description", _p(("description", "Body"))),
        ("Importance", "Priority", "both", "fixed", "prioritycode", _p(("prioritycode", "Importance"))),
        ("Location", "Location", "both", _ALL, "location", _p(("location", "Location"))),
        (
            "Optional Attendees",
            "Optional Attendees",
            "both",
            "fixed",
            "optionalattendees",
            _p(*_ATTENDEES_OPTIONAL),
        ),
        ("Organizer", "Organizer", "both", "fixed", "organizer", (), _ORGANIZER),
        ("Regarding", "Regarding", "both", "fixed", "regardingobjectid", (), _REGARDING),
        (
            "Required Attendees",
            "Required Attendees",
            "both",
            "fixed",
            "requiredattendees",
            _p(*_ATTENDEES_REQUIRED),
        ),
        ("Show Time As", "Appointment Status", "both", "fixed", "statuscode", (), _STATUS),
        ("Subject", "Subject", "both", _ALL, "subject", _p(("subject", "Subject"))),
    ]
    if time == "Appointment Time":
        rows.append(("Appointment Time", "Appointment Time", "both", "fixed", "scheduledstart", _p(*_TIME)))
    else:  # a series' times are part of its pattern (our choice: docs/interpretations.md)
        pattern = _p(*_TIME) + RECURRENCE
        rows.append(
            ("Recurrence Pattern", "Recurrence Pattern", "both", "fixed", "recurrencepatterntype", pattern)
        )
    if attachments:
        rows.append(("Attachments", "Attachments", "none", "computed", "attachments", (), _ATTACHMENTS))
    return _rows(table, entity, *sorted(rows))


#: CRM's recurrencepatterntype option set <-> Outlook's RecurrencePattern.RecurrenceType.
RECURRENCE: tuple[FieldPair, ...] = (
    FieldPair(
        "recurrencepatterntype",
        "RecurrencePattern.RecurrenceType",
        values=((0, "daily"), (1, "weekly"), (2, "monthly"), (3, "yearly")),
    ),
    FieldPair("interval", "RecurrencePattern.Interval"),
    FieldPair("occurrences", "RecurrencePattern.Occurrences"),
    FieldPair("daysofweekmask", "RecurrencePattern.DayOfWeekMask"),
    FieldPair("dayofmonth", "RecurrencePattern.DayOfMonth"),
    FieldPair("monthofyear", "RecurrencePattern.MonthOfYear"),
    FieldPair("instance", "RecurrencePattern.Instance"),
    FieldPair("patternenddate", "RecurrencePattern.PatternEndDate"),
)
_ATTACHMENTS = "files, not a field: the attachment setting turns them two-way (APPT-ATTACH-ON)"

APPOINTMENT_ROWS = _appointment_rows("Appointment", "appointment", time="Appointment Time", attachments=True)
RECURRING_ROWS = _appointment_rows(
    "Recurring Appointment", "recurringappointmentmaster", time="Recurrence Pattern", attachments=False
)


def _service_rows() -> tuple[FieldRow, ...]:
    """The appointment rows, each one way CRM to Outlook and fixed (SERVICE-ONE-WAY); Body is
    called Notes. Dynamics' service activity has resources and customers, not attendees."""
    no_attendees = "a service activity's people are resources and customers, which syncsim does not model"
    rows = []
    for row in APPOINTMENT_ROWS:
        if row.field == "attachments":
            continue
        one_way = tuple(replace(p, direction="crm-to-outlook", rule=rules.SERVICE_ONE_WAY) for p in row.pairs)
        attendees = row.field.endswith("attendees")
        rows.append(
            replace(
                row,
                table="Service Activity",
                entity="serviceappointment",
                outlook_label="Notes" if row.outlook_label == "Body" else row.outlook_label,
                default="crm-to-outlook",
                change="fixed",
                pairs=() if attendees else one_way,
                attributes=() if attendees else row.attributes,
                gap=no_attendees if attendees else row.gap,
            )
        )
    return tuple(sorted(rows, key=lambda row: row.outlook_label))


SERVICE_ROWS = _service_rows()


def _task_like_rows(table: str, entity: str, *, percent: bool, gap: str = "") -> tuple[FieldRow, ...]:
    """Task, and the phone call, letter and fax an Outlook task can be tracked as: the same rows."""
    rows: list[tuple[Any, ...]] = [
        ("Date Completed", "Actual End", "both", _ALL, "actualend", _p(("actualend", "DateCompleted"))),
        ("Due Date", "Due Date", "both", _ALL, "scheduledend", _p(("scheduledend", "DueDate"))),
        ("Importance", "Priority", "both", "fixed", "prioritycode", _p(("prioritycode", "Importance"))),
        ("Notes", "Description", "both", _ALL, "description", _p(("description", "Body"))),
        ("Regarding", "Regarding", "both", "fixed", "regardingobjectid", (), _REGARDING),
        ("Start Date", "Start Date", "both", _ALL, "scheduledstart", _p(("scheduledstart", "StartDate"))),
        ("Status", "Status", "both", "fixed", "statuscode", (), _STATUS),
        ("Subject", "Subject", "both", _ALL, "subject", _p(("subject", "Subject"))),
    ]
    if percent:
        pair = _p(("percentcomplete", "PercentComplete"))
        rows.insert(0, ("% Complete", "Percent Complete", "both", _ALL, "percentcomplete", pair))
    if gap:  # an entity syncsim does not model: every row is a gap
        rows = [(*row[:5], (), gap) for row in rows]
    return _rows(table, entity, *rows)


TASK_ROWS = _task_like_rows("Task", "task", percent=True)
#: Microsoft's Fax, Letter and Phone Call tables: kept whole, and declared gaps.
UNMODELLED_ROWS = tuple(
    row
    for table, entity in (("Fax", "fax"), ("Letter", "letter"), ("Phone Call", "phonecall"))
    for row in _task_like_rows(
        table, entity, percent=False, gap=_NOT_MODELLED.format(table.lower(), "Outlook task tracked as one")
    )
)

#: Every row of Microsoft's table, in its order of entities.
FIELD_TABLE: tuple[FieldRow, ...] = (
    APPOINTMENT_ROWS + CONTACT_ROWS + UNMODELLED_ROWS + RECURRING_ROWS + SERVICE_ROWS + TASK_ROWS
)


def _row_pairs(rows: tuple[FieldRow, ...]) -> tuple[FieldPair, ...]:
    return tuple(pair for row in rows for pair in row.pairs)


CONTACT: tuple[FieldPair, ...] = _row_pairs(CONTACT_ROWS)
APPOINTMENT: tuple[FieldPair, ...] = _row_pairs(APPOINTMENT_ROWS)
RECURRING_APPOINTMENT: tuple[FieldPair, ...] = _row_pairs(RECURRING_ROWS)
SERVICE_APPOINTMENT: tuple[FieldPair, ...] = _row_pairs(SERVICE_ROWS)
TASK: tuple[FieldPair, ...] = _row_pairs(TASK_ROWS)
#: the pairs of every entity but contacts (whose pairs the address option and item choose)
_OTHER_PAIRS: Mapping[str, PairSet] = MappingProxyType(
    {
        "appointment": PairSet.of(APPOINTMENT),
        "recurringappointmentmaster": PairSet.of(RECURRING_APPOINTMENT),
        "serviceappointment": PairSet.of(SERVICE_APPOINTMENT),
        "task": PairSet.of(TASK),
    }
)

#: the entities whose every field syncs one way, CRM to Outlook (SERVICE-ONE-WAY): nothing done to
#: their Outlook copy, an edit, a delete or an untrack, reaches CRM
CRM_TO_OUTLOOK_ONLY: frozenset[str] = frozenset(
    entity
    for entity, pairs in _OTHER_PAIRS.items()
    if all(pair.direction == "crm-to-outlook" for pair in pairs.pairs)
)

#: (entity, CRM attribute or row field name) -> the row it belongs to.
ROW_OF: Mapping[tuple[str, str], FieldRow] = MappingProxyType(
    {(row.entity, name): row for row in FIELD_TABLE for name in (row.field, *row.attributes)}
)


_DIRECTION_WORDS: Mapping[str, Direction] = MappingProxyType(
    {**{d: d for d in DIRECTIONS}, "two-way": "both"}
)


def parse_direction(text: str) -> Direction:
    """A direction as written in a feature file or on the command line."""
    found = _DIRECTION_WORDS.get(text.strip().lower())
    if found is None:
        raise ValueError(f"direction {text!r} is not allowed; allowed: two-way, {', '.join(DIRECTIONS[1:])}")
    return found


def field_row(entity: str, name: str) -> FieldRow:
    """The row of Microsoft's table an administrator names by entity and field (a CRM logical
    name: ``jobtitle``, ``address1_composite``, ``fullname``, ...)."""
    schema.entity(entity)
    row = ROW_OF.get((entity, name))
    if row is None or not row.attributes:
        known = sorted({row.field for row in FIELD_TABLE if row.entity == entity and row.attributes})
        raise ValueError(f"{entity} has no synchronized field {name!r}; its fields: {', '.join(known)}")
    return row


def fixed_refusal(row: FieldRow, direction: Direction) -> str | None:
    """Why ``direction`` cannot be given to a fixed row (FIELD-FIXED), or None when it can."""
    if row.settable or direction == row.default:
        return None
    fixed = f"{row.entity}.{row.field} ({row.outlook_label}) is fixed"
    return f"{fixed}: it syncs {row.default}, and only settable fields change ({rules.FIELD_FIXED})"


@dataclass(frozen=True)
class FieldAccess:
    """A user's field-level security on one CRM attribute (a secured field the profile grants)."""

    read: bool
    update: bool


#: an activity's statecode once it is closed: Completed (1), Canceled (2)
CLOSED_STATES: tuple[int, ...] = (1, 2)


def closed_appointment(entity: str, record: Mapping[str, Any] | None) -> bool:
    """A CRM appointment that is Completed or Canceled (APPT-CLOSED-KEEPS-CRM)."""
    return entity == "appointment" and record is not None and record.get("statecode") in CLOSED_STATES


def from_crm_only(pairs: PairSet, rule: str) -> PairSet:
    """The pairs with nothing flowing from Outlook: a two-way pair flows CRM to Outlook, one from
    Outlook only flows nowhere, each then naming ``rule``."""
    return PairSet.of(
        tuple(
            replace(p, direction="crm-to-outlook" if p.flows_from(schema.CRM) else "none", rule=rule)
            if p.flows_from(schema.OUTLOOK)
            else p
            for p in pairs
        )
    )


def effective_pairs(
    entity: str,
    pairs: PairSet,
    directions: Mapping[tuple[str, str], Direction],
    access: Mapping[tuple[str, str], FieldAccess],
    on: Callable[[str], bool],
) -> PairSet:
    """The pairs as they sync for one user: a rule switched off makes its pair two-way again; the
    administrator's direction for the pair's row (FIELD-ONE-WAY, FIELD-NONE); then the user's
    field security (FIELD-SECURITY-READ, FIELD-SECURITY-UPDATE). ``on`` says whether a rule is on."""
    if not directions and not access and all(pair.rule is None or on(pair.rule) for pair in pairs):
        return pairs  # the common case: nothing to change
    return PairSet.of(tuple(_effective(entity, pair, directions, access, on) for pair in pairs))


def _effective(
    entity: str,
    pair: FieldPair,
    directions: Mapping[tuple[str, str], Direction],
    access: Mapping[tuple[str, str], FieldAccess],
    on: Callable[[str], bool],
) -> FieldPair:
    if pair.rule is not None and not on(pair.rule):
        pair = pair.two_way()
    row = ROW_OF.get((entity, pair.crm))
    chosen = directions.get((entity, row.field)) if row is not None else None
    rule = rules.FIELD_NONE if chosen == "none" else rules.FIELD_ONE_WAY
    if chosen is not None and chosen != pair.direction and on(rule):
        pair = replace(pair, direction=chosen, rule=None if chosen == "both" else rule)
    grant = access.get((entity, pair.crm))
    if grant is not None and not grant.read and on(rules.FIELD_SECURITY_READ):
        return replace(pair, direction="none", rule=rules.FIELD_SECURITY_READ)
    if (
        grant is not None
        and not grant.update
        and on(rules.FIELD_SECURITY_UPDATE)
        and pair.flows_from(schema.OUTLOOK)
    ):
        direction: Direction = "crm-to-outlook" if pair.flows_from(schema.CRM) else "none"
        return replace(pair, direction=direction, rule=rules.FIELD_SECURITY_UPDATE)
    return pair


#: CRM entity -> the Outlook item kind it syncs with (read from the schema).
OUTLOOK_KIND: Mapping[str, str] = MappingProxyType({e.name: e.outlook_kind for e in schema.ENTITIES.values()})


def mailing_address(item: Mapping[str, Any]) -> str:
    """Which Outlook address is the mailing address (``none`` counts as business)."""
    selected = item.get("SelectedMailingAddress") or "none"
    return selected if selected in OUTLOOK_ADDRESSES else DEFAULT_MAILING_ADDRESS


def contact_pairs(address_mode: AddressMode, outlook_item: Mapping[str, Any] | None) -> PairSet:
    """The contact pairs under an address option, for one Outlook contact (None: a new one)."""
    if address_mode == ALL_THREE:
        return _contact_pairs(address_mode, None)
    selected = mailing_address(outlook_item) if outlook_item else DEFAULT_MAILING_ADDRESS
    return _contact_pairs(address_mode, selected)


@cache
def _contact_pairs(address_mode: AddressMode, selected: str | None) -> PairSet:
    if address_mode == ALL_THREE:
        pairs = CONTACT + tuple(p for n, kind in ALL_THREE_ADDRESSES.items() for p in address_pairs(n, kind))
        return PairSet.of(pairs)
    return PairSet.of(CONTACT + address_pairs(1, selected or DEFAULT_MAILING_ADDRESS))


def pairs_for(entity: str, address_mode: AddressMode, outlook_item: Mapping[str, Any] | None) -> PairSet:
    """Every pair that syncs for a CRM entity (and, for contacts, its Outlook item)."""
    if entity == "contact":
        return contact_pairs(address_mode, outlook_item)
    pairs = _OTHER_PAIRS.get(entity)
    if pairs is None:
        raise ValueError(f"unknown CRM entity {entity!r}; known: {', '.join(CRM_ENTITIES)}")
    return pairs


def read(item: Mapping[str, Any], path: str) -> Any:
    """An Outlook property by name; ``A.B`` reads B of the dict-valued property A."""
    head, _, rest = path.partition(".")
    value = item.get(head)
    if rest:
        return value.get(rest) if isinstance(value, dict) else None
    return value


def write(fields: dict[str, Any], item: Mapping[str, Any], path: str, value: Any) -> None:
    """Put ``value`` for ``path`` into ``fields`` (a dict of changes for ``item``)."""
    head, _, rest = path.partition(".")
    if not rest:
        fields[head] = value
        return
    nested = dict(fields.get(head) or item.get(head) or {})
    nested[rest] = value
    fields[head] = nested


def blank(value: Any) -> Any:
    """None for an empty value: sync treats a missing field, None and "" alike."""
    return None if value in (None, "") else value


def _check_against_schema() -> None:
    """Every pair names an attribute and a property the schema declares, with fitting types."""
    tables = {
        "contact": CONTACT
        + tuple(p for n, k in ALL_THREE_ADDRESSES.items() for p in address_pairs(n, k))
        + tuple(p for k in OUTLOOK_ADDRESSES for p in address_pairs(1, k)),
        "appointment": APPOINTMENT,
        "recurringappointmentmaster": RECURRING_APPOINTMENT,
        "serviceappointment": SERVICE_APPOINTMENT,
        "task": TASK,
    }
    for entity_name, pairs in tables.items():
        entity = schema.entity(entity_name)
        for pair in pairs:
            crm_type = entity.attributes.get(pair.crm)
            outlook_type = schema.property_type(entity.outlook_kind, pair.outlook)
            if crm_type is None:
                raise AssertionError(f"{entity_name}: mapped attribute {pair.crm!r} is not in the schema")
            if not pair.values and crm_type is not outlook_type:
                raise AssertionError(
                    f"{pair.crm} ({crm_type.__name__}) / {pair.outlook} ({outlook_type.__name__})"
                )


_check_against_schema()
