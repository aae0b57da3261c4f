"""A CRM record's mapped fields as a new Outlook item's properties: the hot loop of an initial cycle.

Read pair by pair, a contact costs a lookup, a test and a store for each of its 36 pairs, though
a record holds only a dozen of them: 4.5 of the 6.5 µs the planner spent on a record. Records of
one store share a few key orders (a factory's or an export's columns), so for each order seen the
copier works out once which pairs the record holds and where their values go, and writes a small
function for it (as ``dataclasses`` and ``namedtuple`` write theirs): one ``operator.itemgetter``
read, and the item's properties built in one step by a dict display whose keys are constants, the
copy's fixed properties and its stamp among them (no dict grown key by key). A record with an
empty, None or false value, or of an order past ``SHAPES``, is read pair by pair: the same result,
in the same key order, the slow way. Writing the functions is a fast path (speed.py): with the
switch off, every record is read pair by pair.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from types import CodeType, MappingProxyType
from typing import Any

from .. import schema, speed
from ..mapping import KeyIndex, PairSet
from .state import Agreed

#: the most key orders a copier remembers (a few in practice; past it, records go the slow way)
SHAPES = 64

#: builds a copy from a record of one key order and its stamp (None when a value is empty)
_Build = Callable[[Any, Any], "tuple[dict[str, Any], Agreed] | None"]


class OutlookCopier:
    """Copies records of one entity over one set of field pairs (made once a cycle). Each copy
    carries the mapped properties, then ``extras`` (the properties every new copy of the entity
    has), then its stamp (``stamp``: the record's id), then the translated pairs."""

    def __init__(
        self,
        pairs: PairSet,
        extras: Mapping[str, Any] | None = None,
        stamp: str = schema.CRM_ID,
    ) -> None:
        flowing = [(n, pair) for n, pair in enumerate(pairs) if pair.flows_from(schema.CRM)]
        self.names = pairs.crm_names
        #: the pairs that do not flow from CRM: the copy lacks them, so they agree on nothing yet
        self.held_back = frozenset(range(len(self.names))) - {n for n, _ in flowing}
        self.plain = tuple((n, pair.outlook) for n, pair in flowing if pair.plain)
        self.translated = tuple(pair for _, pair in flowing if not pair.plain)
        self.extras = dict(extras or {})
        self.stamp = stamp
        #: the pairs' layout, shared with every memory of the same pairs
        self.index = pairs.index
        #: by key order, the function that builds a copy from a record of that order and its
        #: stamp (None: records of that order go the slow way); none at all with the switch off
        self._builds: dict[tuple[str, ...], _Build | None] = {}
        self.fast = speed.on()

    def copy(self, record: Mapping[str, Any], stamp: Any) -> tuple[dict[str, Any], Agreed]:
        """The Outlook properties of the pairs that flow from CRM (empty values left out), the
        extras and the stamp; and every pair's value (None when empty, or when the pair does not
        flow from CRM: the copy never got it): what the record and its copy then agree on."""
        if self.fast:
            keys = tuple(record)
            build = self._builds.get(keys, _UNSEEN)
            if build is _UNSEEN:
                build = self._learn(keys)
            if build is not None:
                made = build(record, stamp)
                if made is not None:
                    return (self._translate(*made), made[1]) if self.translated else made
        return self._one_by_one(record, stamp)

    @property
    def builds(self) -> Mapping[tuple[str, ...], _Build | None]:
        """For the initial cycle's hot path, without a call to :meth:`copy` a record: by key
        order, the function :meth:`copy` calls for a record of that order (it returns None for a
        record it cannot build). Empty when the fast paths are off or pairs need translating;
        an order not in it goes through :meth:`copy`, which learns it."""
        return self._builds if self.fast and not self.translated else _NO_BUILDS

    def _one_by_one(self, record: Mapping[str, Any], stamp: Any) -> tuple[dict[str, Any], Agreed]:
        values = list(map(record.get, self.names))
        if "" in values:
            values = [None if value == "" else value for value in values]
        for n in self.held_back:
            values[n] = None
        properties = {outlook: value for n, outlook in self.plain if (value := values[n]) is not None}
        properties.update(self.extras)
        properties[self.stamp] = stamp
        agreed = Agreed(self.index, values)
        return self._translate(properties, agreed), agreed

    def _translate(self, properties: dict[str, Any], agreed: Agreed) -> dict[str, Any]:
        for pair in self.translated:
            value = agreed.get(pair.key)
            if value is not None:
                pair.put(schema.OUTLOOK, properties, properties, value)
        return properties

    def _learn(self, keys: tuple[str, ...]) -> _Build | None:
        """How to read records of this key order (None: read them one by one)."""
        if len(self._builds) >= SHAPES:
            return None
        held = set(keys)
        plain = [n for n, _ in self.plain if self.names[n] in held]
        taken = set(plain)
        rest = [
            n
            for n, name in enumerate(self.names)
            if name in held and n not in taken and n not in self.held_back
        ]
        order = plain + rest
        build = None
        if len(order) >= 2:  # itemgetter of one name gives the value, not a tuple
            placed = set(order)
            lacking = [n for n in range(len(self.names)) if n not in placed]
            at = {n: position for position, n in enumerate(order + lacking)}
            index = KeyIndex.of(tuple(self.index), tuple(at[n] for n in self.index.values()))
            outlook = dict(self.plain)
            take = itemgetter(*(self.names[n] for n in order))
            build = self._builder(take, [outlook[n] for n in plain], index)
        self._builds[keys] = build
        return build

    def _builder(self, take: Callable[[Any], tuple[Any, ...]], outlook: list[str], index: KeyIndex) -> _Build:
        """The function that builds a copy from a record of one key order: its values taken at
        once, kept only when none is empty (no None and no "", nor 0 or False: those go the slow
        way), the plain pairs' values first; the pairs it lacks lie past the end of the memory."""
        names = {f"_extra{n}": value for n, value in enumerate(self.extras.values())}
        entries = [f"{name!r}: got[{n}]" for n, name in enumerate(outlook)]
        entries += [f"{name!r}: {constant}" for name, constant in zip(self.extras, names, strict=True)]
        entries.append(f"{self.stamp!r}: stamp")
        source = (
            "def build(record, stamp):\n"
            "    got = take(record)\n"
            "    if not all(got):\n"
            "        return None\n"
            f"    return {{{', '.join(entries)}}}, Agreed(index, got)\n"
        )
        code = _COMPILED.get(source)
        if code is None:  # compiled once a process: every user's cycle makes its own copiers
            code = _COMPILED[source] = compile(source, f"<copy of {len(outlook)} properties>", "exec")
        namespace: dict[str, Any] = {"take": take, "Agreed": Agreed, "index": index, **names}
        exec(code, namespace)
        return namespace.pop("build")  # type: ignore[no-any-return]  # (no cycle: freed with the copier)


#: source -> its compiled code: the few key orders of a run's stores, each compiled once
_COMPILED: dict[str, CodeType] = {}


_UNSEEN: Any = object()
_NO_BUILDS: Mapping[tuple[str, ...], _Build | None] = MappingProxyType({})
