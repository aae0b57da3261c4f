"""Field mapping tables, declared once as data: CRM logical names <-> Outlook property names.

Contacts map differently under the two address options of the Synchronization tab
(Microsoft's table "What fields can be synchronized with Outlook?" names the pairs):

* ``mailing-only``: CRM Address 1 <-> whichever Outlook address is the mailing address.
* ``all-three``: Address 1 <-> Business, Address 2 <-> Home, Address 3 <-> Other.

A pair is identified by ``(crm, outlook)``; the link table keeps the last synced value of each
pair, which is how the engine knows when a pair is new (the mapping changed) for a linked item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from harness import rules, schema
from harness.schema import ADDRESS_PARTS, CRM_ENTITIES, OUTLOOK_ADDRESSES
from harness.settings import ALL_THREE, AddressMode

Direction = Literal["both", "crm-to-outlook", "outlook-to-crm"]


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

    def __post_init__(self) -> None:
        # one shared tuple per pair: every link's last-synced dict uses it as its key
        object.__setattr__(self, "key", (self.crm, self.outlook))
        # a plain property, the same value on both sides: written without translation or nesting
        object.__setattr__(self, "plain", not self.values and "." not in self.outlook)

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


CONTACT: tuple[FieldPair, ...] = (
    FieldPair("firstname", "FirstName"),
    FieldPair("lastname", "LastName"),
    FieldPair("jobtitle", "JobTitle"),
    FieldPair("emailaddress1", "Email1Address"),
    FieldPair("emailaddress2", "Email2Address"),
    FieldPair("emailaddress3", "Email3Address"),
    FieldPair("telephone1", "BusinessTelephoneNumber"),
    FieldPair("telephone2", "HomeTelephoneNumber"),
    FieldPair("telephone3", "OtherTelephoneNumber"),
    FieldPair("mobilephone", "MobileTelephoneNumber"),
    FieldPair("description", "Body"),
)

APPOINTMENT: tuple[FieldPair, ...] = (
    FieldPair("subject", "Subject"),
    FieldPair("location", "Location"),
    FieldPair("scheduledstart", "Start"),
    FieldPair("scheduledend", "End"),
    FieldPair("isalldayevent", "AllDayEvent"),
    FieldPair("description", "Body"),
    FieldPair("requiredattendees", "RequiredAttendees"),
    FieldPair("optionalattendees", "OptionalAttendees"),
)

#: CRM's recurrencepatterntype option set <-> Outlook's RecurrencePattern.RecurrenceType.
RECURRENCE: tuple[FieldPair, ...] = (
    FieldPair(
        "recurrencepatterntype",
        "RecurrencePattern.RecurrenceType",
        values=((0, "daily"), (1, "weekly"), (2, "monthly"), (3, "yearly")),
    ),
    FieldPair("interval", "RecurrencePattern.Interval"),
    FieldPair("occurrences", "RecurrencePattern.Occurrences"),
)

#: Every field of a service activity syncs one way, CRM to Outlook (SERVICE-ONE-WAY).
SERVICE_APPOINTMENT: tuple[FieldPair, ...] = tuple(
    replace(pair, direction="crm-to-outlook", rule=rules.SERVICE_ONE_WAY)
    for pair in APPOINTMENT
    if not pair.crm.endswith("attendees")
)

TASK: tuple[FieldPair, ...] = (
    FieldPair("subject", "Subject"),
    FieldPair("description", "Body"),
    FieldPair("scheduledend", "DueDate"),
    FieldPair("prioritycode", "Importance"),
    FieldPair("percentcomplete", "PercentComplete"),
    FieldPair("actualdurationminutes", "ActualWork"),
)

#: CRM entity -> the Outlook item kind it syncs with (read from the schema).
OUTLOOK_KIND: Mapping[str, str] = MappingProxyType({e.name: e.outlook_kind for e in schema.ENTITIES.values()})


def mailing_address(item: Mapping[str, Any]) -> str:
    """Which Outlook address is the mailing address (``none`` counts as business)."""
    selected = item.get("SelectedMailingAddress") or "none"
    return selected if selected in OUTLOOK_ADDRESSES else DEFAULT_MAILING_ADDRESS


def contact_pairs(address_mode: AddressMode, outlook_item: Mapping[str, Any] | None) -> tuple[FieldPair, ...]:
    """The contact pairs under an address option, for one Outlook contact (None: a new one)."""
    if address_mode == ALL_THREE:
        return _contact_pairs(address_mode, None)
    selected = mailing_address(outlook_item) if outlook_item else DEFAULT_MAILING_ADDRESS
    return _contact_pairs(address_mode, selected)


@cache
def _contact_pairs(address_mode: AddressMode, selected: str | None) -> tuple[FieldPair, ...]:
    if address_mode == ALL_THREE:
        return CONTACT + tuple(p for n, kind in ALL_THREE_ADDRESSES.items() for p in address_pairs(n, kind))
    return CONTACT + address_pairs(1, selected or DEFAULT_MAILING_ADDRESS)


def pairs_for(
    entity: str, address_mode: AddressMode, outlook_item: Mapping[str, Any] | None
) -> tuple[FieldPair, ...]:
    """Every pair that syncs for a CRM entity (and, for contacts, its Outlook item)."""
    if entity == "contact":
        return contact_pairs(address_mode, outlook_item)
    if entity == "appointment":
        return APPOINTMENT
    if entity == "recurringappointmentmaster":
        return APPOINTMENT + RECURRENCE
    if entity == "serviceappointment":
        return SERVICE_APPOINTMENT
    if entity == "task":
        return TASK
    raise ValueError(f"unknown CRM entity {entity!r}; known: {', '.join(CRM_ENTITIES)}")


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
        "recurringappointmentmaster": APPOINTMENT + RECURRENCE,
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
