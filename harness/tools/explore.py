"""Exploration: random operation sequences on both sides, checked against the invariants.

A hypothesis ``RuleBasedStateMachine`` creates, edits, deletes, tracks and untracks items on both
sides, attaches files, assigns tasks, makes them recurring, changes settings (as the administrator
and as someone who may not), moves the clock, injects network faults and runs sync cycles. After
every cycle it checks :mod:`syncsim.harness.invariants`. Every operation is also written down as a line of
Gherkin in our own steps, so when an invariant breaks, the shrunk sequence becomes a ``.feature``
file that reproduces it under ``pytest`` and ``syncsim run``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test, precondition, rule

from syncsim.harness.invariants import Violation
from syncsim.harness.settings import SETTINGS, TAB
from syncsim.harness.sim.clock import held_freeze
from syncsim.harness.tools.scenario import EMPTY, Item, Scenario, cell
from syncsim.harness.world import World

USERS = ("alice", "bob")
KINDS = ("contact", "appointment", "recurring appointment", "task")
SIDES = ("CRM", "Outlook")
WORDS = ("Oslo", "Bergen", "Pilot", "Room 4", "")
#: The field an edit changes, by kind and side (CRM logical names, Outlook property names).
EDITABLE = {
    ("contact", "CRM"): ("jobtitle", "address1_city", "address2_city"),
    ("contact", "Outlook"): ("JobTitle", "BusinessAddressCity", "HomeAddressCity"),
    ("appointment", "CRM"): ("location", "subject"),
    ("appointment", "Outlook"): ("Location", "Subject"),
    ("recurring appointment", "CRM"): ("location",),
    ("recurring appointment", "Outlook"): ("Location",),
    ("task", "CRM"): ("subject", "description"),
    ("task", "Outlook"): ("Subject", "Body"),
}


class InvariantBroken(AssertionError):
    def __init__(self, invariant: str, details: list[str]) -> None:
        super().__init__("; ".join(details))
        self.invariant = invariant


class SyncMachine(RuleBasedStateMachine):
    """Operations on a small organization; subclassed per engine and seed by :func:`machine`."""

    engine = "reference"
    seed = 0
    #: the Gherkin of the most recent run: after a failure, the shrunk one
    last_lines: list[str] = []
    #: sequences started so far (shrinking included), and who to tell
    started = 0
    progress: Callable[[int], None] | None = None

    def __init__(self) -> None:
        super().__init__()
        cls = type(self)
        cls.started += 1
        if cls.progress is not None:  # read from the class: a plain function, not a bound method
            cls.progress(cls.started)
        self.sim = Scenario(World(seed=self.seed, engine=self.engine))
        self.lines = [f"Given a new organization with seed {self.seed}"]
        type(self).last_lines = self.lines
        for name, channel in (("alice", "outlook"), ("bob", "server-side")):
            self.sim.world.add_user(name, channel=channel)
            self.lines.append(f'And a user "{name}" syncing through {channel}')
        self.sim.world.add_user("eve", organization="Fabrikam")
        self.lines.append('And a user "eve" syncing through outlook in the organization "Fabrikam"')
        self.count = 0

    # -- operations ----------------------------------------------------------------------------

    @rule(user=st.sampled_from(USERS), kind=st.sampled_from(KINDS), side=st.sampled_from(SIDES))
    def create(self, user: str, kind: str, side: str) -> None:
        self.count += 1
        label = f"x{self.count}"
        self.sim.create(self.sim.world.user(user), kind, label, side)
        self.lines.append(f'Given "{user}" has {_article(kind)} {kind} "{label}" in {side}')

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), side=st.sampled_from(SIDES), value=st.sampled_from(WORDS))
    def edit(self, data: st.DataObject, side: str, value: str) -> None:
        item = self._pick(data, side)
        if item is None:
            return
        self._edit(item, side, data.draw(st.sampled_from(EDITABLE[(item.kind, side)])), value)

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), values=st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)))
    def edit_both_sides(self, data: st.DataObject, values: tuple[str, str]) -> None:
        """The same field changed in CRM and in Outlook before sync runs: a conflict."""
        item = self._pick(data, "CRM")
        if item is None or not self.sim.in_outlook(item.label):
            return
        index = data.draw(st.integers(0, len(EDITABLE[(item.kind, "CRM")]) - 1))
        for side, value in zip(SIDES, values, strict=True):
            self._edit(item, side, EDITABLE[(item.kind, side)][index], value)

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data())
    def make_recurring(self, data: st.DataObject) -> None:
        item = self._pick(data, "Outlook", kinds=("task",))
        if item is not None:
            self._edit(item, "Outlook", "IsRecurring", "true")

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), side=st.sampled_from(SIDES))
    def delete(self, data: st.DataObject, side: str) -> None:
        item = self._pick(data, side)
        if item is not None:
            self.sim.delete(item.label, side)
            self.lines.append(f'When "{item.user.name}" deletes the {item.kind} "{item.label}" in {side}')

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), tracked=st.booleans())
    def track(self, data: st.DataObject, tracked: bool) -> None:
        item = self._pick(data, "Outlook")
        if item is not None:
            self.sim.track(item.label, tracked)
            verb = "tracks" if tracked else "stops tracking"
            self.lines.append(f'When "{item.user.name}" {verb} the {item.kind} "{item.label}" in Outlook')

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), side=st.sampled_from(SIDES), name=st.sampled_from(("agenda.pdf", "photo.jpg")))
    def attach(self, data: st.DataObject, side: str, name: str) -> None:
        item = self._pick(data, side, kinds=("appointment", "recurring appointment"))
        if item is None:
            return
        on_side = self.sim.crm_attachments if side == "CRM" else self.sim.outlook_attachments
        if name in on_side(item.label):
            return
        self.sim.attach(item.label, side, name, 1024)
        self.lines.append(
            f'When "{item.user.name}" attaches "{name}" of 1 KB to the {item.kind} "{item.label}" in {side}'
        )

    @precondition(lambda self: self.sim.items)
    @rule(data=st.data(), to=st.sampled_from((("bob",), ("eve",), ("alice",), ("bob", "eve"))))
    def assign(self, data: st.DataObject, to: tuple[str, ...]) -> None:
        item = self._pick(data, "Outlook", kinds=("task",))
        if item is not None:
            self.sim.assign(item.label, list(to))
            names = " and ".join(f'"{name}"' for name in to)
            self.lines.append(f'When "{item.user.name}" assigns the task "{item.label}" to {names}')

    @rule(name=st.sampled_from(list(TAB)), data=st.data(), admin=st.booleans())
    def change_setting(self, name: str, data: st.DataObject, admin: bool) -> None:
        value = data.draw(st.sampled_from([str(v).lower() for v in SETTINGS[name].values]))
        parsed = SETTINGS[name].parse(value)
        if admin:
            self.sim.world.configure(by=self.sim.world.admin, **{name: parsed})
            self.lines.append(f'When the administrator sets "{name}" to "{value}"')
        else:
            before = str(getattr(self.sim.world.settings, name)).lower()
            with suppress(PermissionError):
                self.sim.world.configure(by=self.sim.world.user("alice"), **{name: parsed})
            self.lines.append(f'When "alice" tries to set "{name}" to "{value}"')
            self.lines.append(f'Then the setting "{name}" is "{before}"')
            if str(getattr(self.sim.world.settings, name)).lower() != before:
                raise InvariantBroken("admin-only", [f"alice changed {name} to {value}"])

    @rule(minutes=st.integers(1, 30))
    def advance_clock(self, minutes: int) -> None:
        self.sim.world.clock.advance(minutes * 60)
        self.lines.append(f"When {minutes} minutes pass" if minutes != 1 else "When 1 minute passes")

    @rule(ahead=st.integers(1, 4), lose_response=st.booleans())
    def inject_fault(self, ahead: int, lose_response: bool) -> None:
        self.sim.world.network.fail_write(ahead, lose_response=lose_response)
        what = "loses the response to" if lose_response else "fails"
        self.lines.append(f"When the network {what} write {ahead} from now")

    @rule(ahead=st.integers(1, 4), seconds=st.sampled_from((5, 60, 600)))
    def throttle(self, ahead: int, seconds: int) -> None:
        self.sim.world.network.throttle_write(ahead, retry_after=seconds)
        self.lines.append(f"When the network throttles write {ahead} from now, retry after {seconds} seconds")

    @rule()
    def sync(self) -> None:
        self.sim.sync()
        self.lines += ["When the sync runs", "Then the sync kept its invariants"]
        self._raise(self.sim.violations)

    @rule()
    def settle(self) -> None:
        self.lines.append("Then sync settles with both sides in agreement")
        self._raise(self.sim.settle())

    # -- helpers -------------------------------------------------------------------------------

    def _pick(self, data: st.DataObject, side: str, kinds: tuple[str, ...] = KINDS) -> Item | None:
        """A labelled item of one of ``kinds`` that exists on ``side``, or None."""
        there = self.sim.in_crm if side == "CRM" else self.sim.in_outlook
        candidates = [item for item in self.sim.items.values() if item.kind in kinds and there(item.label)]
        return data.draw(st.sampled_from(candidates)) if candidates else None

    def _edit(self, item: Item, side: str, field: str, value: str) -> None:
        self.sim.edit(item.label, side, {field: _cell(field, value)})
        self.lines.append(f'When "{item.user.name}" edits the {item.kind} "{item.label}" in {side}:')
        self.lines.append(f"  | {field} | {value or EMPTY} |")

    def _raise(self, violations: list[Violation]) -> None:
        if violations:
            raise InvariantBroken(violations[0].invariant, [str(v) for v in violations])


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _cell(field: str, text: str) -> object:
    return cell(field, text or EMPTY)


def machine(
    engine: str = "reference", run_seed: int = 0, progress: Callable[[int], None] | None = None
) -> type[SyncMachine]:
    attributes = {"engine": engine, "seed": run_seed, "last_lines": [], "started": 0, "progress": progress}
    return type("SyncMachine", (SyncMachine,), attributes)


#: the outcome's "invariant" when the engine raised instead of returning
CRASH = "crash"


@dataclass
class Outcome:
    engine: str
    seed: int
    examples: int
    invariant: str | None = None
    message: str = ""
    lines: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.invariant is not None


def explore(
    engine: str = "reference",
    run_seed: int = 0,
    max_examples: int = 100,
    steps: int = 30,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Search for an invariant the engine breaks; the outcome carries the shrunk reproducer.
    ``progress(n)`` is told of each sequence started (the n-th; shrinking counts too)."""
    cls = machine(engine, run_seed, progress)
    test = get_state_machine_test(
        cls,
        settings=settings(
            max_examples=max_examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            print_blob=False,
            report_multiple_bugs=False,
        ),
    )
    try:
        with held_freeze():  # one freezegun start for the run, not one per cycle
            seed(run_seed)(test)()
    except InvariantBroken as broken:
        return Outcome(engine, run_seed, max_examples, broken.invariant, str(broken), tuple(cls.last_lines))
    except Exception as crash:  # the engine under test (or the harness) raised: shrunk like a violation
        message = f"{type(crash).__name__}: {crash}"
        return Outcome(engine, run_seed, max_examples, CRASH, message, tuple(cls.last_lines))
    return Outcome(engine, run_seed, max_examples)


def reproducer(outcome: Outcome) -> str:
    """The shrunk sequence as a feature file in our own steps."""
    body = []
    for line in outcome.lines:
        indent = "      " if line.startswith("  |") else "    "
        body.append(indent + line.strip())
    return (
        f"Feature: Reproducer: {outcome.invariant} {'of' if outcome.invariant == CRASH else 'broken by'} "
        f"the {outcome.engine} engine\n"
        f"  Found by `syncsim explore --engine {outcome.engine} --seed {outcome.seed}` and shrunk by\n"
        f"  hypothesis. Run it with: syncsim run THIS_FILE --engine {outcome.engine}\n\n"
        f"  Scenario: {_title(outcome)}\n" + "\n".join(body) + "\n"
    )


def _title(outcome: Outcome) -> str:
    return "the engine does not crash" if outcome.invariant == CRASH else f"{outcome.invariant} is kept"


def reproducer_path(outcome: Outcome, folder: Path) -> Path:
    name = re.sub(r"[^a-z0-9]+", "-", f"{outcome.invariant}-{outcome.engine}-seed{outcome.seed}".lower())
    return folder / f"reproducer-{name}.feature"
