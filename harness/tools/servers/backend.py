"""What the HTTP faces stand on: one World, who is asking (bearer tokens), and every write sent
through the world's network, so the faults a scenario or the control API injects reach HTTP
clients as Dataverse and Graph answer them.

As moto's backends, this module knows nothing of HTTP; the faces (dataverse.py, graph.py,
control.py) translate requests into calls here and :class:`~.errors.ApiError` into responses.
"""

from __future__ import annotations

import copy
import copyreg
import hmac
import json
import math
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, TypeVar

from ...model import User
from ...report import CycleReport, Report
from ...sim.network import NetworkFault, PreconditionFailed, RetryLater, ServerBusy
from ...world import World
from .errors import ApiError

T = TypeVar("T")

# a snapshot deep-copies the world; read-only mappings (the schema's, the settings') copy as such
copyreg.pickle(MappingProxyType, lambda proxy: (MappingProxyType, (dict(proxy),)))


class Dropped(Exception):
    """The write was applied, and its response is lost on the way: the client sees the
    connection close with no answer (a timeout, to a sync program)."""


#: the header the control API's secret travels in, the variable ``syncsim serve`` reads it from,
#: and the shortest secret it takes
SECRET_HEADER = "X-Syncsim-Secret"
CONTROL_SECRET_VARIABLE = "SYNCSIM_CONTROL_SECRET"
MIN_SECRET = 16
#: the largest request body taken by default: the largest attachment the organization settings
#: allow (32,768 KB, ``maxuploadfilesize``), in base64, and a megabyte for the rest of the body
MAX_BODY = math.ceil(32_768 * 1024 * 4 / 3) + 2**20


class Backend:
    """The world behind the faces, shared by every request (one lock; requests are short).

    ``live_clock``: the simulated clock follows real time (``syncsim serve``); otherwise it is the
    scenario's and moves only when the scenario moves it. Either way a Retry-After is measured in
    real seconds from when it was given: a client that waits is let through, one that does not is
    refused again and counted as early (the ``retry-after`` invariant).

    Who may do what, as a local test double still must: the control API (``/_syncsim/``) wants
    the server's control secret (``secret``: random for each start unless given); a user's bearer
    token is random, given by this server (``POST /_syncsim/tokens``), and void after a reset or a
    restart; the faces take no other token.
    """

    def __init__(
        self,
        world: World,
        *,
        live_clock: bool = False,
        secret: str | None = None,
        max_body: int = MAX_BODY,
    ) -> None:
        self.lock = threading.RLock()
        self.live_clock = live_clock
        self.secret = secret or secrets.token_urlsafe(24)
        self.max_body = max_body
        #: token -> the user's name, for the tokens this server gave since the world was set
        self._tokens: dict[str, str] = {}
        self.snapshots: dict[str, World] = {}
        self.reports: list[CycleReport] = []
        self.requests: Counter[int] = Counter()
        self.slow_seconds = 0.0
        self.slow_requests = 0
        #: the lost responses of the writes of one answer (:meth:`one_answer`), while one is given
        self._lost: list[str] | None = None
        #: the largest page any collection serves, below the services' own (None: theirs)
        self.page_limit: int | None = None
        self.use(world)

    def use(self, world: World, *, keep_tokens: bool = False) -> None:
        """Serve another world (a scenario's, or after a reset): every token given so far is void,
        unless ``keep_tokens`` (a snapshot of the same world restored)."""
        with self.lock:
            self.world = world
            self._started = time.monotonic()
            self._sim_start = world.clock.now()
            self.writes: Counter[str] = Counter()
            if not keep_tokens:
                self._tokens.clear()

    # -- who is asking -------------------------------------------------------------------------

    def token_for(self, name: str) -> str:
        """A user's bearer token: random, the same one until the world is reset."""
        self.world.user(name)  # NotFound names the users
        with self.lock:
            for token, holder in self._tokens.items():
                if holder == name:
                    return token
            token = secrets.token_hex(20)
            self._tokens[token] = name
            return token

    def user_of(self, authorization: str | None) -> User:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise ApiError("unauthorized", "a bearer token is required (POST /_syncsim/tokens gives one)")
        name = self._tokens.get(token.strip())
        if name is None:
            raise ApiError("unauthorized", "the bearer token is not one this server gave (or it was reset)")
        return self.world.user(name)

    def controls(self, given: str | None) -> None:
        """The control API's guard: the request must carry this server's control secret."""
        if given is None or not hmac.compare_digest(given.encode(), self.secret.encode()):
            raise ApiError(
                "unauthorized",
                f"the control API wants the server's control secret in the {SECRET_HEADER} header "
                "(syncsim serve prints it, or takes it with --control-secret)",
            )

    @staticmethod
    def admin_only(user: User) -> None:
        if not user.is_admin:
            raise ApiError(
                "privilege",
                f"{user.name} lacks the System Administrator role: only an administrator may change "
                "the organization's settings",
            )

    # -- time and writes -----------------------------------------------------------------------

    def now(self) -> datetime:
        """The simulated now the network judges Retry-After by: the clock, plus the real time
        spent since the clock last stood still."""
        real = timedelta(seconds=time.monotonic() - self._started)
        if self.live_clock:
            target = self._sim_start + real
            if target > self.world.clock.now():
                self.world.clock.set(target)
            return self.world.clock.now()
        return self.world.clock.now() + real

    def restart_clock(self) -> None:
        """A new cycle: real time counts from here (the scenario's clock has moved on)."""
        self._started = time.monotonic()
        self._sim_start = self.world.clock.now()

    @contextmanager
    def one_answer(self) -> Iterator[None]:
        """Several writes one response answers (a bulk action, a ``$batch``): a write whose response
        is lost on the network was applied, so the rest go on, and the one response is lost once
        all are done."""
        outer = self._lost is None
        if outer:
            self._lost = []
        try:
            yield
        finally:
            lost, self._lost = (self._lost, None) if outer else (None, self._lost)
        if lost:
            raise Dropped(lost[0])

    def write(self, user: User, apply: Callable[[], T]) -> T:
        """One write of ``user`` through the world's network and its faults, as HTTP sees them."""
        self.writes[user.name] += 1
        done: list[T] = []
        try:
            return self.world.network.send(self.now(), lambda: _kept(done, apply()), user.name)
        except ServerBusy as busy:
            raise ApiError("busy", f"The service is busy: {busy}", _retry(busy)) from None
        except RetryLater as throttled:
            raise ApiError(
                "throttled",
                "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
                _retry(throttled),
            ) from None
        except PreconditionFailed:
            raise ApiError(
                "stale", "The version of the existing record doesn't match the RowVersion property provided."
            ) from None
        except NetworkFault as fault:
            if fault.applied and self._lost is not None:  # (one of several writes one response answers)
                self._lost.append(str(fault))
                return done[0]
            if fault.applied:
                raise Dropped(str(fault)) from None
            raise ApiError("failed", f"An unexpected error occurred: {fault}") from None

    # -- control -------------------------------------------------------------------------------

    def snapshot(self) -> str:
        with self.lock:
            key = f"s{len(self.snapshots) + 1}"
            self.snapshots[key] = copy.deepcopy(self.world)
            return key

    def restore(self, key: str) -> None:
        with self.lock:
            if key not in self.snapshots:
                raise ApiError("not-found", f"no snapshot {key!r}; snapshots: {', '.join(self.snapshots)}")
            self.use(copy.deepcopy(self.snapshots[key]), keep_tokens=True)

    def slow_down(self, seconds: float, requests: int) -> None:
        self.slow_seconds, self.slow_requests = seconds, requests

    def delay(self) -> float:
        """The delay the next request gets (slow-response faults), counted down."""
        if self.slow_requests <= 0:
            return 0.0
        self.slow_requests -= 1
        return self.slow_seconds

    def describe(self) -> dict[str, Any]:
        """What the control API reports: the cycles run here, writes and answers so far."""
        return {
            "seed": self.world.seed,  # (the data's seed: tokens are random, not derived from it)
            "now": self.world.clock.now().isoformat(),
            "users": [u.name for u in self.world.users],
            "writes": dict(self.writes),
            "responses": {str(k): v for k, v in sorted(self.requests.items())},
            "early_writes": self.world.network.early_writes,
            "trace": [json.loads(line) for line in Report(self.reports).trace_lines()],
        }


def _kept(done: list[T], result: T) -> T:
    done.append(result)
    return result


def _retry(refused: RetryLater) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(refused.retry_after)))}
