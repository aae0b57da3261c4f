"""What any sync engine offers, so another implementation can be plugged into the harness."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from harness.model import User
    from harness.report import CycleReport
    from harness.world import World


class SyncEngine(Protocol):
    """Runs one sync cycle for one user, writing both stores and recording every decision.

    An engine reads the world's stores, settings and clock, writes through the stores' public
    methods, and appends its events, losses and simulated duration to ``report``.
    """

    name: str

    def cycle(self, world: World, user: User, report: CycleReport) -> None: ...
