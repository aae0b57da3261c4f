"""Reading .feature files without running them: scenarios, their tags, lines and steps.

pytest-bdd keeps scenarios by name, so two scenarios with one name in a feature collapse into one
test; this reader goes through the Gherkin document itself and sees every scenario, in order.
The traceability matrix, the coverage checks and the mutation check all read from here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.gherkin_parser import get_gherkin_document

#: ``file.feature:LINE``, as a command line selects one scenario or Examples row
LINE_ARGUMENT = re.compile(r"^(?P<path>.+\.feature):(?P<line>\d+)$")

#: What a rule tag looks like: upper case words joined by hyphens (@APPT-ATTACH-ON).
RULE_TAG = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")


@dataclass(frozen=True)
class StepLine:
    keyword: str
    text: str
    line: int
    #: the step's data table, row by row (empty: none)
    table: tuple[tuple[str, ...], ...] = ()
    #: the step's doc string (None: none)
    docstring: str | None = None


@dataclass(frozen=True)
class ExamplesInfo:
    line: int
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: the Examples block's own tags (without the @)
    tags: frozenset[str] = frozenset()
    #: the line of each row
    row_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ScenarioInfo:
    path: Path
    feature: str
    rule: str | None
    name: str
    line: int
    tags: frozenset[str]
    steps: tuple[StepLine, ...]
    examples: int
    #: the steps of the Backgrounds that run before this scenario (feature's, then rule's)
    background: tuple[StepLine, ...] = ()
    tables: tuple[ExamplesInfo, ...] = ()
    column: int = 0
    rule_column: int | None = None
    #: every cell of the steps' datatables, for placeholders used only there
    cells: tuple[str, ...] = ()
    #: the tags every run of the scenario has: the feature's, the rule's and its own (no Examples')
    base_tags: frozenset[str] = frozenset()
    #: where the scenario begins in its file: the line of its first tag, or its keyword's line
    first_line: int = 0

    def runs(self) -> list[tuple[str, frozenset[str]]]:
        """Each run as (where, its tags): one per Examples row (at the row's line), or the scenario."""
        if not self.tables:
            return [(self.where, self.base_tags)]
        return [
            (f"{shown(self.path)}:{line}", self.base_tags | table.tags)
            for table in self.tables
            for line in table.row_lines
        ]

    @property
    def rule_tags(self) -> frozenset[str]:
        return frozenset(tag for tag in self.tags if RULE_TAG.match(tag))

    def rows(self) -> list[dict[str, str] | None]:
        """Each Examples row as {column: value}; [None] for a plain scenario."""
        rows = [dict(zip(t.columns, row, strict=False)) for t in self.tables for row in t.rows]
        return list(rows) or [None]

    @property
    def where(self) -> str:
        return f"{shown(self.path)}:{self.line}"

    def title(self, index: int = 0) -> str:
        """The name of run ``index``: an Outline's placeholders filled from its Examples row
        ("... (<channel>)" as "... (outlook)")."""
        row = self.rows()[index] if index < len(self.rows()) else None
        name = self.name
        for column, value in (row or {}).items():
            name = name.replace(f"<{column}>", value)
        return name

    def runs_at(self, line: int) -> list[int]:
        """The indexes of the runs a ``file.feature:LINE`` selects in this scenario: the run whose
        Examples row is on that line, the runs of the Examples table the line is in, else all."""
        index = 0
        for table in self.tables:
            if line in table.row_lines:
                return [index + table.row_lines.index(line)]
            if table.line <= line <= max((table.line, *table.row_lines)):
                return list(range(index, index + len(table.rows)))
            index += len(table.rows)
        return list(range(max(self.examples, 1)))


def shown(path: Path | str) -> str:
    """A path as a person reads it: relative to the working folder when it is under it."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def scenario_at(infos: Iterable[ScenarioInfo], line: int) -> ScenarioInfo | None:
    """The scenario of one file that a line falls in: the last one starting at or before it (its
    tag lines are its own: the line of a tag above it selects it, not the scenario before)."""
    before = [info for info in infos if min(info.first_line or info.line, info.line) <= line]
    return max(before, key=lambda info: info.line) if before else None


def lines_asked(paths: Iterable[str | Path]) -> dict[Path, set[int]]:
    """The ``file.feature:LINE`` arguments among ``paths``: lines asked for, by resolved file (a
    ValueError for a line the file does not have)."""
    lines: dict[Path, set[int]] = {}
    for raw in paths:
        match = LINE_ARGUMENT.match(str(raw))
        if match and not Path(raw).exists() and Path(match["path"]).is_file():
            path, line = Path(match["path"]), int(match["line"])
            length = len(path.read_text(encoding="utf-8", errors="replace").splitlines())
            if not 1 <= line <= length:
                raise ValueError(f"{raw}: {path} has lines 1 to {length}; give a line of a scenario")
            lines.setdefault(path.resolve(), set()).add(line)
    return lines


def at_lines(infos: list[ScenarioInfo], lines: Iterable[int], info: ScenarioInfo, index: int) -> bool:
    """Whether run ``index`` of ``info`` is one the ``lines`` of its file select (``infos``: all
    the file's scenarios; a line above every scenario selects them all)."""
    for line in lines:
        found = scenario_at(infos, line)
        if found is None or (found.line == info.line and index in found.runs_at(line)):
            return True
    return False


def feature_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every .feature file under the given files or folders (``file.feature:LINE`` names its
    file), sorted; a ValueError for a bad path, or when the paths given hold none."""
    given = list(paths)
    found: list[Path] = []
    for raw in given:
        path = Path(raw)
        line_of = LINE_ARGUMENT.match(str(raw))
        if line_of and not path.exists():
            path = Path(line_of["path"])
        if path.is_dir():
            found.extend(sorted(path.rglob("*.feature")))
        elif path.is_file() and path.suffix == ".feature":
            found.append(path)
        else:
            raise ValueError(f"{raw}: not a .feature file or a folder of them")
    if given and not found:
        raise ValueError(f"no .feature files under {', '.join(map(str, given))}")
    return found


def scenarios(paths: Iterable[str | Path]) -> list[ScenarioInfo]:
    return [info for path in feature_files(paths) for info in read(path)]


def read(path: Path) -> Iterator[ScenarioInfo]:
    """Every scenario of one feature file, with the tags it inherits from its Feature and Rule.

    A malformed file is a ValueError that names the file, the line and the problem. A file read
    before, unchanged since, is not parsed again (lint, run, the plugin and the reports all read).
    """
    try:
        seen = path.stat()
    except OSError as bad:
        raise ValueError(f"{path}: {bad.strerror}") from None
    return iter(_read(path, seen.st_mtime_ns, seen.st_size))


@functools.lru_cache(maxsize=512)
def _read(path: Path, mtime_ns: int, size: int) -> tuple[ScenarioInfo, ...]:
    return tuple(_parse(path))


def _parse(path: Path) -> Iterator[ScenarioInfo]:
    try:
        feature = get_gherkin_document(str(path.resolve())).feature
    except GherkinParseError as bad:
        raise ValueError(f"{path}:{bad.line}: {bad.message} ({bad.line_content.strip()!r})") from None
    except UnicodeDecodeError as bad:
        raise ValueError(f"{path}: not UTF-8 text ({bad.reason})") from None
    except KeyError:  # (pytest-bdd's reader, given a file with no Feature: at all)
        raise ValueError(f"{path}:1: no 'Feature:' line; a feature file starts with one") from None
    feature_tags = _names(feature.tags)
    background: tuple[StepLine, ...] = ()
    for child in feature.children:
        if child.background:
            background = _steps(child.background.steps)
        elif child.scenario:
            yield _info(path, feature.name, None, feature_tags, child.scenario, background)
        elif child.rule:
            rule_tags = feature_tags | _names(child.rule.tags)
            rule_background = background
            for grandchild in child.rule.children:
                if grandchild.background:
                    rule_background = background + _steps(grandchild.background.steps)
                elif grandchild.scenario:
                    yield _info(
                        path,
                        feature.name,
                        child.rule.name,
                        rule_tags,
                        grandchild.scenario,
                        rule_background,
                        child.rule.location.column,
                    )


def _info(
    path: Path,
    feature: str,
    rule: str | None,
    inherited: frozenset[str],
    scenario: Any,
    background: tuple[StepLine, ...],
    rule_column: int | None = None,
) -> ScenarioInfo:
    example_tags = frozenset(t.name.lstrip("@") for ex in scenario.examples for t in ex.tags)
    tables = tuple(
        ExamplesInfo(
            ex.location.line,
            tuple(c.value for c in ex.table_header.cells) if ex.table_header else (),
            tuple(tuple(c.value for c in row.cells) for row in ex.table_body or []),
            _names(ex.tags),
            tuple(row.location.line for row in ex.table_body or []),
        )
        for ex in scenario.examples
    )
    cells = tuple(
        cell.value
        for step in scenario.steps
        if step.datatable
        for row in step.datatable.rows
        for cell in row.cells
    )
    return ScenarioInfo(
        path=path,
        feature=feature,
        rule=rule,
        name=scenario.name,
        line=scenario.location.line,
        tags=inherited | _names(scenario.tags) | example_tags,
        base_tags=inherited | _names(scenario.tags),
        steps=_steps(scenario.steps),
        examples=sum(len(table.rows) for table in tables),
        background=background,
        tables=tables,
        column=scenario.location.column,
        rule_column=rule_column,
        cells=cells,
        first_line=min((tag.location.line for tag in scenario.tags), default=scenario.location.line),
    )


def _steps(steps: Any) -> tuple[StepLine, ...]:
    return tuple(
        StepLine(
            s.keyword.strip(),
            s.text,
            s.location.line,
            tuple(tuple(cell.value for cell in row.cells) for row in s.datatable.rows) if s.datatable else (),
            s.docstring.content if s.docstring else None,
        )
        for s in steps
    )


def _names(tags: Any) -> frozenset[str]:
    return frozenset(tag.name.lstrip("@") for tag in tags)
