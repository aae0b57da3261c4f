"""The traceability matrix: each documented rule, its scenarios, and how their runs went."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from ..rules import RULES, SEED, SOURCES
from .features import ScenarioInfo
from .runner import RunResult

COLUMNS = ("Rule", "Area", "Channels", "Profiles", "Scenarios", "Passed", "Failed", "Source", "Section")
#: the column of scenario runs whose every check was not applicable (an engine outside the process
#: reports no events): shown only when a run has some
NOT_APPLICABLE = "N/A"


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
    #: scenario runs whose every Then check read events or losses the engine cannot report
    not_applicable: int = 0
    #: the profiles the organizations of its scenario runs followed ("" before any ran)
    profiles: str = ""

    @property
    def ok(self) -> bool:
        return self.scenarios > 0 and self.failed == 0 and self.passed > 0

    @property
    def status(self) -> str:
        """passed, failed, not applicable, or not run (no scenario of the rule ran: none selected,
        or none written)."""
        if self.failed or self.passed:
            return "failed" if self.failed else "passed"
        return "not applicable" if self.not_applicable else "not run"

    def cells(self, with_not_applicable: bool = False) -> tuple[str, ...]:
        counts: tuple[str, ...] = (str(self.passed), str(self.failed))
        counts += (str(self.not_applicable),) if with_not_applicable else ()
        return (
            self.rule,
            self.area,
            ", ".join(self.channels.split(",")),
            self.profiles,
            str(self.scenarios),
            *counts,
            self.source,
            self.section,
        )


def columns(matrix: list[Row]) -> tuple[str, ...]:
    """The matrix's columns: N/A after Failed when some scenario run was not applicable."""
    if not any(row.not_applicable for row in matrix):
        return COLUMNS
    at = COLUMNS.index("Failed") + 1
    return (*COLUMNS[:at], NOT_APPLICABLE, *COLUMNS[at:])


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
            not_applicable=result.by_rule.get(rule.id, {}).get("skipped", 0),
            section=rule.section,
            source=rule.source,
            profiles=", ".join(sorted(result.profiles.get(rule.id, ()))),
        )
        for rule in RULES.values()
    ]
    return sorted(found, key=lambda row: order.index(row.source))


STYLES = {"passed": None, "failed": "bold red", "not run": "dim", "not applicable": "dim"}


def table(matrix: list[Row]) -> Table:
    """The terminal's matrix: failed rules in red, rules none of whose scenarios ran dimmed."""
    out = Table(title="Traceability matrix: documented rule -> scenarios -> result")
    shown = columns(matrix)
    for column in shown:
        numeric = column in ("Scenarios", "Passed", "Failed", NOT_APPLICABLE)
        out.add_column(column, justify="right" if numeric else "left", no_wrap=column == "Rule")
    for row in matrix:
        out.add_row(*row.cells(NOT_APPLICABLE in shown), style=STYLES[row.status])
    return out


def with_scenarios(matrix: list[Row]) -> list[Row]:
    """The rules that have a scenario in the files run (a team's files may cover a few)."""
    return [row for row in matrix if row.scenarios]


def markdown(matrix: list[Row]) -> str:
    shown = columns(matrix)
    lines = ["| " + " | ".join(shown) + " |", "|" + "---|" * len(shown)]
    lines += ["| " + " | ".join(row.cells(NOT_APPLICABLE in shown)) + " |" for row in matrix]
    return "# Traceability matrix\n\n" + "\n".join(lines) + "\n"


RENDERERS = {".md": markdown}
