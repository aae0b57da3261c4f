"""The simulated network: what moving bytes costs a user's link, and faults injected into writes."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

T = TypeVar("T")

FAST_KBPS = 100_000
FAST_LATENCY_MS = 20


@dataclass(frozen=True)
class Link:
    bandwidth_kbps: float = FAST_KBPS
    latency_ms: float = FAST_LATENCY_MS

    def __post_init__(self) -> None:
        if self.bandwidth_kbps <= 0:
            raise ValueError(f"bandwidth_kbps must be positive, got {self.bandwidth_kbps}")
        if self.latency_ms < 0:
            raise ValueError(f"latency_ms must be zero or more, got {self.latency_ms}")

    def seconds(self, nbytes: int, round_trips: int = 1) -> float:
        """Time to move ``nbytes`` in ``round_trips`` requests: latency plus bytes over bandwidth."""
        return round_trips * self.latency_ms / 1000 + nbytes * 8 / (self.bandwidth_kbps * 1000)


class NetworkFault(Exception):
    """A write that failed or timed out on the simulated network; ``applied`` tells which."""

    def __init__(self, message: str, *, applied: bool = False) -> None:
        super().__init__(message)
        self.applied = applied


class RetryLater(NetworkFault):
    """A write refused for now, nothing written; the same write may be sent again once
    ``retry_after`` seconds have passed, not before."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Throttled(RetryLater):
    """429 Too Many Requests with ``Retry-After`` (Dataverse service protection, Graph throttling)."""


class ServerBusy(RetryLater):
    """503 Service Unavailable: the server is busy; try again after ``Retry-After``."""


class PreconditionFailed(NetworkFault):
    """412 Precondition Failed: the record changed since the engine read its version (an
    ``If-Match`` that no longer matches); nothing was written, the engine must read again."""


#: the kinds of fault a write can meet, as explore and the steps name them
FAULT_KINDS = ("fail", "lost-response", "throttled", "busy", "stale", "batch")


@dataclass(frozen=True)
class Faults:
    """What goes wrong on the network from now on (all off by default).

    ``fail_writes``: write numbers (counted over the world's life, from 1) that fail.
    ``lose_response``: a failing write is applied, then times out (the worst case for a sync engine:
    it cannot know whether the write happened). ``probability`` and ``seed``: each write fails with
    that probability, reproducibly. ``down``: (from, until) datetimes when every write fails.
    """

    fail_writes: frozenset[int] = frozenset()
    lose_response: bool = False
    probability: float = 0.0
    seed: int = 0
    down: tuple[datetime, datetime] | None = None
    #: write numbers refused as throttled (429) or busy (503), and the Retry-After they carry
    throttle_writes: frozenset[int] = frozenset()
    busy_writes: frozenset[int] = frozenset()
    retry_after: float = 0.0
    #: write numbers refused with 412 (a version that no longer matches)
    stale_writes: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 1:
            raise ValueError(f"probability must be between 0 and 1, got {self.probability}")


class Network:
    """Every write a sync engine makes goes through here, so faults can be injected at any write."""

    def __init__(self) -> None:
        self.writes = 0
        self.faults = Faults()
        self._random = random.Random(0)
        #: after a throttled or busy write: no write of that user goes through before this time
        #: (Dataverse's service protection limits and Graph's throttling are per user)
        self._blocked_until: dict[str, datetime] = {}
        #: writes sent before a Retry-After had passed (an engine that does not wait)
        self.early_writes = 0
        #: user -> how many of their next writes fail (whatever the other users write)
        self._failing: dict[str, int] = {}
        #: the numbered faults end with the cycle they were set for (``end_cycle``)
        self._this_cycle = False
        #: how many times each kind of fault met a write (fail, lost-response, throttled, busy,
        #: stale): what a search reached, counted where it happened
        self.met: Counter[str] = Counter()

    def inject(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(f"faults:{faults.seed}")

    def clear(self) -> None:
        """No fault from now on, and no user waiting out a Retry-After."""
        self.inject(Faults())
        self._blocked_until.clear()
        self._failing.clear()

    def fail_writes_of(self, who: str, count: int) -> None:
        """The next ``count`` writes of user ``who`` fail before anything is written (the other
        users' writes go through)."""
        if count < 1:
            raise ValueError(f"count must be 1 or more, got {count}")
        self._failing[who] = count

    def fail_in_next_cycle(self, ahead: int, last: int) -> None:
        """Writes ``ahead`` to ``last`` of the next cycle fail (a batch failing part way); what
        the cycle did not reach of them does not fail in the cycle after (:meth:`end_cycle`)."""
        if not 1 <= ahead <= last:
            raise ValueError(f"writes {ahead} to {last}: give 1 <= first <= last")
        self.fail_batch(ahead, last - ahead + 1)
        self._this_cycle = True

    def end_cycle(self) -> None:
        """A cycle ended: the faults set for it alone end too."""
        if self._this_cycle:
            self.inject(Faults())
            self._this_cycle = False

    def fail_write(self, ahead: int = 1, *, lose_response: bool = False) -> None:
        """Make the ``ahead``-th write from now fail (1: the next one)."""
        if ahead < 1:
            raise ValueError(f"ahead must be 1 or more, got {ahead}")
        self.inject(Faults(frozenset({self.writes + ahead}), lose_response=lose_response))

    def throttle_write(self, ahead: int = 1, *, retry_after: float = 30.0, busy: bool = False) -> None:
        """Refuse the ``ahead``-th write from now as throttled (429; ``busy``: 503 server busy),
        with ``Retry-After: retry_after``; until that much time has passed (by the ``now`` a write
        is sent at), every write is refused."""
        if ahead < 1:
            raise ValueError(f"ahead must be 1 or more, got {ahead}")
        if retry_after <= 0:
            raise ValueError(f"retry_after must be more than 0 seconds, got {retry_after}")
        number = frozenset({self.writes + ahead})
        if busy:
            self.inject(Faults(busy_writes=number, retry_after=retry_after))
        else:
            self.inject(Faults(throttle_writes=number, retry_after=retry_after))

    def stale_write(self, ahead: int = 1) -> None:
        """Refuse the ``ahead``-th write from now with 412 Precondition Failed."""
        if ahead < 1:
            raise ValueError(f"ahead must be 1 or more, got {ahead}")
        self.inject(Faults(stale_writes=frozenset({self.writes + ahead})))

    def fail_batch(self, ahead: int = 1, size: int = 2) -> None:
        """A batch that fails part way: writes ``ahead`` to ``ahead + size - 1`` from now fail,
        those before them went through (an engine that goes on after a failure meets them all)."""
        if ahead < 1 or size < 1:
            raise ValueError(f"ahead and size must be 1 or more, got {ahead} and {size}")
        self.inject(Faults(frozenset(range(self.writes + ahead, self.writes + ahead + size))))

    def clear_run(self, now: datetime, who: str, count: int) -> int:
        """How many of the next ``count`` writes of ``who`` at ``now`` meet no fault: a run of
        writes that :meth:`pass_run` may let through at once, as many calls of :meth:`send`
        would (a fault that draws at random gives no clear run)."""
        faults = self.faults
        if faults.probability > 0 or (faults.down and faults.down[0] <= now < faults.down[1]):
            return 0
        blocked = self._blocked_until.get(who)
        if (blocked is not None and now < blocked) or self._failing.get(who):
            return 0
        first = self.writes + 1
        numbered = (faults.fail_writes, faults.throttle_writes, faults.busy_writes, faults.stale_writes)
        ahead = [number - first for numbers in numbered for number in numbers if number >= first]
        return min(count, *ahead) if ahead else count

    def pass_run(self, count: int) -> None:
        """Let ``count`` writes through, a run :meth:`clear_run` found clear."""
        self.writes += count

    def send(self, now: datetime, apply: Callable[[], T], who: str = "") -> T:
        """One write of user ``who`` at ``now``, through whatever faults are injected."""
        self.writes += 1
        number, faults = self.writes, self.faults
        blocked = self._blocked_until.get(who)
        if blocked is not None and now < blocked:
            wait = (blocked - now).total_seconds()
            self.early_writes += 1
            raise Throttled(f"write {number}: 429 Too Many Requests, sent {wait:g} s too early", wait)
        if number in faults.throttle_writes or number in faults.busy_writes:
            self._blocked_until[who] = now + timedelta(seconds=faults.retry_after)
            busy = number in faults.busy_writes
            self.met["busy" if busy else "throttled"] += 1
            refused = ServerBusy if busy else Throttled
            status = "503 Service Unavailable" if busy else "429 Too Many Requests"
            raise refused(f"write {number}: {status}, Retry-After {faults.retry_after:g}", faults.retry_after)
        if number in faults.stale_writes:
            self.met["stale"] += 1
            raise PreconditionFailed(f"write {number}: 412 Precondition Failed; nothing was written")
        if self._failing.get(who):
            self._failing[who] -= 1
            self.met["fail"] += 1
            raise NetworkFault(f"write {number} of {who} failed; nothing was written")
        if faults.down and faults.down[0] <= now < faults.down[1]:
            self.met["fail"] += 1
            raise NetworkFault(f"write {number}: the link is down until {faults.down[1].isoformat()}")
        failing = number in faults.fail_writes or (
            faults.probability > 0 and self._random.random() < faults.probability
        )
        if failing and not faults.lose_response:
            self.met["fail"] += 1
            raise NetworkFault(f"write {number} failed; nothing was written")
        result = apply()
        if failing:
            self.met["lost-response"] += 1
            raise NetworkFault(f"write {number} timed out; it was applied but not confirmed", applied=True)
        return result
