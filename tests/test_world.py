"""The World (harness/world.py): the seeded ids it gives records and items, the same with the fast
paths on or off; the names it takes for users."""

import uuid

import pytest

from syncsim.harness import World, speed


@pytest.mark.parametrize("seed", [0, 1, 2026])
def test_ids_are_the_same_with_the_fast_paths_on_or_off(seed: int) -> None:
    """A record's id is a version-4 GUID and an item's EntryID 160 random bits after a zero
    prefix; written out by hand and drawn in one piece (fast), or by ``uuid`` and one by one."""
    made = {}
    for fast in (True, False):
        world = World(seed=seed)
        with speed.switched(fast):
            made[fast] = (
                [world._new_id() for _ in range(50)],
                world._new_entry_ids(1) + world._new_entry_ids(0) + world._new_entry_ids(7),
            )
    assert made[True] == made[False]
    ids, entry_ids = made[True]
    assert all(uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text for text in ids)
    assert all(len(entry_id) == 48 and entry_id.startswith("00000000") for entry_id in entry_ids)
    assert len(set(ids)) == 50 and len(set(entry_ids)) == 8


@pytest.mark.parametrize(
    "name", ["", " ", "../x", "/abs", "a\\b", ".", "..", "c:", "tab\there", " lead", "x" * 65]
)
def test_a_user_name_that_cannot_name_a_folder_or_a_line_is_refused(name):
    world = World(seed=1)
    with pytest.raises(ValueError, match=r"user name .*\(alice, bob.smith"):
        world.add_user(name)
    with pytest.raises(ValueError, match="holds '/'"):
        world.add_user("ann", organization="North/South")
    assert [user.name for user in world.users] == ["admin"]  # nothing half made
    assert world.add_user("bob.smith-2").name == "bob.smith-2"
