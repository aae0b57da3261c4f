"""Actions (harness/engine/actions.py): the initial cycle's copies to Outlook go in runs, which must
end exactly as the same writes one by one would, whatever fault meets a write of the run."""

from collections import Counter
from collections.abc import Callable

import pytest

from syncsim.harness import World
from syncsim.harness.engine.execute import Executor
from syncsim.harness.engine.reference import ReferenceEngine
from syncsim.harness.engine.state import UserState
from syncsim.harness.sim.network import Network


class _OneByOne(Executor):
    def clear_run(self, count: int) -> int:
        return 0  # every write sent by itself, as before runs existed


class OneByOne(ReferenceEngine):
    def executor(self, context, report):  # type: ignore[no-untyped-def]
        return _OneByOne(context, report, self.guards)


FAULTS: dict[str, Callable[[Network], None]] = {
    "none": lambda network: None,
    "fail": lambda network: network.fail_write(7),
    "lost-response": lambda network: network.fail_write(7, lose_response=True),
    "throttled": lambda network: network.throttle_write(7, retry_after=20),
    "busy": lambda network: network.throttle_write(1, retry_after=5, busy=True),
    "stale": lambda network: network.stale_write(12),
    "batch": lambda network: network.fail_batch(3, size=4),
}


def _world(engine: ReferenceEngine, fault: str) -> tuple[World, list[str]]:
    world = World(seed=5, engine=engine)
    alice, bob = world.add_user("alice"), world.add_user("bob")
    world.populate(alice, contacts=30, appointments=3, tasks=4, side="crm")
    world.populate(bob, contacts=12, side="both")
    FAULTS[fault](world.network)
    trace = []
    for _ in range(3):
        trace += world.sync().trace_lines()
    return world, trace


def _stores(world: World) -> list[object]:
    shown: list[object] = [sorted(map(str, world.crm.query(e))) for e in ("contact", "appointment", "task")]
    for user in world.users:
        box = world.outlook(user)
        shown.append([(box.peek(i), box.version(i)) for i in box.entry_ids()])
    return shown


def _links(state: UserState) -> list[object]:
    return [(k, dict(v.synced), v.crm_version, v.outlook_version, v.owner) for k, v in state.by_crm.items()]


@pytest.mark.parametrize("fault", ["none", "fail", "stale"])
def test_a_cycle_tallies_its_events_without_making_them_as_they_are_once_made(fault: str) -> None:
    world = World(seed=5)
    world.populate(world.add_user("alice"), contacts=30, appointments=3, tasks=4, side="crm")
    FAULTS[fault](world.network)
    cycles = world.sync(2).cycles
    assert cycles[0]._noted or fault != "none"  # the initial cycle's runs: their events not made yet
    for cycle in cycles:
        tallied, counted = cycle.tally(), cycle.counts()
        assert tallied == Counter((event.outcome, event.rule) for event in cycle.events)
        assert counted == Counter(event.outcome for event in cycle.events)


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_run_of_creates_ends_as_the_same_creates_one_by_one(fault: str) -> None:
    """Items, versions, trace (events, losses, in order), writes and link memory: identical."""
    runs, one_by_one = ReferenceEngine(), OneByOne()
    world, trace = _world(runs, fault)
    alone, alone_trace = _world(one_by_one, fault)
    assert trace == alone_trace
    assert _stores(world) == _stores(alone)
    assert world.network.writes == alone.network.writes
    for user in world.users:
        mine, theirs = runs.state(user.systemuserid), one_by_one.state(user.systemuserid)
        assert _links(mine) == _links(theirs)
        assert mine.foreign == theirs.foreign


def test_a_fault_inside_a_run_stops_the_cycle_at_that_write() -> None:
    """Writes before the fault went at once; the one it meets and those after did not."""
    world = World(seed=5)
    alice = world.add_user("alice")
    world.populate(alice, contacts=40, side="crm")
    world.network.fail_write(25)
    report = world.sync()
    assert report.cycles[0].failed == {"alice"}
    assert world.outlook(alice).count("contact") == 24
    world.sync()
    assert world.outlook(alice).count("contact") == 40
