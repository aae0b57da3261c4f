"""Running .feature files through pytest-bdd from anywhere, and collecting each scenario's outcome.

pytest collects the files themselves (:mod:`syncsim.harness.tools.collect`), as it would in the
team's own repository: its configuration, its conftest.py and its plugins (Allure, JUnit, xdist)
take part, node IDs come from the feature paths, and ``--lf`` finds the last failures again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..rules import RULES
from .collect import address_of
from .features import ScenarioInfo, feature_files, shown
from .project import builtin_features


@dataclass(frozen=True)
class RunRecord:
    """How one scenario run went: where it is (feature file, scenario line, Examples row index)."""

    path: str
    line: int
    index: int
    outcome: str
    #: what failed (the feature line, the step, expected/found, the cycle's events); "" if it passed
    text: str
    seconds: float
    seed: int | None = None
    #: the profile its organization followed (crm2015, d365)
    profile: str | None = None
    #: the step it failed at, ``features/x.feature:14: Then ...`` (None: none failed)
    failed_at: str | None = None


@dataclass
class RunResult:
    exit_code: int
    #: rule ID -> outcome ("passed", "failed", "skipped") -> count of scenario runs
    by_rule: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    failed: list[str] = field(default_factory=list)
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    runs: list[RunRecord] = field(default_factory=list)
    #: rule ID -> the profiles its scenario runs' organizations followed
    profiles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def arguments_refused(self) -> bool:
        """pytest stopped at its command line (an unknown option, a plugin's option not installed)."""
        return self.exit_code == pytest.ExitCode.USAGE_ERROR


#: pytest-xdist's first line of a worker's failure text ("[gw0] linux -- Python 3.11.7 ...")
_WORKER_LINE = re.compile(r"\A\[gw\d+\] [^\n]*\n")


class _Recorder:
    """A pytest plugin that counts outcomes per rule tag (markers travel on the report)."""

    def __init__(self, result: RunResult) -> None:
        self.result = result

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.result.failed.append(f"{report.nodeid or 'collection'}: could not be collected")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" and report.outcome == "passed":
            return
        if report.when == "teardown" and report.outcome != "failed":
            return
        self.result.total[report.outcome] += 1
        if report.outcome == "failed":
            self.result.failed.append(report.nodeid)
        where = address_of(report)
        if where is not None:
            text = _WORKER_LINE.sub("", report.longreprtext) if report.failed else ""
            self.result.runs.append(
                RunRecord(**where, outcome=report.outcome, text=text, seconds=report.duration)
            )
        profile = (where or {}).get("profile")
        for name in report.keywords:
            if name in RULES:
                self.result.by_rule[name][report.outcome] += 1
                if profile:
                    self.result.profiles[name].add(profile)


def failed_runs(result: RunResult, infos: Sequence[ScenarioInfo]) -> list[str]:
    """Every failed scenario run, tagged or not, as ``file.feature:LINE`` (an Outline's run at
    its Examples row: the address that runs it again alone), in the files' order."""
    addresses = RunAddresses(infos)
    return [addresses.of(record) for record in result.runs if record.outcome == "failed"]


class RunAddresses:
    """Where runs are, as ``file.feature:LINE`` (an Outline's run at its Examples row: the
    address that runs it again alone), and their names."""

    def __init__(self, infos: Sequence[ScenarioInfo]) -> None:
        self.by_place = {(str(info.path.resolve()), info.line): info for info in infos}

    def of(self, record: RunRecord) -> str:
        info = self.by_place.get((record.path, record.line))
        runs = info.runs() if info is not None else []
        if record.index < len(runs):
            return runs[record.index][0]
        return f"{shown(record.path)}:{record.line}"

    def name(self, record: RunRecord) -> str:
        info = self.by_place.get((record.path, record.line))
        return info.title(record.index) if info is not None else ""


def run_features(
    paths: Sequence[str | Path],
    pytest_args: Sequence[str] = (),
    *,
    engine: str = "reference",
) -> RunResult:
    """Run the scenarios of ``paths`` (files or folders, ``file.feature:LINE`` too) with our steps;
    returns the outcomes."""
    files = feature_files(paths)
    result = RunResult(exit_code=0)
    args = [
        *map(str, paths),
        "-p",
        "syncsim",
        "--feature-files",
        # the scenarios run in the files' order, so reports come out the same every run
        "-p",
        "no:randomly",
        # syncsim's modules were imported before this run; nothing to rewrite there
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
        "--engine",
        engine,
        *_cache_outside(files),
        *pytest_args,
    ]
    result.exit_code = int(pytest.main(args, plugins=[_Recorder(result)]))
    return result


def _cache_outside(files: Sequence[Path]) -> list[str]:
    """The built-in features live inside the installed package: pytest's cache (``--lf``) goes to
    the current folder instead of in there."""
    inside, here = builtin_features(), Path.cwd().resolve()
    if here not in (inside, *inside.parents) and all(inside in path.resolve().parents for path in files):
        return ["-o", f"cache_dir={here / '.pytest_cache'}"]
    return []
