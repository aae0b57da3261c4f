"""Where planned actions meet the network: every write, event, loss and simulated second.

Every write goes through :meth:`Executor.send`, over the simulated network where a fault may be
injected. The losses a write causes travel with it and are reported as soon as the write is
applied, even when its confirmation is lost: the value is gone either way. A fault propagates
out of the action; the engine stops the cycle at that one boundary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import Any, ClassVar, NamedTuple, TypeVar

from .. import interpretations, speed
from .. import rules as R
from ..report import CycleReport, Loss
from ..schema import Side
from ..sim.network import NetworkFault, RetryLater
from ..stores.runs import Run
from .guards import Guards
from .protocol import SyncContext

T = TypeVar("T")


class LossSpec(NamedTuple):
    """A value a write will overwrite or blank on ``side``; ``conflict`` is the conflict's detail.
    (A tuple: a what-if of a big export plans half a million, at a third of a frozen dataclass's cost.)"""

    side: Side
    field: str
    old: Any
    new: Any
    rule: str | None = None
    conflict: str | None = None


#: the ASCII characters json.dumps escapes: controls, DEL, the quote and the backslash (all but
#: the printable ones, space to tilde)
_ESCAPED = bytes([*range(0x20), 0x7F]) + b'"\\'
#: a translation that changes exactly those characters (each to another byte)
_MARKED = bytes((byte + 1) % 0x100 if byte in _ESCAPED else byte for byte in range(0x100))


def _scalar_size(value: Any) -> int | None:
    """The JSON bytes of a value a write carries that is not text (None: json must measure it).
    A time is written as its ``str``, which never holds a character JSON escapes."""
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    kind = type(value)
    if kind is int:
        return len(str(value))
    if kind is datetime:
        return len(str(value)) + 2
    return None


def json_size(fields: dict[str, Any]) -> int:
    """``len(json.dumps(fields, default=str))``: the bytes a write carries."""
    if speed.on():
        return json_size_counted(fields)
    return len(json.dumps(fields, default=str))


def json_size_counted(fields: dict[str, Any]) -> int:
    """:func:`json_size` counted without building the string for the values a write carries
    (text, numbers, flags, times); anything else is measured by json. One write's fields, a few,
    are read one by one (the C passes of :func:`json_size_run` pay for themselves over a run; for
    one write they cost more than json itself). A fast path (speed.py)."""
    size, texts = 2 + 4 * len(fields) - (2 if fields else 0), []  # braces, ", " and ": "
    for key, value in fields.items():
        if key.__class__ is not str:
            return len(json.dumps(fields, default=str))
        texts.append(key)
        if value.__class__ is str:
            texts.append(value)
        else:
            scalar = _scalar_size(value)
            if scalar is None:
                return len(json.dumps(fields, default=str))
            size += scalar
    text = "".join(texts)
    if not _unescaped(text):
        return len(json.dumps(fields, default=str))
    return size + len(text) + 2 * len(texts)  # each text between its quotes


def json_size_run(writes: Sequence[dict[str, Any]]) -> int:
    """``sum(json_size(fields) for fields in writes)``: the text values of every write are
    chained by C loops and checked for characters JSON escapes in one pass; the keys once for
    each key order (a run's writes share a few), counted by how many writes have it. A fast path
    (speed.py): only a run (``stores.runs.Run``, whose facts the store's check reads too) sends
    writes at once."""
    run = Run.of(writes)
    orders = run.orders
    fields = sum(len(order) * count for order, count in orders.items())
    # braces, ", " between items and ": " in each: 4 a field, 2 for an empty write
    size = 4 * fields + 2 * orders.get((), 0)
    values, text = run.values, run.text
    texts = values  # every value text, the common case
    if text is None:
        texts = [value for value in values if value.__class__ is str]
        text = "".join(texts)
        for value in values:
            if value.__class__ is not str:
                scalar = 4 if value is None else _scalar_size(value)  # None: a field cleared, often
                if scalar is None:
                    return sum(len(json.dumps(fields, default=str)) for fields in run)
                size += scalar
    plain = _unescaped(text) and all(_unescaped("".join(order)) for order in orders)
    if not plain:
        return size + sum(len(json.dumps(text)) for text in chain(chain.from_iterable(run), texts))
    keys = sum(count * sum(map(len, order)) for order, count in orders.items())
    return size + keys + len(text) + 2 * (fields + len(texts))


def _unescaped(text: str) -> bool:
    """Whether JSON writes ``text`` as it is between its quotes (ASCII, no control character,
    quote or backslash). Translated, plain text is left as it is: equal, at the cost of a compare."""
    if not text.isascii():
        return False
    plain = text.encode("ascii")
    return plain.translate(_MARKED) == plain


class Executor:
    """Runs one cycle's writes for one user and records what they did.

    A subclass that changes how a write, an event or a loss goes (the naive engine, the zoo's
    broken engines) sends every write of a run through :meth:`send` and says every event through
    :meth:`event`, unless its own body sets :attr:`takes_runs` (a run at once passes both by)."""

    #: whether a run of writes no fault meets may go at once (:meth:`sent_run`, :meth:`synced_run`)
    takes_runs: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "takes_runs" not in cls.__dict__:
            cls.takes_runs = False

    def __init__(self, context: SyncContext, report: CycleReport, guards: Guards) -> None:
        self.context = context
        self.report = report
        self.guards = guards
        self.user = context.user.name
        self.writes = 0
        self.bytes = 0
        self.attachment_bytes = 0
        #: seconds spent waiting out Retry-After in this cycle
        self.waited = 0.0

    def send(
        self,
        write: Callable[[], T],
        fields: dict[str, Any] | None = None,
        *,
        ids: tuple[str | None, str | None] = (None, None),
        entity: str = "-",
        losses: Iterable[LossSpec] = (),
    ) -> T:
        """One write over the network; its losses are reported once it is applied. A throttled or
        busy write is sent again once its Retry-After has passed (the wait counts in the cycle's time)."""
        self.writes += 1
        self.bytes += json_size(fields) if fields else 0
        try:
            result = self._send_waiting(write)
        except NetworkFault as fault:
            if fault.applied:
                self.lost(entity, ids, losses)
            raise
        self.lost(entity, ids, losses)
        return result

    def clear_run(self, count: int) -> int:
        """How many of the next ``count`` writes may be sent as one run: writes no fault meets,
        so that sending them one by one would do the same. None when this executor does not take
        runs (:attr:`takes_runs`) or the fast paths are off."""
        if not self.takes_runs or not speed.on():
            return 0
        return self.context.network.clear_run(self._sent_at(), self.user, count)

    def sent_run(self, writes: Sequence[dict[str, Any]]) -> None:
        """Account a run of writes :meth:`clear_run` found clear, as they go (before the store
        keeps them: as :meth:`send`, which counts a write's bytes before it is made)."""
        self.writes += len(writes)
        self.bytes += json_size_run(writes)
        self.context.network.pass_run(len(writes))

    def _sent_at(self) -> datetime:
        """When the next write goes: now, after the Retry-After waits of this cycle."""
        return self.context.now() + timedelta(seconds=self.waited)

    def _send_waiting(self, write: Callable[[], T]) -> T:
        network = self.context.network
        for _ in range(interpretations.THROTTLED_RETRIES):
            try:
                return network.send(self._sent_at(), write, self.user)
            except RetryLater as refused:  # 429 or 503: wait as told, then send it again
                self.waited += refused.retry_after
                self.writes += 1
        return network.send(self._sent_at(), write, self.user)

    def event(
        self,
        rule: str | None,
        outcome: str,
        entity: str,
        crm_id: str | None = None,
        entry_id: str | None = None,
        detail: str = "",
    ) -> None:
        self.report.note(rule, outcome, self.user, entity, crm_id, entry_id, detail)

    def synced_run(self, entity: str, ids: tuple[Sequence[str], Sequence[str]], detail: str) -> None:
        """A "synced" event for each pair of a run (CRM ids, EntryIDs), made when the report is read."""
        self.report.note_run(None, "synced", self.user, entity, ids, detail)

    def lost(self, entity: str, ids: tuple[str | None, str | None], losses: Iterable[LossSpec]) -> None:
        for spec in losses:
            if spec.conflict:
                self.event(None, "conflict", entity, *ids, spec.conflict)
            self.loss(Loss(self.user, entity, ids, spec.field, spec.old, spec.new, spec.rule, spec.side))

    def loss(self, loss: Loss) -> None:
        """Report one loss (and its "lost" event). The naive engine's executor drops them."""
        self.report.lose(loss)

    def account_time(self) -> None:
        """The cycle's simulated duration on the user's link (APPT-ATTACH-SLOW-LINK for attachments)."""
        link = self.context.user.link
        seconds = link.seconds(self.bytes, interpretations.READ_ROUND_TRIPS + self.writes) + self.waited
        if self.attachment_bytes and self.guards.on(R.APPT_ATTACH_SLOW_LINK):
            attachment_seconds = link.seconds(self.attachment_bytes, round_trips=0)
            seconds += attachment_seconds
            if attachment_seconds > interpretations.SLOW_LINK_WARNING_SECONDS:
                self.event(
                    R.APPT_ATTACH_SLOW_LINK,
                    "warning",
                    "appointment",
                    detail=f"{self.attachment_bytes} attachment bytes took "
                    f"{attachment_seconds:.1f} s on a {link.bandwidth_kbps:g} kbps link",
                )
        self.report.durations[self.user] = seconds
        self.report.writes += self.writes


class SilentExecutor(Executor):
    """Reports no loss at all: what the naive engine does."""

    def loss(self, loss: Loss) -> None:
        return None
