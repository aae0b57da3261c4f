"""The planner (harness/engine/plan.py): one decision per new record, for every entity.

A rule added to :meth:`Planner._new_record` must hold for every record it decides, whatever
entity, and whether the copies then go one by one or in runs (the fast paths): the runs are made
after the decisions, never instead of them.
"""

from collections.abc import Sequence

import pytest

from syncsim.harness import World, speed
from syncsim.harness.engine.actions import Action, Notice
from syncsim.harness.engine.plan import Planner
from syncsim.harness.engine.reference import ReferenceEngine

#: the entities a new record may be, each with the field a test record is marked in
MARKED = {
    "contact": "lastname",
    "appointment": "subject",
    "recurringappointmentmaster": "subject",
    "serviceappointment": "subject",
    "task": "subject",
}


class _Guarded(Planner):
    """The guard a newcomer might add: a record marked "hold" is not copied to Outlook."""

    def _new_record(self, entity: str, crm_id: str) -> Sequence[Action]:
        record = self.crm.peek(entity, crm_id)
        if record is not None and record.get(MARKED[entity]) == "hold":
            return [Notice(None, "skipped", entity, crm_id, None, "held back by the guard")]
        return super()._new_record(entity, crm_id)


class Guarded(ReferenceEngine):
    planner_class = _Guarded


@pytest.mark.parametrize("fast", [True, False], ids=["fast paths", "plain paths"])
def test_a_guard_added_to_the_one_decision_holds_for_every_entity(fast: bool) -> None:
    with speed.switched(fast):
        world = World(seed=8, engine=Guarded())
        alice = world.add_user("alice")
        world.populate(alice, contacts=30, appointments=12, tasks=12, side="crm")  # runs of copies
        held = {}
        for entity, field in MARKED.items():
            world.crm.create(entity, {field: "before"}, owner=alice)
            held[entity] = world.crm.create(entity, {field: "hold"}, owner=alice)
            world.crm.create(entity, {field: "after"}, owner=alice)
        world.populate(alice, contacts=30, appointments=12, tasks=12, side="crm")
        report = world.sync()
    skipped = {e.crm_id for e in report.events if e.detail == "held back by the guard"}
    assert skipped == set(held.values())
    box = world.outlook(alice)
    stamped = {box.peek(entry_id)["crmid"] for entry_id in box.entry_ids()}
    assert not stamped & set(held.values())
    for entity in MARKED:
        others = set(world.crm.ids(entity)) - {held[entity]}
        assert others and others <= stamped, entity  # every other record was copied
