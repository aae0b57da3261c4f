"""A Faker-populated organization synced for several cycles: what ``syncsim simulate`` runs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import mapping
from ..report import CycleReport
from ..schema import Direction
from ..settings import setting
from ..world import World


@dataclass(frozen=True)
class SettingChange:
    """``[CYCLE:]NAME=VALUE``: set NAME to VALUE before cycle CYCLE (default 1)."""

    cycle: int
    name: str
    value: Any

    @classmethod
    def parse(cls, text: str) -> SettingChange:
        cycle, name, raw = _timed_assignment("--set", text, "[CYCLE:]NAME=VALUE")
        spec = setting(name)
        return cls(cycle, spec.name, spec.parse(raw))


def _timed_assignment(option: str, text: str, form: str) -> tuple[int, str, str]:
    """``[CYCLE:]NAME=VALUE`` as (cycle, default 1; name; value); a ValueError shows the form."""
    when, _, assignment = text.rpartition(":") if ":" in text.split("=")[0] else ("", "", text)
    name, equals, raw = assignment.partition("=")
    if not equals:
        raise ValueError(f"{option} {text!r}: expected {form}")
    if when and not (when.isdigit() and int(when) >= 1):
        raise ValueError(f"{option} {text!r}: the cycle {when!r} must be a whole number from 1")
    return int(when or 1), name.strip(), raw


@dataclass(frozen=True)
class FieldChange:
    """``[CYCLE:]ENTITY.FIELD=DIRECTION``: give a field of Microsoft's table a sync direction
    before cycle CYCLE (default 1), e.g. ``contact.jobtitle=crm-to-outlook``."""

    cycle: int
    entity: str
    field: str
    direction: Direction

    @classmethod
    def parse(cls, text: str) -> FieldChange:
        form = "[CYCLE:]ENTITY.FIELD=DIRECTION, e.g. contact.jobtitle=none"
        cycle, name, raw = _timed_assignment("--field", text, form)
        entity, dot, field_name = name.partition(".")
        if not dot:
            raise ValueError(f"--field {text!r}: expected {form}")
        row = mapping.field_row(entity, field_name)
        direction = mapping.parse_direction(raw)
        refusal = mapping.fixed_refusal(row, direction)
        if refusal:
            raise ValueError(f"--field {text!r}: {refusal}")
        return cls(cycle, entity, row.field, direction)

    def apply(self, world: World) -> None:
        world.configure_field(by=world.admin, entity=self.entity, field=self.field, direction=self.direction)


@dataclass
class Plan:
    seed: int
    users: int = 1
    contacts: int = 100
    appointments: int = 20
    tasks: int = 10
    cycles: int = 1
    channel: str = "outlook"
    bandwidth_kbps: float = 100_000
    side: str = "both"
    locale: str = "en_US"
    changes: Sequence[SettingChange] = field(default_factory=tuple)
    fields: Sequence[FieldChange] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("users", "cycles"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name} must be 1 or more, got {getattr(self, name)}")
        for name in ("contacts", "appointments", "tasks"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name} must be 0 or more, got {getattr(self, name)}")
        late = [
            c for c in [*(c.cycle for c in self.changes), *(f.cycle for f in self.fields)] if c > self.cycles
        ]
        if late:
            raise ValueError(f"a change before cycle {late[0]}, but only {self.cycles} cycles run")


def simulate(
    plan: Plan, progress: Callable[[int, int], None] | None = None
) -> tuple[World, list[CycleReport]]:
    """Build the organization, run the cycles, return the world and one report per cycle.

    ``progress(done, total)`` is called after each user's cycle.
    """
    world = World(seed=plan.seed, locale=plan.locale)
    users = [
        world.add_user(f"user{n}", channel=plan.channel, bandwidth_kbps=plan.bandwidth_kbps)
        for n in range(1, plan.users + 1)
    ]
    for user in users:
        world.populate(
            user,
            contacts=plan.contacts,
            appointments=plan.appointments,
            tasks=plan.tasks,
            side=plan.side,
        )
    total, done = plan.cycles * len(world.users), 0
    reports = []
    for cycle in range(1, plan.cycles + 1):
        changes = {c.name: c.value for c in plan.changes if c.cycle == cycle}
        if changes:
            world.configure(by=world.admin, **changes)
        for field_change in (f for f in plan.fields if f.cycle == cycle):
            field_change.apply(world)

        def step(_user: Any) -> None:
            nonlocal done
            done += 1
            if progress:
                progress(done, total)

        reports.extend(world.sync(progress=step).cycles)
    return world, reports


def summary(report: CycleReport) -> dict[str, Any]:
    """One cycle in numbers: synced, skipped by rule, conflicts, losses, warnings, duration."""
    outcomes: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for (outcome, rule), count in report.tally().items():  # the events are not made for this
        outcomes[outcome] += count
        if outcome == "skipped":
            skipped[rule or "-"] += count
    return {
        "cycle": report.number,
        "synced": outcomes["synced"],
        "skipped": dict(sorted(skipped.items())),
        "conflicts": outcomes["conflict"],
        "losses": len(report.losses),
        "warnings": outcomes["warning"],
        "writes": report.writes,
        "seconds": round(max(report.durations.values(), default=0.0), 3),
    }


#: peak memory of one record synced once, both sides and the link (bench/scale_bench.py, 1,000,000
#: contacts: 2,796 MB for one user, 2,639 MB over 1,000 users when this was set; 2,466 MB and
#: 2,396 MB since issue 18), rounded up, on the safe side; an appointment or a task costs about
#: the same
BYTES_PER_RECORD = 2_900
#: the process before any record
BASE_BYTES = 120 * 2**20


def estimated_bytes(plan: Plan) -> int:
    """What a plan's organization will take at its peak: records on each side it starts on, synced."""
    per_user = plan.contacts + plan.appointments + plan.tasks
    sides = 2 if plan.side == "both" else 1
    return BASE_BYTES + plan.users * per_user * sides * BYTES_PER_RECORD


def available_bytes() -> int | None:
    """Memory this machine can give a new process now (MemAvailable), or None where unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
