"""Exploration: random operation sequences on both sides, checked against the invariants.

Sequences of operations (create, edit, edit both sides at once, delete, track and untrack,
attach, remove an attachment, the same file name on both sides, assign, make recurring, change a
setting as the administrator or as someone who may not, move the clock, inject a network fault of
any kind, sync, settle) are drawn by hypothesis (:mod:`.operations`), run on a small organization
(:mod:`.runner`) and checked against :mod:`syncsim.harness.invariants` after every cycle
(:mod:`.search`). Every operation is also written down as Gherkin in our own steps, so a broken
invariant becomes a ``.feature`` file that reproduces it, with a report that explains it (:mod:`.report`).
"""

from syncsim.harness.tools.explore.report import reproducer, reproducer_path
from syncsim.harness.tools.explore.search import CRASH, DIVERGED, Outcome, Progress, database_path, explore

__all__ = [
    "CRASH",
    "DIVERGED",
    "Outcome",
    "Progress",
    "database_path",
    "explore",
    "reproducer",
    "reproducer_path",
]
