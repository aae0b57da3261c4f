"""One switch for every path that exists only for speed.

Each such path has a plain twin that does the same work the obvious way, and a test that the two
agree (byte-identical traces and reports over the golden traces, every built-in feature, a
simulation with faults and explore seeds: tests/test_speed.py). ``SYNCSIM_FAST_PATHS=0`` turns
every fast path off, so only the plain twins run; unset, or ``1``, the fast paths run. The paths
it governs, and where they sit (ARCHITECTURE.md has the picture):

* runs: an initial cycle's copies to Outlook, decided one by one, sent as one run where no fault
  can meet them (``actions.perform``, ``CreateRun``; ``Network.clear_run`` tells which writes no
  fault meets), and a store's check of a run at once (``stores.runs.plainly_typed``);
* code generation: a copier function written per key order of the records (``OutlookCopier``);
* readings by C loops: the pairs that may have moved (``reconcile``), the values of many pairs
  (``PairSet.values``), the JSON byte count of writes (``execute.json_size``);
* seeded ids made without the ``uuid`` module's checks, and EntryIDs drawn in one piece;
* the vCard reader's fast path for plain cards, 3.0 and decoded 2.1 (``formats/vcard.py``).

The switch is read once, when this module is imported; a test may turn it for a while with
:func:`switched` (in one process: worker processes read the environment themselves).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

#: the environment variable that turns the fast paths off ("0") or on ("1", the default)
VARIABLE = "SYNCSIM_FAST_PATHS"
ALLOWED = {"1": True, "0": False}


def read(value: str | None) -> bool:
    """The switch as an environment value gives it (unset: on); a ValueError names a bad value."""
    if value is None or value.strip() == "":
        return True
    if value.strip() not in ALLOWED:
        allowed = "1 (fast paths, the default), 0 (plain paths only)"
        raise ValueError(f"{VARIABLE}={value!r} is not allowed; allowed: {allowed}")
    return ALLOWED[value.strip()]


#: the switch as the environment gave it at import; None: a bad value, said at first use
_on: bool | None
try:
    _on = read(os.environ.get(VARIABLE))
except ValueError:
    _on = None


def on() -> bool:
    """Whether the fast paths run (a ValueError when the environment's value is not allowed)."""
    if _on is None:
        return read(os.environ.get(VARIABLE))  # raises, naming the value and the allowed ones
    return _on


@contextmanager
def switched(value: bool) -> Iterator[None]:
    """The fast paths on (``True``) or off for the block, then as they were."""
    global _on
    before, _on = _on, value
    try:
        yield
    finally:
        _on = before
