"""Running .feature files through pytest-bdd from anywhere, and collecting each scenario's outcome.

Any folder of .feature files written with our steps runs: a throwaway test module binds the files
with pytest-bdd's ``scenarios()`` and ``steps.plugin`` brings the step definitions, so no conftest
or test module is needed next to the features.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.rules import RULES
from harness.tools.features import feature_files, scenarios

PROJECT_FEATURES = Path(__file__).resolve().parents[2] / "features"


def default_features() -> Path:
    """The project's features/ folder, or ./features where the harness is installed elsewhere."""
    return PROJECT_FEATURES if PROJECT_FEATURES.is_dir() else Path("features")


@dataclass
class RunResult:
    exit_code: int
    #: rule ID -> outcome ("passed", "failed", "skipped") -> count of scenario runs
    by_rule: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    failed: list[str] = field(default_factory=list)
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))


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
        for name in report.keywords:
            if name in RULES:
                self.result.by_rule[name][report.outcome] += 1


def run_features(
    paths: Sequence[str | Path],
    pytest_args: Sequence[str] = (),
    *,
    engine: str = "reference",
) -> RunResult:
    """Run the scenarios of ``paths`` (files or folders) with our steps; returns the outcomes."""
    files = feature_files(paths)
    if not files:
        raise ValueError(f"no .feature files under {', '.join(map(str, paths))}")
    result = RunResult(exit_code=0)
    with tempfile.TemporaryDirectory(prefix="syncsim-run-") as tmp:
        # a fresh module name each run: pytest reuses an imported module of the same name
        binding = Path(tmp) / f"test_{Path(tmp).name.replace('-', '_')}.py"
        listed = ", ".join(repr(str(f.resolve())) for f in files)
        binding.write_text(f"from pytest_bdd import scenarios\n\nscenarios({listed})\n")
        (Path(tmp) / "pytest.ini").write_text(_ini_declaring_tags(files))
        args = [
            str(binding),
            "-c",
            str(Path(tmp) / "pytest.ini"),
            "--rootdir",
            tmp,
            "-p",
            "steps.plugin",
            "-p",
            "no:cacheprovider",
            # the scenarios run in the files' order, so reports come out the same every run
            "-p",
            "no:randomly",
            "--strict-markers",
            "--import-mode=importlib",
            # the harness imported faker and pytest-bdd before this run; nothing to rewrite there
            "-W",
            "ignore::pytest.PytestAssertRewriteWarning",
            "--engine",
            engine,
            *pytest_args,
        ]
        result.exit_code = int(pytest.main(args, plugins=[_Recorder(result)]))
    return result


def _ini_declaring_tags(files: Sequence[Path]) -> str:
    """The run's pytest.ini: every tag of these files is a declared marker, so a team's own tags
    (``@smoke``, ``@JIRA-42``) run and select under ``--strict-markers``; misspelt rule tags were
    refused by the lint before this."""
    tags = sorted({tag for info in scenarios(files) for tag in info.tags})
    return "[pytest]\nmarkers =\n" + "".join(f"    {tag}: a tag of the feature files\n" for tag in tags)
