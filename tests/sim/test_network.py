"""The simulated network (harness/sim/network.py): a fault at every write position of a
representative cycle (nothing lost, nothing duplicated, and the next good cycle reaches the state
a fault-free run reaches); faults drawn at random, a link down, Retry-After; and the fault
predictor that lets a run of writes go at once, against the writes sent one by one."""

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncsim.harness import World
from syncsim.harness.sim.network import Faults
from syncsim.harness.tools.scenario import Scenario

VOLATILE = {"EntryID", "LastModificationTime", "crmid", "versionnumber", "modifiedon", "createdon"}


def representative() -> Scenario:
    """Two users, both channels, attachments on; after a first sync, a cycle that creates,
    updates, deletes and moves attachments on both sides."""
    world = World(seed=11)
    sim = Scenario(world)
    alice = world.add_user("alice")
    bob = world.add_user("bob", channel="server-side")
    world.configure(by=world.admin, sync_appointment_attachments=True)
    for user in (alice, bob):
        sim.create(user, "contact", f"{user.name} contact", "CRM", {"address1_city": "Oslo"})
        sim.create(user, "appointment", f"{user.name} meeting", "Outlook")
        sim.create(user, "task", f"{user.name} task", "CRM")
    sim.sync()
    for user in (alice, bob):
        sim.edit(f"{user.name} contact", "Outlook", {"JobTitle": "Pilot"})
        sim.edit(f"{user.name} meeting", "CRM", {"location": "Room 4"})
        sim.attach(f"{user.name} meeting", "CRM", "agenda.pdf", 2048)
        sim.delete(f"{user.name} task", "CRM")
        sim.create(user, "contact", f"{user.name} new", "Outlook", {"HomeAddressCity": "Bergen"})
        sim.create(user, "appointment", f"{user.name} new meeting", "CRM")
    world.clock.advance(timedelta(minutes=5).total_seconds())
    return sim


def canonical(world: World) -> dict:
    """Both stores' contents without ids and timestamps, attachments by bytes."""
    state = {}
    for user in world.users:
        box = world.outlook(user)
        items = []
        for kind in ("contact", "appointment", "task"):
            for item in box.find(kind):
                files = tuple(sorted(box.files(item["EntryID"]).items()))
                fields = tuple(sorted((k, str(v)) for k, v in item.items() if k not in VOLATILE))
                items.append((fields, files))
        state[user.name] = sorted(items)
    for entity in ("contact", "appointment", "task"):
        records = []
        for record in world.crm.query(entity):
            primary = "contactid" if entity == "contact" else "activityid"
            files = tuple((a["filename"], a["body"]) for a in world.crm.attachments(record[primary]))
            fields = tuple(sorted((k, str(v)) for k, v in record.items() if k not in VOLATILE | {primary}))
            records.append((fields, files))
        state[entity] = sorted(records)
    return state


def _writes_of_the_cycle() -> int:
    sim = representative()
    before = sim.world.network.writes
    sim.sync()
    return sim.world.network.writes - before


WRITES = _writes_of_the_cycle()


@pytest.fixture(scope="module")
def fault_free() -> dict:
    sim = representative()
    sim.sync()
    assert not sim.violations
    return canonical(sim.world)


def test_the_representative_cycle_writes_enough_to_be_representative():
    assert WRITES >= 12


@pytest.mark.parametrize("lose_response", [False, True], ids=["request-lost", "response-lost"])
@pytest.mark.parametrize("position", range(1, WRITES + 1))
def test_a_fault_at_any_write_loses_and_duplicates_nothing(fault_free, position, lose_response):
    sim = representative()
    sim.world.network.fail_write(position, lose_response=lose_response)
    faulty = sim.sync()
    assert any("network fault" in e.detail for e in faulty.events)
    assert sim.violations == []
    sim.sync()
    assert sim.violations == []
    assert sim.settle() == []
    assert canonical(sim.world) == fault_free


def test_faults_by_probability_are_reproducible_and_a_down_link_fails_every_write():
    def run(seed: int) -> list[str]:
        sim = representative()
        sim.world.network.inject(Faults(probability=0.3, seed=seed))
        return [e.detail for e in sim.sync().events if "network fault" in e.detail]

    assert run(1) == run(1) and run(1)
    sim = representative()
    now = sim.world.clock.now()
    sim.world.network.inject(Faults(down=(now, now + timedelta(minutes=30))))
    failed = sim.sync()
    assert [e.detail for e in failed.events if e.outcome == "warning"][0].endswith(
        f"the link is down until {(now + timedelta(minutes=30)).isoformat()}"
    )
    assert failed.writes > 0 and sim.violations == []
    sim.world.clock.advance(timedelta(minutes=30).total_seconds())
    sim.sync()
    assert sim.settle() == []


def test_fault_settings_are_checked():
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults(probability=2)
    with pytest.raises(ValueError, match="1 or more"):
        World().network.fail_write(0)


def test_a_throttled_write_blocks_every_write_until_its_retry_after_has_passed():
    from datetime import timedelta

    from syncsim.harness.interpretations import EPOCH
    from syncsim.harness.sim.network import Network, Throttled

    network, done = Network(), []
    network.throttle_write(1, retry_after=40)
    with pytest.raises(Throttled) as first:
        network.send(EPOCH, lambda: done.append(1))
    assert first.value.retry_after == 40 and not first.value.applied
    with pytest.raises(Throttled) as early:  # an engine that does not wait is refused again
        network.send(EPOCH + timedelta(seconds=10), lambda: done.append(2))
    assert early.value.retry_after == 30
    network.send(EPOCH + timedelta(seconds=40), lambda: done.append(3))
    assert done == [3]


_NUMBERS = st.frozensets(st.integers(1, 12), max_size=3)


@settings(max_examples=200, deadline=None)
@given(
    faults=st.builds(
        Faults,
        fail_writes=_NUMBERS,
        lose_response=st.booleans(),
        probability=st.sampled_from([0.0, 0.0, 0.5]),
        seed=st.integers(0, 3),
        down=st.sampled_from([None, (-60, 60), (60, 120)]),
        throttle_writes=_NUMBERS,
        busy_writes=_NUMBERS,
        retry_after=st.sampled_from([5.0, 30.0]),
        stale_writes=_NUMBERS,
    ),
    written=st.integers(0, 6),
    blocked_for=st.sampled_from([None, -10, 10]),
    count=st.integers(1, 12),
)
def test_a_clear_run_is_exactly_the_writes_that_one_by_one_meet_no_fault(
    faults, written, blocked_for, count
) -> None:
    """The fault predictor (``Network.clear_run``, a fast path) against the network itself: the
    writes it finds clear go through one by one, and the write after them meets a fault; with
    faults drawn at random it promises none."""
    from syncsim.harness.interpretations import EPOCH
    from syncsim.harness.sim.network import Network, NetworkFault

    if faults.down is not None:  # (seconds around now, as the strategy draws them)
        faults = replace(faults, down=tuple(EPOCH + timedelta(seconds=s) for s in faults.down))
    network = Network()
    network.writes = written
    network.inject(faults)
    if blocked_for is not None:
        network._blocked_until["alice"] = EPOCH + timedelta(seconds=blocked_for)
    clear = network.clear_run(EPOCH, "alice", count)
    if faults.probability > 0:
        assert clear == 0
        return
    for _ in range(clear):
        network.send(EPOCH, lambda: None, "alice")  # no fault: nothing raised
    if clear < count:
        with pytest.raises(NetworkFault):
            network.send(EPOCH, lambda: None, "alice")
