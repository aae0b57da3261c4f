"""What the engine remembers (harness/engine/state.py): the agreed memory of a pair."""

import pytest

from syncsim.harness.engine.state import Agreed


def test_the_agreed_memory_reads_and_writes_like_a_dict():
    memory = Agreed.of({("a", "A"): 1, ("b", "B"): None})
    memory.update({("b", "B"): 2, ("c", "C"): 3})  # one key outside the shared index
    assert dict(memory) == {("a", "A"): 1, ("b", "B"): 2, ("c", "C"): 3} and len(memory) == 3
    assert memory[("c", "C")] == 3 and ("b", "B") in memory and ("z", "Z") not in memory
    assert memory.get(("z", "Z"), "absent") == "absent" and memory.parts() is None
    copy = Agreed.of(memory)
    copy.update([(("a", "A"), 9)])
    assert memory[("a", "A")] == 1 and copy[("a", "A")] == 9
    with pytest.raises(KeyError):
        memory[("z", "Z")]
