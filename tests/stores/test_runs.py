"""Runs of writes handed to a store (harness/stores/runs.py and the stores' run methods): checked at
once before anything is kept, the bad value named; a run of the Outlook store keeps the dicts it is handed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncsim.harness import World
from syncsim.harness.stores.runs import plainly_typed


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
