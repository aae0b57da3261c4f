"""Exploration: random operation sequences on both sides, checked against the invariants.

Sequences of operations (create, edit, edit both sides at once, delete, track and untrack,
attach, remove an attachment, the same file name on both sides, assign, make recurring, change a
setting as the administrator or as someone who may not, move the clock, inject a network fault of
any kind, sync, settle) are drawn by hypothesis (:mod:`.operations`), run on a small organization
(:mod:`.runner`) and checked against :mod:`syncsim.harness.invariants` after every cycle
(:mod:`.search`). Every operation is also written down as Gherkin in our own steps, so a broken
invariant becomes a ``.feature`` file that reproduces it, with a report that explains it (:mod:`.report`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .cache import database_path

#: the names this package offers, by the module they live in: imported when first asked for,
#: so the command line starts without hypothesis (a sixth of a second) unless it explores
_LAZY = {
    "CRASH": "search",
    "DIVERGED": "search",
    "Outcome": "search",
    "Progress": "search",
    "explore": "search",
    "reproducer": "report",
    "reproducer_path": "report",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)


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
