"""Runs: the initial cycle's copies to Outlook and ``populate``'s records go in runs, which must
end exactly as the same writes one by one would, whatever fault meets a write of the run."""

from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncsim.harness import World, mapping, schema
from syncsim.harness.engine.copies import OutlookCopier
from syncsim.harness.engine.execute import Executor
from syncsim.harness.engine.reference import ReferenceEngine
from syncsim.harness.engine.state import Agreed, UserState
from syncsim.harness.settings import ALL_THREE, MAILING_ONLY
from syncsim.harness.sim.network import Network
from syncsim.harness.stores.runs import plainly_typed


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


def test_a_run_with_one_bad_value_writes_none_and_names_it() -> None:
    """Checked before anything is written: nothing half-made, the bad value named."""
    world = World(seed=5)
    alice = world.add_user("alice")
    good = {"firstname": "Ada"}
    with pytest.raises(ValueError, match="contact.jobtitle holds str, not int"):
        world.crm.create_run("contact", [good, {"jobtitle": 7}, good], owner=alice)
    with pytest.raises(ValueError, match="no property 'Shoe'"):
        world.outlook(alice).create_taking("contact", [{"FirstName": "Ada"}, {"Shoe": "x"}])
    with pytest.raises(ValueError, match="SelectedMailingAddress 'attic' is not allowed"):
        world.outlook(alice).create_taking("contact", [{"SelectedMailingAddress": "attic"}])
    assert world.crm.count("contact") == 0 and world.outlook(alice).count("contact") == 0


def test_create_keeps_its_own_item_and_create_taking_keeps_the_dicts_it_is_handed() -> None:
    """``create`` takes a caller's dict, which the caller may change later; ``create_taking``
    takes dicts made for it (the engine's copies) and keeps them, without a copy each."""
    world = World(seed=5)
    box = world.outlook(world.add_user("alice"))
    mine = {"FirstName": "Ada"}
    made = box.create("contact", mine)
    mine["FirstName"] = "Grace"
    assert box.peek(made)["FirstName"] == "Ada" and "EntryID" not in mine
    handed = {"FirstName": "Lin"}
    [entry_id], _ = box.create_taking("contact", [handed])
    assert box.peek(entry_id) is handed and handed["EntryID"] == entry_id


_DECLARED = {"subject": str, "prioritycode": int, "isalldayevent": bool, "location": str}


#: a write: a few (name, value) pairs, names known or not (a dict of them: no unique-key rejection)
_WRITES = st.lists(
    st.tuples(
        st.sampled_from([*_DECLARED, "shoe"]),
        st.one_of(st.none(), st.text(max_size=3), st.integers(), st.booleans()),
    ),
    max_size=4,
).map(dict)


@given(st.lists(_WRITES, max_size=4))
def test_a_run_is_plainly_typed_exactly_when_each_value_is_none_or_its_declared_type(
    runs: list[dict[str, object]],
) -> None:
    """The run check (one test per distinct name and type) agrees with a check per value."""
    expected = all(
        name in _DECLARED and (value is None or type(value) is _DECLARED[name])
        for fields in runs
        for name, value in fields.items()
    )
    assert plainly_typed(_DECLARED, runs) == expected


def test_a_run_with_a_chosen_id_taken_or_twice_writes_none() -> None:
    """Chosen ids (an export's own) must be new and distinct; a refused run writes nothing."""
    world = World(seed=5)
    alice = world.add_user("alice")
    kept = world.crm.create("contact", {"firstname": "Ada"}, owner=alice, record_id="id-1")
    with pytest.raises(ValueError, match="'id-1' exists already"):
        world.crm.create_run("contact", [{}, {}], owner=alice, record_ids=["id-2", kept])
    with pytest.raises(ValueError, match="'id-3' exists already"):
        world.crm.create_run("contact", [{}, {}], owner=alice, record_ids=["id-3", "id-3"])
    made = world.crm.create_run("contact", [{}, {}], owner=alice, record_ids=[None, "id-4"])
    assert made[1] == "id-4" and world.crm.count("contact") == 3


_PAIRS = {
    (entity, mode): mapping.pairs_for(entity, mode, None)
    for entity in ("contact", "appointment", "task")
    for mode in (MAILING_ONLY, ALL_THREE)
}
_RECORDS = st.sampled_from(sorted(_PAIRS)).flatmap(
    lambda key: st.tuples(
        st.just(key),
        st.lists(
            st.tuples(
                st.sampled_from(sorted({p.crm for p in _PAIRS[key]} | {"ownerid", "versionnumber"})),
                st.one_of(st.none(), st.sampled_from(["", "x", "Room 4"]), st.integers(0, 2), st.booleans()),
            ),
            max_size=8,
        ).map(dict),
    )
)


@given(st.lists(_RECORDS, min_size=1, max_size=6))
def test_a_copy_read_by_key_order_equals_the_copy_read_pair_by_pair(
    records: list[tuple[tuple[str, str], dict[str, object]]],
) -> None:
    """The copier's fast path (one read per known key order) gives the same properties, in the
    same order, and the same memory as reading every pair; records of one order share a shape."""
    copiers = {
        key: OutlookCopier(pairs, {"IsRecurring": False, "Mileage": "1 km"}) for key, pairs in _PAIRS.items()
    }
    for n, (key, record) in enumerate(records * 2):  # the second time, each key order is known
        properties, agreed = copiers[key].copy(record, f"id-{n}")
        slow_properties, slow_agreed = copiers[key]._one_by_one(record, f"id-{n}")
        assert properties[schema.CRM_ID] == f"id-{n}" and properties["Mileage"] == "1 km"
        assert list(properties.items()) == list(slow_properties.items())
        assert list(agreed.items()) == list(slow_agreed.items())
        assert _read_by_parts(agreed) == _read_by_parts(slow_agreed) == dict(slow_agreed)
        kept, edited = agreed.copy(), next(iter(slow_agreed))
        for memory in (agreed, slow_agreed):
            memory.update({edited: "edited"})
        assert list(agreed.items()) == list(slow_agreed.items())
        assert list(kept.items()) != list(agreed.items())  # a copy does not share the values it had


def _read_by_parts(memory: Agreed) -> dict[object, object]:
    parts = memory.parts()
    assert parts is not None
    index, values = parts
    return {key: values[n] for key, n in index.items()}
