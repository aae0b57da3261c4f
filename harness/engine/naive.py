"""A deliberately wrong engine, for demonstrations: it syncs everything and reports no loss.

It is the reference engine with every guard of the catalogue switched off, writing through an
executor that drops every loss. ``syncsim explore --engine naive`` finds an invariant it breaks
within seconds and writes a reproducer; the same feature file passes under the reference engine.
"""

from __future__ import annotations

from ..report import CycleReport
from ..rules import RULES
from .execute import Executor, SilentExecutor
from .protocol import SyncContext
from .reference import ReferenceEngine


class NaiveEngine(ReferenceEngine):
    name = "naive"

    def __init__(self) -> None:
        super().__init__(disabled=RULES)

    def executor(self, context: SyncContext, report: CycleReport) -> Executor:
        return SilentExecutor(context, report, self.guards)
