"""A run compared with a saved one: ``syncsim run --save-baseline FILE`` keeps how each scenario
run went (passed, failed and at which step, not applicable); ``--baseline FILE`` names every
run that went worse since: it fails now where it passed, or fails at another step than it did.

A sync program outside the process rarely passes everything; its known failures then hide a new
one among them (a program that re-creates an item after a lost response may change no count).
Compared run by run, step by step, the new failure is named. The file is JSON, one entry a run,
keyed by its address (``features/x.feature:LINE``), in the runs' order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .features import ScenarioInfo
from .runner import RunAddresses, RunResult

FORMAT = "syncsim-baseline/1"


@dataclass(frozen=True)
class Outcome:
    """How one scenario run went."""

    run: str
    name: str
    outcome: str
    failed_at: str | None = None

    def said(self) -> str:
        if self.outcome != "failed":
            return "passed" if self.outcome == "passed" else "not applicable"
        return f"failed at {self.failed_at}" if self.failed_at else "failed"


@dataclass(frozen=True)
class Change:
    """A run that went worse than in the baseline (``was`` None: the baseline did not have it)."""

    now: Outcome
    was: Outcome | None

    def __str__(self) -> str:
        before = self.was.said() if self.was else "not in the baseline"
        return f"{self.now.run}: {self.now.name}: {self.now.said()} (baseline: {before})"


def outcomes(result: RunResult, infos: Sequence[ScenarioInfo]) -> list[Outcome]:
    addresses = RunAddresses(infos)
    return [
        Outcome(addresses.of(r), addresses.name(r), r.outcome, r.failed_at if r.outcome == "failed" else None)
        for r in result.runs
    ]


def dumps(found: Sequence[Outcome], engine: str) -> str:
    runs = [{k: v for k, v in asdict(o).items() if v is not None} for o in found]
    return json.dumps({"format": FORMAT, "engine": engine, "runs": runs}, indent=1) + "\n"


def load(path: Path) -> list[Outcome]:
    """The outcomes a saved baseline holds; ValueError naming what is wrong with the file."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as bad:
        raise ValueError(f"--baseline {path}: cannot be read as a baseline ({bad})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("runs"), list):
        raise ValueError(f"--baseline {path}: not a baseline syncsim saved (--save-baseline FILE makes one)")
    try:
        return [Outcome(**entry) for entry in data["runs"]]
    except TypeError as bad:
        raise ValueError(f"--baseline {path}: a run entry is not one syncsim wrote ({bad})") from None


@dataclass
class Comparison:
    """A run against its baseline: the runs that went worse (named), those that fail as before,
    those that fail no more, and the baseline's runs this run did not have."""

    worse: list[Change]
    known: int
    better: list[Outcome]
    missing: list[str]

    def lines(self) -> list[str]:
        counts = f"{len(self.worse)} worse, {self.known} failing as before, {len(self.better)} fixed"
        out = [f"against the baseline: {counts}"]
        if self.missing:
            out.append(f"{len(self.missing)} run(s) of the baseline did not run: {', '.join(self.missing)}")
        out += [f"  worse: {change}" for change in self.worse]
        return out


def compare(now: Sequence[Outcome], baseline: Sequence[Outcome]) -> Comparison:
    """Worse: a run that fails now where the baseline passed, was not applicable or had no such
    run, or fails at another step than the baseline's."""
    before = {o.run: o for o in baseline}
    worse, better, known = [], [], 0
    for outcome in now:
        was = before.get(outcome.run)
        failed_before = was is not None and was.outcome == "failed"
        if outcome.outcome != "failed":
            if failed_before:
                better.append(outcome)
        elif failed_before and was is not None and was.failed_at == outcome.failed_at:
            known += 1
        else:
            worse.append(Change(outcome, was))
    ran = {o.run for o in now}
    return Comparison(worse, known, better, [o.run for o in baseline if o.run not in ran])
