"""The world's clock: simulated time, made visible to any code through freezegun."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from typing import Any

from freezegun import freeze_time

from ..interpretations import EPOCH

#: Code that keeps the real clock while a freeze is on: hypothesis times its own work.
IGNORE = ["hypothesis"]
_held: list[Any] = []


@contextmanager
def held_freeze(start: datetime = EPOCH, *, real_time_for: tuple[str, ...] = ()) -> Iterator[None]:
    """Keep freezegun on for a whole block; each clock's freeze inside it only moves the time.

    Starting freezegun scans every loaded module (milliseconds each time); exploration runs
    thousands of cycles, so it starts once and lets each world's clock move the frozen time.
    ``real_time_for``: modules that keep the real clock (a time budget, a rate on the terminal).
    """
    with freeze_time(start, ignore=[*IGNORE, *real_time_for]) as frozen:
        _held.append(frozen)
        try:
            yield
        finally:
            _held.pop()


class Clock:
    """Simulated now. It moves only when told to: by a step, or by a sync cycle's duration.

    ``frozen()`` freezes the process's real clock (``datetime.now()``, ``time.time()``) at the
    simulated now, so code that asks the system for the time (Faker's relative dates among it)
    sees the simulated time and stays reproducible.
    """

    def __init__(self, start: datetime = EPOCH) -> None:
        if start.tzinfo is None:
            raise ValueError(f"the clock needs a timezone-aware start, got {start!r}")
        self._now = start
        self._frozen: Any = None

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"time only moves forward; got {seconds} seconds")
        self._now += timedelta(seconds=seconds)
        self._follow()

    def set(self, when: datetime) -> None:
        if when < self._now:
            raise ValueError(f"time only moves forward: {when.isoformat()} is before {self._now.isoformat()}")
        self._now = when
        self._follow()

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Freeze the process clock at the simulated now until the block ends.

        Nested blocks reuse the outer freeze (starting freezegun scans every loaded module, which
        is slow), and the frozen time follows the clock when it moves inside the block.
        """
        if self._frozen is not None:
            yield
            return
        with ExitStack() as stack:
            self._frozen = _held[-1] if _held else stack.enter_context(freeze_time(self._now, ignore=IGNORE))
            self._follow()
            try:
                yield
            finally:
                self._frozen = None

    def _follow(self) -> None:
        if self._frozen is not None:
            self._frozen.move_to(self._now)
