"""A deliberately wrong engine, for demonstrations: it syncs everything and reports no loss.

It is the reference engine with every catalogue rule switched off and its loss bookkeeping
removed. ``syncsim explore --engine naive`` finds an invariant it breaks within seconds and writes
a reproducer; the same feature file passes under the reference engine.
"""

from __future__ import annotations

from harness.engine.reference import ReferenceEngine
from harness.rules import RULES


class NaiveEngine(ReferenceEngine):
    name = "naive"
    reports_losses = False

    def __init__(self) -> None:
        super().__init__(disabled=RULES)
