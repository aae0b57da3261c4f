"""The reference engine's full account of a rich sequence, line by line, against a reviewed copy.

Every event (outcome, rule, user, entity, both ids by label, detail), every loss, every user's
simulated seconds and every cycle's write count is compared with ``tests/data/golden-trace.txt``.
A change of behaviour shows up as a readable diff; when it is intended, regenerate the file with
``SYNCSIM_UPDATE_GOLDEN=1 pytest tests/features/test_golden_traces.py`` and review the diff before
committing it. The stories themselves are in tests/stories.py.
"""

import os

import pytest
from paths import DATA
from stories import d365_story, microsoft_story, render, story

GOLDEN = DATA / "golden-trace.txt"
MICROSOFT = DATA / "golden-trace-microsoft.txt"
D365 = DATA / "golden-trace-d365.txt"


@pytest.mark.parametrize(
    ("tell", "golden"), [(story, GOLDEN), (microsoft_story, MICROSOFT), (d365_story, D365)]
)
def test_the_engine_tells_the_same_story_as_the_reviewed_trace(tell, golden):
    sim, reports = tell()
    assert sim.violations == []
    lines = render(sim, reports)
    if os.environ.get("SYNCSIM_UPDATE_GOLDEN"):
        golden.write_text("\n".join(lines) + "\n")
    assert lines == golden.read_text().splitlines()
