"""A CRM record's mapped fields as a new Outlook item's properties: the hot loop of an initial cycle.

Read pair by pair, a contact costs a lookup, a test and a store for each of its 36 pairs, though
a record holds only a dozen of them: 4.5 of the 6.5 µs the planner spent on a record. Records of
one store share a few key orders (a factory's or an export's columns), so for each order seen the
copier works out once which pairs the record holds and where their values go; a record of a
known order is then read with three C calls (``operator.itemgetter`` and ``dict(zip(...))``). A
record with an empty, None or false value, or of an order past ``SHAPES``, is read pair by pair:
the same result, the slow way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from syncsim.harness import schema
from syncsim.harness.engine.state import Agreed, FieldKey, key_index
from syncsim.harness.mapping import FieldPair

#: the most key orders a copier remembers (a few in practice; past it, records go the slow way)
SHAPES = 64


class _Shape:
    """For one key order: how to take the values of the pairs a record holds (plain pairs that
    flow from CRM first, in pair order, then the rest), their Outlook names, and every pair's
    position in those values (the memory's key index; the pairs it lacks past the end)."""

    __slots__ = ("take", "outlook", "index")

    def __init__(
        self, take: Callable[[Any], tuple[Any, ...]], outlook: tuple[str, ...], index: dict[FieldKey, int]
    ) -> None:
        self.take, self.outlook, self.index = take, outlook, index


class OutlookCopier:
    """Copies records of one entity over one set of field pairs (made once a cycle)."""

    def __init__(self, pairs: tuple[FieldPair, ...]) -> None:
        flowing = [(n, pair) for n, pair in enumerate(pairs) if pair.flows_from(schema.CRM)]
        self.names = tuple(p.crm for p in pairs)
        self.plain = tuple((n, pair.outlook) for n, pair in flowing if pair.plain)
        self.translated = tuple(pair for _, pair in flowing if not pair.plain)
        #: the pairs' keys, positions shared with every memory of the same pairs
        self.index: dict[FieldKey, int] = key_index(tuple(p.key for p in pairs))
        self._shapes: dict[tuple[str, ...], _Shape | None] = {}

    def copy(self, record: Mapping[str, Any]) -> tuple[dict[str, Any], Agreed]:
        """The Outlook properties of the pairs that flow from CRM (empty values left out), and
        every pair's value (None when empty): what the record and its copy then agree on."""
        keys = tuple(record)
        shape = self._shapes.get(keys, _UNSEEN)
        if shape is _UNSEEN:
            shape = self._learn(keys)
        if shape is not None:
            got = shape.take(record)
            if all(got):  # no None and no "" (nor 0 or False: those go the slow way)
                properties = dict(zip(shape.outlook, got))  # noqa: B905 - the plain pairs' values come first
                agreed = Agreed(shape.index, got)  # the pairs it lacks lie past the end
                return (self._translate(properties, agreed) if self.translated else properties), agreed
        return self._one_by_one(record)

    def _one_by_one(self, record: Mapping[str, Any]) -> tuple[dict[str, Any], Agreed]:
        values = list(map(record.get, self.names))
        if "" in values:
            values = [None if value == "" else value for value in values]
        properties = {outlook: value for n, outlook in self.plain if (value := values[n]) is not None}
        agreed = Agreed(self.index, values)
        return self._translate(properties, agreed), agreed

    def _translate(self, properties: dict[str, Any], agreed: Agreed) -> dict[str, Any]:
        for pair in self.translated:
            value = agreed.get(pair.key)
            if value is not None:
                pair.put(schema.OUTLOOK, properties, properties, value)
        return properties

    def _learn(self, keys: tuple[str, ...]) -> _Shape | None:
        """How to read records of this key order (None: read them one by one)."""
        if len(self._shapes) >= SHAPES:
            return None
        held = set(keys)
        plain = [n for n, _ in self.plain if self.names[n] in held]
        taken = set(plain)
        rest = [n for n, name in enumerate(self.names) if name in held and n not in taken]
        order = plain + rest
        shape = None
        if len(order) >= 2:  # itemgetter of one name gives the value, not a tuple
            placed = set(order)
            lacking = [n for n in range(len(self.names)) if n not in placed]
            at = {n: position for position, n in enumerate(order + lacking)}
            index = {key: at[n] for key, n in self.index.items()}  # in pair order, as the memory reads
            outlook = dict(self.plain)
            take = itemgetter(*(self.names[n] for n in order))
            shape = _Shape(take, tuple(outlook[n] for n in plain), index)
        self._shapes[keys] = shape
        return shape


_UNSEEN: Any = object()
