"""The traceability matrix: each documented rule, its scenarios, and how their runs went."""

from __future__ import annotations

import html
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


def table(matrix: list[Row]) -> Table:
    out = Table(title="Traceability matrix: documented rule -> scenarios -> result")
    for column in COLUMNS:
        numeric = column in ("Scenarios", "Passed", "Failed")
        out.add_column(column, justify="right" if numeric else "left", no_wrap=column == "Rule")
    for row in matrix:
        style = None if row.ok else "bold red"
        out.add_row(*row.cells(), style=style)
    return out


def markdown(matrix: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in matrix]
    return "# Traceability matrix\n\n" + "\n".join(lines) + "\n"


def as_html(matrix: list[Row]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "\n".join(
        f'<tr class="{"ok" if row.ok else "failed"}">'
        + "".join(f"<td>{html.escape(cell)}</td>" for cell in row.cells())
        + "</tr>"
        for row in matrix
    )
    return (
        "<!doctype html>\n<html><head><meta charset='utf-8'><title>Traceability matrix</title>"
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px}"
        ".failed{background:#fdd}</style></head><body>\n<h1>Traceability matrix</h1>\n"
        f"<table><tr>{head}</tr>\n{body}\n</table></body></html>\n"
    )


RENDERERS = {".md": markdown, ".html": as_html}
