"""What a sync cycle tells: events, losses, durations, and their JSON-lines trace."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

OUTCOMES = ("synced", "skipped", "conflict", "lost", "warning")


@dataclass(frozen=True, slots=True)
class Event:
    """One decision of the engine. ``rule`` is a catalogue ID, or None for plain sync."""

    rule: str | None
    outcome: str
    user: str
    entity: str
    crm_id: str | None = None
    entry_id: str | None = None
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.outcome} {self.rule or '-'} {self.user} {self.entity}: {self.detail}"

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome {self.outcome!r} is not one of {', '.join(OUTCOMES)}")

    @property
    def ids(self) -> tuple[str | None, str | None]:
        return (self.crm_id, self.entry_id)


@dataclass(frozen=True, slots=True)
class Loss:
    """A value that sync overwrote or blanked on a side whose user never saw it go to the other."""

    user: str
    entity: str
    ids: tuple[str | None, str | None]
    field: str
    old: Any
    new: Any
    rule: str | None
    side: str = "outlook"


@dataclass
class CycleReport:
    """One cycle for every user of the world."""

    number: int
    started: datetime
    losses: list[Loss] = field(default_factory=list)
    durations: dict[str, float] = field(default_factory=dict)
    writes: int = 0
    #: users whose cycle a fault ended early (an engine says so; the scheduler retries them)
    failed: set[str] = field(default_factory=set)

    _events: list[Event] = field(default_factory=list, init=False, repr=False)
    #: events noted, made when read (an initial cycle notes a hundred thousand, a what-if of a
    #: big export half a million losses): (the arguments all share, CRM ids, EntryIDs), one
    #: event or a run of them; or a loss, whose "lost" event it is
    _noted: list[tuple[tuple[Any, ...], Sequence[str | None], Sequence[str | None]] | Loss] = field(
        default_factory=list, init=False, repr=False
    )

    @property
    def events(self) -> list[Event]:
        """The cycle's events in order (appending to this list adds one after those noted)."""
        if self._noted:
            for noted in self._noted:
                if isinstance(noted, Loss):
                    self._events.append(lost_event(noted))
                    continue
                (rule, outcome, user, entity, detail), crm_ids, entry_ids = noted
                self._events.extend(
                    Event(rule, outcome, user, entity, crm_id, entry_id, detail)
                    for crm_id, entry_id in zip(crm_ids, entry_ids, strict=True)
                )
            self._noted.clear()
        return self._events

    def note(
        self,
        rule: str | None,
        outcome: str,
        user: str,
        entity: str,
        crm_id: str | None = None,
        entry_id: str | None = None,
        detail: str = "",
    ) -> None:
        """One event, made once read (as :meth:`note_run`)."""
        self.note_run(rule, outcome, user, entity, ((crm_id,), (entry_id,)), detail)

    def lose(self, loss: Loss) -> None:
        """Report a loss, and its "lost" event (made, with its detail, once read)."""
        self.losses.append(loss)
        self._noted.append(loss)

    def note_run(
        self,
        rule: str | None,
        outcome: str,
        user: str,
        entity: str,
        ids: tuple[Sequence[str | None], Sequence[str | None]],
        detail: str,
    ) -> None:
        """One event per pair of ``ids`` (CRM ids, EntryIDs), alike but for them, made once read
        (a million events of an initial cycle cost two lists until someone reads them)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        self._noted.append(((rule, outcome, user, entity, detail), *ids))

    def duration(self, user: Any) -> float:
        return self.durations.get(getattr(user, "name", user), 0.0)

    def counts(self) -> Counter[str]:
        """How many events of each outcome."""
        outcomes: Counter[str] = Counter()
        for (outcome, _), count in self.tally().items():
            outcomes[outcome] += count
        return outcomes

    def tally(self) -> Counter[tuple[str, str | None]]:
        """How many events of each (outcome, rule), counted without making the events noted
        in runs (a summary of an initial cycle need not build a hundred thousand of them)."""
        tally = Counter((event.outcome, event.rule) for event in self._events)
        for noted in self._noted:
            if isinstance(noted, Loss):
                tally["lost", noted.rule] += 1
            else:
                (rule, outcome, *_), crm_ids, _ = noted
                tally[outcome, rule] += len(crm_ids)
        return tally


def lost_event(loss: Loss) -> Event:
    """The "lost" event that tells a loss."""
    detail = f"{loss.side} {loss.field}: {loss.old!r} -> {loss.new!r}"
    return Event(loss.rule, "lost", loss.user, loss.entity, *loss.ids, detail)


class Report:
    """Several cycles; events, losses and durations add up over them."""

    def __init__(self, cycles: list[CycleReport]) -> None:
        self.cycles = cycles

    @property
    def events(self) -> list[Event]:
        return [event for cycle in self.cycles for event in cycle.events]

    @property
    def losses(self) -> list[Loss]:
        return [loss for cycle in self.cycles for loss in cycle.losses]

    @property
    def writes(self) -> int:
        return sum(cycle.writes for cycle in self.cycles)

    def duration(self, user: Any) -> float:
        return sum(cycle.duration(user) for cycle in self.cycles)

    def with_rule(self, rule_id: str, outcome: str | None = None) -> list[Event]:
        return [e for e in self.events if e.rule == rule_id and (outcome is None or e.outcome == outcome)]

    def describe(self) -> str:
        """The events, one per line (each loss is a "lost" event too): what a failing Then prints."""
        lines = [f"cycle {c.number} at {c.started.isoformat()}" for c in self.cycles[:1]]
        lines += [
            f"  {e.outcome:<8} {e.rule or '-':<30} {e.user:<8} {e.entity:<26} {e.detail}" for e in self.events
        ]
        return "\n".join(lines) if self.events else "  (the cycle recorded nothing)"

    def trace_lines(self) -> list[str]:
        """Every event and loss as a JSON line, in order: the same seed gives the same lines."""
        lines = []
        for cycle in self.cycles:
            for event in cycle.events:
                lines.append(_json({"cycle": cycle.number, "kind": "event", **asdict(event)}))
            for loss in cycle.losses:
                lines.append(_json({"cycle": cycle.number, "kind": "loss", **asdict(loss)}))
        return lines


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, default=_plain, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)
