"""A run of writes: many records or items of one kind handed to a store at once.

A store checks a run before it keeps any of it (:func:`plainly_typed`); the engine's network
counts the bytes the run carries (``engine.execute.json_size_run``). Both read the same facts of
every dict (its key order, its values, their text joined), so a :class:`Run` works each out once,
by a C pass over the whole run, and keeps it. Runs are a fast path (speed.py): with the switch
off, the stores check each dict by itself and the engine sends no run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain, compress
from types import NoneType
from typing import Any, Literal

from .. import schema


class Run(Sequence[dict[str, Any]]):
    """A run of writes (dicts of names to values) with what its readers ask of all of them
    worked out once and kept. The dicts must not change while it is read (a store keeps them only
    after its check)."""

    __slots__ = ("dicts", "_orders", "_values", "_text")

    def __init__(self, dicts: Sequence[dict[str, Any]]) -> None:
        self.dicts = dicts
        self._orders: Mapping[tuple[str, ...], int] | None = None
        self._values: list[Any] | None = None
        self._text: str | None | Literal[False] = False  # False: not joined yet

    @classmethod
    def of(cls, dicts: Sequence[dict[str, Any]]) -> Run:
        return dicts if isinstance(dicts, Run) else cls(dicts)

    def __len__(self) -> int:
        return len(self.dicts)

    def __getitem__(self, index: Any) -> Any:
        return self.dicts[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.dicts)

    @property
    def orders(self) -> Mapping[tuple[str, ...], int]:
        """Each key order of the dicts, and how many dicts have it (a run has a few)."""
        if self._orders is None:
            orders: Mapping[tuple[str, ...], int] = dict.fromkeys(set(map(tuple, self.dicts)), len(self))
            if len(orders) > 1:  # (one, the common case: a run's copies of one key order)
                orders = Counter(map(tuple, self.dicts))
            self._orders = orders
        return self._orders

    @property
    def names(self) -> set[str]:
        """Every key of every dict (from the key orders when they are known already)."""
        if self._orders is None:
            return set(chain.from_iterable(self.dicts))
        return set().union(*self._orders)

    @property
    def values(self) -> list[Any]:
        """Every value of every dict, in order."""
        if self._values is None:
            self._values = list(chain.from_iterable(map(dict.values, self.dicts)))
        return self._values

    @property
    def text(self) -> str | None:
        """Every value joined, when every one is text (a str, or a subclass); else None."""
        if self._text is False:
            try:
                self._text = "".join(self.values)  # one C pass, no type asked one by one
            except TypeError:
                self._text = None
        return self._text


def plainly_typed(declared: Mapping[str, type], dicts: Sequence[dict[str, Any]]) -> bool:
    """Whether every value of every dict is None or exactly of its name's declared type (no
    unknown name): many writes checked at once, each distinct (name, value type) once. False
    does not mean wrong (a subclass may fit): check those one by one, which names the bad one."""
    run = Run.of(dicts)
    names = run.names
    if not names <= declared.keys():
        return False
    if run.text is not None:
        types: set[type] = {str}  # (a subclass of str joins too: it fits, as check_value would find)
    else:
        types = set(map(type, run.values))
        types.discard(NoneType)
    if len(types) == 1:
        only = types.pop()
        if all(declared[name] is only for name in names) and not names & schema.MOMENT_NAMES:
            return True  # the common case (every value text, say): no (name, type) pair made
    pairs = zip(chain.from_iterable(run), map(type, run.values), strict=True)
    if not all(value_type is NoneType or value_type is declared[name] for name, value_type in set(pairs)):
        return False
    return not _any_naive(run)


def _any_naive(run: Run) -> bool:
    """Whether a moment of the run has no time zone (``schema.check_value`` says which), asked
    by C loops: the values under moment names picked out by ``compress``, None left out."""
    names = chain.from_iterable(run)  # (every key, in the order of run.values)
    moments = filter(None, compress(run.values, map(schema.MOMENT_NAMES.__contains__, names)))
    return None in map(_utcoffset, moments)


_utcoffset = datetime.utcoffset  # (taken before any clock is frozen)
