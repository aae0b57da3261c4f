"""Checks .feature files without running them, each finding with its file and line.

What it finds: steps that match no definition (with the closest phrases), steps that match more
than one, duplicate scenario names in a feature (pytest-bdd keeps only the last), upper-case
rule-style tags that name no rule, scenarios indented as if they stood outside the ``Rule:`` they
belong to, Outline placeholders missing from the Examples, and empty Examples.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import filters
from ..rules import RULES
from . import features, stepcatalog

_PLACEHOLDER = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{features.shown(self.path)}:{self.line}: {self.code}: {self.message}"


def lint(paths: Iterable[str | Path], steps: Sequence[str] = ()) -> list[Finding]:
    """Every finding in the feature files under ``paths``, sorted by file and line, against
    syncsim's steps and the ``steps`` modules (a team's own)."""
    defs = stepcatalog.definitions(steps)
    findings: set[Finding] = set()
    for path in features.feature_files(paths):
        scenarios = list(features.read(path))
        findings |= _duplicate_names(scenarios)
        for info in scenarios:
            findings |= _tags(info) | _rule_indentation(info) | _examples(info) | _steps(info, defs)
    return sorted(findings)


def _duplicate_names(scenarios: list[features.ScenarioInfo]) -> set[Finding]:
    counts = Counter(info.name for info in scenarios)
    return {
        Finding(
            str(info.path),
            info.line,
            "duplicate-name",
            f"scenario name {info.name!r} is used {counts[info.name]} times in this feature; "
            "pytest-bdd keeps only the last one",
        )
        for info in scenarios
        if counts[info.name] > 1
    }


def _tags(info: features.ScenarioInfo) -> set[Finding]:
    """A tag shaped like a rule ID that is close to one is a misspelt rule; one close to none
    (``@JIRA-42``) is the team's own tag and passes."""
    close = {tag: difflib.get_close_matches(tag, RULES, 3) for tag in info.rule_tags - RULES.keys()}
    return {
        Finding(
            str(info.path),
            info.line,
            "unknown-rule-tag",
            f"@{tag} names no rule; closest: {', '.join(matches)}",
        )
        for tag, matches in close.items()
        if matches
    }


def _rule_indentation(info: features.ScenarioInfo) -> set[Finding]:
    if info.rule_column is None or info.column > info.rule_column:
        return set()
    return {
        Finding(
            str(info.path),
            info.line,
            "scenario-in-rule",
            f"scenario {info.name!r} is indented like its Rule {info.rule!r} but belongs to it "
            "(and takes its tags and Background); indent it under the Rule or move it above",
        )
    }


def _examples(info: features.ScenarioInfo) -> set[Finding]:
    found: set[Finding] = set()
    used = {
        name
        for text in [s.text for s in info.steps] + list(info.cells)
        for name in _PLACEHOLDER.findall(text)
    }
    if not used and not info.tables:
        return found
    if used and not info.tables:
        found.add(Finding(str(info.path), info.line, "empty-examples", "an Outline without Examples"))
    for table in info.tables:
        if not table.rows:
            found.add(Finding(str(info.path), table.line, "empty-examples", "Examples without rows"))
        missing = sorted(used - set(table.columns))
        if missing and table.columns:
            found.add(
                Finding(
                    str(info.path),
                    table.line,
                    "missing-placeholder",
                    f"<{'>, <'.join(missing)}> not in the Examples columns ({', '.join(table.columns)})",
                )
            )
    return found


def _steps(info: features.ScenarioInfo, defs: list[stepcatalog.StepDef]) -> set[Finding]:
    found: set[Finding] = set()
    for row in info.rows():
        for step_type, step, text in stepcatalog.typed_steps(info, row):
            if _PLACEHOLDER.search(text):
                continue  # a placeholder the Examples lack: reported as missing-placeholder
            matches = stepcatalog.find(defs, step_type, text)
            if not matches:
                found.add(Finding(str(info.path), step.line, "unknown-step", _unknown(step_type, text, defs)))
            elif len(matches) > 1:
                phrases = "; ".join(f"{m.area}: {m.phrase}" for m in matches)
                found.add(Finding(str(info.path), step.line, "ambiguous-step", f"{text!r} matches {phrases}"))
            found |= _filter_of(info, step)
    return found


def _unknown(step_type: str, text: str, defs: list[stepcatalog.StepDef]) -> str:
    """Why no step matches: a value the phrase does not take (a contact in an attachment step),
    a phrase of another keyword (a Then under Given), else the closest phrases."""
    refused = stepcatalog.refusal(defs, step_type, text)
    if refused:
        return f"{text!r}: {refused}"
    elsewhere = [
        kind for kind in stepcatalog.STEP_TYPES if kind != step_type and stepcatalog.find(defs, kind, text)
    ]
    if elsewhere:
        return (
            f"no {step_type} step matches {text!r}, but a {elsewhere[0].capitalize()} step does: "
            f"put it under {elsewhere[0].capitalize()} (an And after a {step_type.capitalize()} is a "
            f"{step_type.capitalize()} too)"
        )
    phrases = [d.phrase for d in defs if step_type in d.types]
    closest = difflib.get_close_matches(text, phrases, n=3, cutoff=0.4)
    hint = "; closest: " + " | ".join(closest) if closest else ""
    return f"no {step_type} step matches {text!r}{hint} (syncsim steps lists them all)"


def _filter_of(info: features.ScenarioInfo, step: features.StepLine) -> set[Finding]:
    """A FetchXML doc string read as the run will read it: a filter syncsim cannot take is a
    finding at its step (the run would fail there)."""
    if not step.docstring or "<fetch" not in step.docstring:
        return set()
    try:
        filters.parse(step.docstring, "the FetchXML")
    except filters.FilterError as bad:
        return {Finding(str(info.path), step.line, "bad-filter", str(bad))}
    return set()
