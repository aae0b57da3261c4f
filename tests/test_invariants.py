"""The invariants that look at both stores: a CRM record sync made that no Outlook item carries (a
second record for one item), and a file on one side only where the settings say files sync. Each
is shown failing on a broken engine or a store left apart, and holding for the reference engine."""

from __future__ import annotations

import pytest
import zoo

from syncsim.harness.invariants import convergence
from syncsim.harness.tools.explore.runner import InvariantBroken, Runner
from syncsim.harness.tools.scenario import Scenario
from syncsim.harness.world import World

#: a contact tracked in Outlook, the response to its record's create (write 2, after the stamp) lost,
#: then sync settles
LOST_CREATE = [
    ("create", "alice", "contact", "Outlook"),
    ("fault", "lost-response", 2, 5),
    ("sync",),
    ("settle",),
]


def test_a_second_record_for_one_item_is_found_once_sync_settles():
    runner = Runner(f"zoo:{zoo.MakesTwoRecordsForOneItem.__name__}", 1)
    with pytest.raises(InvariantBroken) as broken:
        runner.run([("create", "alice", "contact", "Outlook"), ("sync",), ("settle",)])
    assert broken.value.invariant == "no-duplicates"
    assert "was made by sync, but no Outlook item has carried it" in str(broken.value)


def test_the_reference_engine_adopts_the_record_a_lost_response_made():
    runner = Runner("reference", 1)
    runner.run(LOST_CREATE)
    assert runner.sim.world.network.met["lost-response"] == 1  # the fault did meet the create
    assert runner.sim.checker.sync_made and runner.sim.checker.sync_made <= runner.sim.checker.carried


@pytest.fixture
def linked() -> Scenario:
    """An appointment synced with attachment sync on: both sides of one tracked pair."""
    sim = Scenario(World(seed=3))
    alice = sim.world.add_user("alice", channel="outlook")
    sim.world.configure(by=sim.world.admin, sync_appointment_attachments=True)
    sim.create(alice, "appointment", "Review", "CRM")
    sim.sync()
    return sim


@pytest.mark.parametrize(
    ("name", "kb", "found"),
    [("agenda.pdf", 1, True), ("setup.exe", 1, False), ("big.pdf", 5_121, False), ("limit.pdf", 5_120, True)],
)
def test_a_file_on_one_side_only_breaks_convergence_where_it_may_sync(linked, name, kb, found):
    linked.attach("Review", "CRM", name, kb * 1024)  # (no sync after: the sides are left apart)
    details = [v.detail for v in convergence(linked.world)]
    assert any(f"attachment {name} only in crm" in d for d in details) == found, details


def test_files_on_both_sides_converge(linked):
    linked.attach("Review", "CRM", "agenda.pdf", 1024)
    linked.sync()
    assert convergence(linked.world) == []
