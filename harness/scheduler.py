"""When each mailbox syncs, as time passes: the two channels' own rhythms, and failing mailboxes.

``World.sync()`` runs one cycle for every user at once (a scenario's "When the sync runs");
:class:`Scheduler` is the clock-driven alternative, ``World.run(minutes)``: each mailbox syncs when
it is due, in time order.

* CRM for Outlook: every 15 minutes, or the user's longer interval (TIMING-OUTLOOK-INTERVAL; PO).
* Server-side sync: 5 to 12 minutes after the mailbox's last cycle, a seeded draw per cycle
  (TIMING-SERVER-SIDE; SSS), counted from its start, or under d365 from its end
  (TIMING-SSS-AFTER-CYCLE; SSS); tracking an item makes the mailbox due at once (TIMING-TRACK-NOW; FAQ).
* A server-side mailbox whose cycle fails is retried 5 minutes later, up to 10 times; then it is
  disabled, with a warning, until an administrator enables it again (SSS-RETRY-DISABLE; SSST).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from . import interpretations
from . import rules as R
from .model import User
from .report import CycleReport, Event


class Scheduler:
    """Per user: when the next cycle is due, how many in a row failed, whether the mailbox is disabled."""

    def __init__(self, seed: int, disabled_rules: Iterable[str]) -> None:
        self.seed = seed
        self.disabled = frozenset(disabled_rules)
        self.due: dict[str, datetime] = {}
        self.failures: dict[str, int] = {}
        self.off: set[str] = set()
        self._random: dict[str, random.Random] = {}

    def on(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def interval(self, user: User, minutes: int) -> float:
        """Seconds from one cycle of ``user`` to the next (``minutes``: the user's own CfO interval)."""
        if user.channel == R.SERVER_SIDE and self.on(R.TIMING_SERVER_SIDE):
            low, high = interpretations.SERVER_SIDE_DELAY_MINUTES
            draw = self._random.setdefault(user.name, random.Random(f"server-side:{self.seed}:{user.name}"))
            return draw.randint(low, high) * 60.0
        if user.channel == R.SERVER_SIDE:
            return interpretations.SYNC_INTERVAL_SECONDS
        return max(minutes, 1) * 60.0

    def tracked(self, user: User, now: datetime) -> None:
        """An item was tracked in ``user``'s mailbox: under server-side sync that syncs at once."""
        if user.channel == R.SERVER_SIDE and self.on(R.TIMING_TRACK_NOW):
            self.due[user.name] = min(self.due.get(user.name, now), now)

    def enable(self, user: User) -> None:
        """A disabled mailbox syncs again (an administrator's Test & Enable Mailbox: World checks who)."""
        self.off.discard(user.name)
        self.failures.pop(user.name, None)

    def run(
        self,
        users: list[User],
        now: Callable[[], datetime],
        until: datetime,
        cycle: Callable[[User, datetime], CycleReport],
        minutes: Callable[[User], int],
        profile: Callable[[User], str] = lambda user: R.CRM2015,
    ) -> list[CycleReport]:
        """Run every due cycle up to ``until``, in time order; ``cycle(user, when)`` runs one at
        ``when``; ``minutes(user)`` is the user's own interval, ``profile(user)`` the profile
        their organization follows."""
        reports: list[CycleReport] = []
        while True:
            due = [
                (self.due.setdefault(u.name, now()), n, u)
                for n, u in enumerate(users)
                if u.name not in self.off
            ]
            due = [entry for entry in due if entry[0] <= until]
            if not due:
                return reports
            when, _, user = min(due, key=lambda entry: (entry[0], entry[1]))
            started = max(when, now())
            report = cycle(user, started)
            reports.append(report)
            self._next(user, report, self._counted_from(user, report, started, profile(user)), minutes(user))

    def _counted_from(self, user: User, report: CycleReport, started: datetime, profile: str) -> datetime:
        """Where the next cycle's interval starts: the cycle's start, or under d365 for a
        server-side mailbox its end (TIMING-SSS-AFTER-CYCLE)."""
        if user.channel == R.SERVER_SIDE and profile == R.D365 and self.on(R.TIMING_SSS_AFTER_CYCLE):
            return started + timedelta(seconds=report.duration(user))
        return started

    def _next(self, user: User, report: CycleReport, counted_from: datetime, minutes: int) -> None:
        failed = user.name in report.failed
        retrying = failed and user.channel == R.SERVER_SIDE and self.on(R.SSS_RETRY_DISABLE)
        if not retrying:
            self.failures.pop(user.name, None)
            self.due[user.name] = counted_from + timedelta(seconds=self.interval(user, minutes))
            return
        count = self.failures[user.name] = self.failures.get(user.name, 0) + 1
        if count > interpretations.SERVER_SIDE_RETRIES:
            self.off.add(user.name)
            detail = f"mailbox disabled after {interpretations.SERVER_SIDE_RETRIES} failed retries"
            report.events.append(Event(R.SSS_RETRY_DISABLE, "warning", user.name, "-", detail=detail))
            return
        retry = timedelta(minutes=interpretations.SERVER_SIDE_RETRY_MINUTES)
        self.due[user.name] = counted_from + retry
