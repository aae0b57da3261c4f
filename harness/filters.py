"""Online sync filters: which CRM records reach a user's Outlook, as Dynamics stores them (FetchXML).

Microsoft's pages (FLT, DFLT, SDKF in rules.SOURCES) say: user filters and system filters decide
which records sync to Outlook or Exchange, for CRM for Outlook and server-side sync alike; every
user starts with default filters ("My Outlook Contacts": the active contacts the user owns);
several filters for one entity combine as a union; with no enabled filter for an entity nothing of
it syncs; system filters are made by an administrator and apply to every user.

A filter is parsed from FetchXML with defusedxml (an entity expansion or a DTD is refused), and
checked against the schema: the entity, every attribute, every operator. Supported operators:
eq, ne, in, not-in, null, not-null, eq-userid, ne-userid, like, on-or-after, on-or-before; nested
``<filter type="and|or">``. Anything else is a :class:`FilterError` that names what is wrong.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from . import schema

OPERATORS = (
    "eq",
    "ne",
    "in",
    "not-in",
    "null",
    "not-null",
    "eq-userid",
    "ne-userid",
    "like",
    "on-or-after",
    "on-or-before",
)


class FilterError(ValueError):
    """A FetchXML filter syncsim cannot take: bad XML, an unknown operator or attribute, ..."""


@dataclass(frozen=True)
class Condition:
    attribute: str
    operator: str
    values: tuple[str, ...] = ()
    #: the values as the attribute's type (parsed once, when the filter is read)
    typed: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Group:
    """``<filter type="and|or">``: conditions and nested groups."""

    kind: str
    parts: tuple[Condition | Group, ...]


Test = Callable[[Mapping[str, Any], str], bool]


@dataclass(frozen=True)
class SyncFilter:
    """One filter: its name, the entity it selects from, and its criteria."""

    name: str
    entity: str
    criteria: Group
    fetchxml: str = ""
    #: the criteria compiled once into one function (a filter is asked once per changed record)
    test: Test = field(default=lambda record, user: True, compare=False, repr=False)
    #: whether every record it takes is the syncing user's own (an ``ownerid eq-userid`` the
    #: criteria cannot do without): other users' records are then refused without a look
    owner_only: bool = False

    def matches(self, record: Mapping[str, Any], systemuserid: str) -> bool:
        return self.test(record, systemuserid)


def parse(fetchxml: str, name: str = "filter") -> SyncFilter:
    """A filter from FetchXML; a FilterError names the problem (and the allowed values)."""
    root = _xml(fetchxml)
    if root.tag != "fetch":
        raise FilterError(f"{name}: the root element is <{root.tag}>, not <fetch>")
    entities = root.findall("entity")
    if len(entities) != 1:
        raise FilterError(f"{name}: a filter selects from exactly one <entity>, found {len(entities)}")
    entity_name = entities[0].get("name") or ""
    if entity_name not in schema.ENTITIES:
        raise FilterError(f"{name}: unknown entity {entity_name!r}; entities: {', '.join(schema.ENTITIES)}")
    depth = _nesting(entities[0])
    if depth > MAX_NESTING:
        raise FilterError(f"{name}: filters nested {depth} deep; at most {MAX_NESTING}")
    groups = [_group(element, entity_name, name) for element in entities[0].findall("filter")]
    criteria = Group("and", tuple(groups))
    owned = Condition("ownerid", "eq-userid")
    owner_only = any(part == owned for part in _flat(criteria))
    return SyncFilter(name, entity_name, criteria, fetchxml, _compile(criteria), owner_only)


#: the deepest nesting of <filter> elements read (each level is a recursion when a filter is
#: read and when it is applied; the system filters Microsoft ships nest two)
MAX_NESTING = 32


def _nesting(element: Element) -> int:
    """How deep ``<filter>`` elements nest under ``element`` (counted without recursion)."""
    deepest, pending = 0, [(element, 0)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in node if child.tag == "filter")
    return deepest


def _xml(text: str) -> Element:
    try:
        return SafeTree.fromstring(text, forbid_dtd=True)  # type: ignore[no-any-return]
    except DefusedXmlException as unsafe:
        raise FilterError(
            f"refused: the FetchXML declares a DTD or entities ({type(unsafe).__name__})"
        ) from None
    except ElementTree.ParseError as bad:
        line, column = bad.position
        raise FilterError(f"not well-formed XML at line {line}, column {column + 1}") from None


def _group(element: Element, entity: str, name: str) -> Group:
    kind = element.get("type", "and")
    if kind not in ("and", "or"):
        raise FilterError(f"{name}: <filter type={kind!r}>; allowed: and, or")
    parts: list[Condition | Group] = []
    for child in element:
        if child.tag == "filter":
            parts.append(_group(child, entity, name))
        elif child.tag == "condition":
            parts.append(_condition(child, entity, name))
        else:
            raise FilterError(f"{name}: <{child.tag}> inside <filter>; allowed: <condition>, <filter>")
    return Group(kind, tuple(parts))


def _condition(element: Element, entity: str, name: str) -> Condition:
    attribute, operator = element.get("attribute") or "", element.get("operator") or ""
    attributes = schema.entity(entity).attributes
    if attribute not in attributes:
        closest = difflib.get_close_matches(attribute, attributes, n=3, cutoff=0.75)
        raise FilterError(
            f"{name}: {entity} has no attribute {attribute!r}; "
            + (
                f"closest: {', '.join(closest)}"
                if closest
                else f"syncsim fields --entity {entity} lists them"
            )
        )
    if operator not in OPERATORS:
        raise FilterError(
            f"{name}: operator {operator!r} is not supported; supported: {', '.join(OPERATORS)}"
        )
    values = tuple(v.text or "" for v in element.findall("value"))
    if element.get("value") is not None:
        values = (element.get("value") or "", *values)
    needs = {"null": 0, "not-null": 0, "eq-userid": 0, "ne-userid": 0, "in": -1, "not-in": -1}.get(
        operator, 1
    )
    if (needs == -1 and not values) or (needs >= 0 and len(values) != needs):
        raise FilterError(
            f"{name}: {attribute} {operator} takes {'values' if needs == -1 else needs or 'no'} value(s)"
        )
    typed: tuple[Any, ...] = ()
    if operator in ("eq", "ne", "in", "not-in"):
        try:
            typed = tuple(schema.parse_value(attribute, value) for value in values)
        except ValueError as bad:
            raise FilterError(f"{name}: {bad}") from None
    return Condition(attribute, operator, values, typed)


# -- evaluating ----------------------------------------------------------------------------------


def _compile(part: Condition | Group) -> Test:
    """One function that tells whether a record passes ``part``."""
    if isinstance(part, Condition):
        attribute, operator = part.attribute, part.operator
        # the operators of the default filters, compared in place: a filter is asked once per record
        if operator == "eq-userid":
            return lambda record, user: bool(record.get(attribute) == user)
        if operator == "eq":
            value = part.typed[0]
            return lambda record, user: bool(record.get(attribute) == value)
        check, condition = _TESTS[operator], part
        return lambda record, user: check(record.get(attribute), condition, user)
    parts = _flat(part)
    owned = _owned_and_equal(parts) if part.kind == "and" else None
    return owned or _chain(part.kind, [_compile(p) for p in parts])


def _owned_and_equal(parts: list[Condition | Group]) -> Test | None:
    """The shape of the default filters, the user's own and one attribute equal to a value (in
    either order: an and of two plain tests), as one test: one call a record instead of three."""
    conditions = [p for p in parts if isinstance(p, Condition)]
    mine = [c for c in conditions if c.operator == "eq-userid"]
    equal = [c for c in conditions if c.operator == "eq"]
    if len(parts) != 2 or len(mine) != 1 or len(equal) != 1:
        return None
    owner, attribute, value = mine[0].attribute, equal[0].attribute, equal[0].typed[0]
    # (== between the schema's value types is a bool already: no bool() a record)
    return lambda record, user: record.get(owner) == user and record.get(attribute) == value


def _flat(group: Group) -> list[Condition | Group]:
    """A group's parts, with nested groups of the same kind taken in (and within and)."""
    parts: list[Condition | Group] = []
    for part in group.parts:
        same = isinstance(part, Group) and part.kind == group.kind
        parts.extend(_flat(part) if same else [part])  # type: ignore[arg-type]
    return parts


def _chain(kind: str, tests: list[Test]) -> Test:
    """The tests joined by and/or, short-circuiting left to right (faster than all()/any())."""
    if not tests:
        return lambda record, user: kind == "and"
    first = tests[0]
    if len(tests) == 1:
        return first
    rest = _chain(kind, tests[1:])
    if kind == "and":
        return lambda record, user: first(record, user) and rest(record, user)
    return lambda record, user: first(record, user) or rest(record, user)


def _like(value: Any, pattern: str) -> bool:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return value is not None and re.fullmatch(regex, str(value), re.IGNORECASE) is not None


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


_TESTS: Mapping[str, Callable[[Any, Condition, str], bool]] = {
    "eq": lambda v, c, u: v == c.typed[0],
    "ne": lambda v, c, u: v != c.typed[0],
    "in": lambda v, c, u: v in c.typed,
    "not-in": lambda v, c, u: v not in c.typed,
    "null": lambda v, c, u: v in (None, ""),
    "not-null": lambda v, c, u: v not in (None, ""),
    "eq-userid": lambda v, c, u: v == u,
    "ne-userid": lambda v, c, u: v != u,
    "like": lambda v, c, u: _like(v, c.values[0]),
    "on-or-after": lambda v, c, u: (d := _day(v)) is not None and d >= date.fromisoformat(c.values[0]),
    "on-or-before": lambda v, c, u: (d := _day(v)) is not None and d <= date.fromisoformat(c.values[0]),
}
assert set(_TESTS) == set(OPERATORS)


# -- the defaults --------------------------------------------------------------------------------


def _mine(entity: str, extra: str = "") -> str:
    return (
        f'<fetch version="1.0" mapping="logical"><entity name="{entity}"><filter type="and">'
        f'<condition attribute="ownerid" operator="eq-userid"/>{extra}</filter></entity></fetch>'
    )


#: The default filters every user starts with, by entity (DFLT, SDKF): the records the user owns;
#: for contacts only the active ones ("My Outlook Contacts").
DEFAULTS: Mapping[str, SyncFilter] = {
    "contact": parse(
        _mine("contact", '<condition attribute="statecode" operator="eq" value="0"/>'), "My Outlook Contacts"
    ),
    "appointment": parse(_mine("appointment"), "My Appointments"),
    "recurringappointmentmaster": parse(_mine("recurringappointmentmaster"), "My Recurring Appointments"),
    "serviceappointment": parse(_mine("serviceappointment"), "My Service Activities"),
    "task": parse(_mine("task"), "My Tasks"),
}
assert set(DEFAULTS) == set(schema.ENTITIES)
