"""Cucumber JSON as the tools that read it expect, made from pytest-bdd's.

pytest-bdd 9 writes tags without their ``@``, leaves out the Examples' tags and the steps' data
tables and doc strings, marks the steps after a failing one as failed, and orders scenarios as they
finished. This completes its report from the feature files themselves (``syncsim.harness.tools.features``):
every tag with its ``@`` (an Examples block's tags on the runs of its rows), each step's data table
(``rows``, with the row's values in place of ``<placeholders>``) and doc string, the steps that never
ran as ``skipped``, and features and scenario runs in file order, the same every run.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import installed
from .features import ScenarioInfo, StepLine
from .stepcatalog import StepDef, find, typed_steps

Report = list[dict[str, Any]]


def complete(report: Report, infos: Sequence[ScenarioInfo], defs: Sequence[StepDef] = ()) -> Report:
    """The report, completed and ordered (``infos``: the scenarios of the files that ran; ``defs``:
    the step definitions, for each step's ``match.location``)."""
    for feature in report:
        feature["tags"] = [_tag(tag) for tag in feature.get("tags", [])]
        scenarios = {info.line: info for info in infos if _same_file(info.path, feature.get("uri", ""))}
        if scenarios:  # the file as the team names it, not an absolute path of this machine
            feature["uri"] = feature["id"] = _shown(next(iter(scenarios.values())).path)
        runs = [
            _complete_run(element, scenarios.get(element.get("line")), defs)
            for element in feature["elements"]
        ]
        feature["elements"] = [element for _, element in sorted(runs, key=lambda run: run[0])]
    return sorted(report, key=lambda feature: str(feature.get("uri", "")))


def _shown(path: Path) -> str:
    """A file of syncsim's as ``syncsim/...``, or a path relative to the current folder: the same
    on every machine."""
    ours = installed.shown(path)
    if ours is not None:
        return ours
    if path.absolute().is_relative_to(Path.cwd()):
        return str(path.absolute().relative_to(Path.cwd()))
    return str(path)


def location(defs: Sequence[StepDef], step_type: str, text: str) -> str:
    """Where the step definition a step matches is: ``file:line`` (relative where it can be)."""
    for definition in find(defs, step_type, text):
        function = definition.contexts[0].step_func
        source = inspect.getsourcefile(function)
        if source:
            return f"{_shown(Path(source))}:{inspect.getsourcelines(function)[1]}"
    return ""


def _complete_run(
    element: dict[str, Any], info: ScenarioInfo | None, defs: Sequence[StepDef]
) -> tuple[tuple[int, int], dict[str, Any]]:
    """One scenario run completed, with its place in file order: (scenario line, Examples row)."""
    element["tags"] = [_tag(tag) for tag in element.get("tags", [])]
    if info is None:
        return (int(element.get("line", 0)), 0), element
    row, values = _row(info, str(element.get("id", "")))
    if info.tables and row is not None:
        table = _table_of(info, row)
        known = {tag["name"] for tag in element["tags"]}
        element["tags"] += [
            {"name": f"@{t}", "line": table.line - 1} for t in sorted(table.tags) if f"@{t}" not in known
        ]
    lines = {step.line: (kind, step) for kind, step, _ in typed_steps(info)}
    failed = False
    for step in element.get("steps", []):
        kind, source = lines.get(step.get("line"), ("", None))
        if source is not None:
            _add_arguments(step, source, values)
            if defs and not step.get("match", {}).get("location"):
                step["match"] = {"location": location(defs, kind, _filled(source.text, values))}
        result = step.setdefault("result", {})
        if failed:
            result["status"] = "skipped"
            result.pop("error_message", None)
        failed = failed or result.get("status") == "failed"
    return (info.line, row or 0), element


def _tag(tag: dict[str, Any]) -> dict[str, Any]:
    name = str(tag.get("name", ""))
    return {**tag, "name": name if name.startswith("@") else f"@{name}"}


def _same_file(path: Path, uri: str) -> bool:
    return bool(uri) and (str(path) == uri or str(path.resolve()).endswith("/" + uri.lstrip("./")))


def _row(info: ScenarioInfo, element_id: str) -> tuple[int | None, dict[str, str]]:
    """Which Examples row a run is (pytest's id ends with the row's values joined by -), and its values."""
    suffix = element_id.rpartition("[")[2].rstrip("]") if element_id.endswith("]") else None
    for index, values in enumerate(info.rows()):
        if values is not None and suffix == "-".join(values.values()):
            return index, values
    return None, {}


def _table_of(info: ScenarioInfo, row: int) -> Any:
    for table in info.tables:
        if row < len(table.rows):
            return table
        row -= len(table.rows)
    return info.tables[-1]


def _add_arguments(step: dict[str, Any], source: StepLine, values: dict[str, str]) -> None:
    """A step's data table and doc string, with the Examples row's values for its placeholders."""
    if source.table and "rows" not in step:
        step["rows"] = [{"cells": [_filled(cell, values) for cell in row]} for row in source.table]
    if source.docstring is not None and "doc_string" not in step:
        step["doc_string"] = {"value": _filled(source.docstring, values), "line": source.line + 1}


def _filled(text: str, values: dict[str, str]) -> str:
    return re.sub(r"<([^<>]+)>", lambda m: values.get(m.group(1), m.group(0)), text)
