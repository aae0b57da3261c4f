"""The world's clock: simulated time, made visible to any code through freezegun."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from freezegun import freeze_time

from harness.interpretations import EPOCH


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
        with freeze_time(self._now) as frozen:
            self._frozen = frozen
            try:
                yield
            finally:
                self._frozen = None

    def _follow(self) -> None:
        if self._frozen is not None:
            self._frozen.move_to(self._now)
