"""A change log: which keys changed after a watermark, at a cost that grows with the changes only.

Both stores append one entry per write. A reader keeps the sequence number it has read up to
(its watermark) and asks for what changed since; the answer is found by bisection, so reading
100 changes costs the same on a store of a thousand items and on one of a million.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterator, Sequence


class ChangeLog:
    def __init__(self) -> None:
        self._seqs: list[int] = []
        self._keys: list[Hashable] = []
        self.seq = 0

    def record(self, key: Hashable) -> int:
        """Note that ``key`` changed; returns the new sequence number (the item's version)."""
        self.seq += 1
        self._seqs.append(self.seq)
        self._keys.append(key)
        return self.seq

    def record_run(self, keys: Sequence[Hashable]) -> list[int]:
        """Note that each of ``keys`` changed, in order; returns their new sequence numbers (the
        same int objects the log holds: a caller keeping them keeps no second copy)."""
        numbers = list(range(self.seq + 1, self.seq + 1 + len(keys)))
        self._seqs.extend(numbers)
        self._keys.extend(keys)
        self.seq += len(keys)
        return numbers

    def note(self, seq: int, key: Hashable) -> None:
        """Note a change numbered by another log (an index of it: the changes of one owner)."""
        self._seqs.append(seq)
        self._keys.append(key)

    def note_run(self, seqs: Sequence[int], keys: Sequence[Hashable]) -> None:
        """:meth:`note` for a run of changes numbered in order."""
        self._seqs.extend(seqs)
        self._keys.extend(keys)

    def since(self, watermark: int) -> Iterator[Hashable]:
        """Each key changed after ``watermark``, once, in the order of its first change."""
        return iter(dict.fromkeys(self._keys[bisect_right(self._seqs, watermark) :]))  # first change's order
