"""The traceability matrix: each documented rule, its scenarios, and how their runs went."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from syncsim.harness.rules import RULES, SEED, SOURCES
from syncsim.harness.tools.features import ScenarioInfo
from syncsim.harness.tools.runner import RunResult

COLUMNS = ("Rule", "Area", "Channels", "Scenarios", "Passed", "Failed", "Source", "Section")


@dataclass(frozen=True)
class Row:
    rule: str
    area: str
    channels: str
    scenarios: int
    passed: int
    failed: int
    section: str
    source: str = SEED

    @property
    def ok(self) -> bool:
        return self.scenarios > 0 and self.failed == 0 and self.passed > 0

    @property
    def status(self) -> str:
        """passed, failed, or not run (no scenario of the rule ran: none selected, or none written)."""
        return "failed" if self.failed else "passed" if self.passed else "not run"

    def cells(self) -> tuple[str, ...]:
        return (
            self.rule,
            self.area,
            ", ".join(self.channels.split(",")),
            str(self.scenarios),
            str(self.passed),
            str(self.failed),
            self.source,
            self.section,
        )


def rows(scenarios: list[ScenarioInfo], result: RunResult) -> list[Row]:
    """One row per catalogue rule, grouped by source page (the seed page first), in catalogue order."""
    order = list(SOURCES)
    found = [
        Row(
            rule=rule.id,
            area=rule.area,
            channels=",".join(rule.channels),
            scenarios=sum(1 for s in scenarios if rule.id in s.tags),
            passed=result.by_rule.get(rule.id, {}).get("passed", 0),
            failed=result.by_rule.get(rule.id, {}).get("failed", 0),
            section=rule.section,
            source=rule.source,
        )
        for rule in RULES.values()
    ]
    return sorted(found, key=lambda row: order.index(row.source))


STYLES = {"passed": None, "failed": "bold red", "not run": "dim"}


def table(matrix: list[Row]) -> Table:
    """The terminal's matrix: failed rules in red, rules none of whose scenarios ran dimmed."""
    out = Table(title="Traceability matrix: documented rule -> scenarios -> result")
    for column in COLUMNS:
        numeric = column in ("Scenarios", "Passed", "Failed")
        out.add_column(column, justify="right" if numeric else "left", no_wrap=column == "Rule")
    for row in matrix:
        out.add_row(*row.cells(), style=STYLES[row.status])
    return out


def with_scenarios(matrix: list[Row]) -> list[Row]:
    """The rules that have a scenario in the files run (a team's files may cover a few)."""
    return [row for row in matrix if row.scenarios]


def markdown(matrix: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in matrix]
    return "# Traceability matrix\n\n" + "\n".join(lines) + "\n"


RENDERERS = {".md": markdown}
