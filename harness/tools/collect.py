"""pytest meets .feature files itself: each file a test module, each scenario run a test.

``syncsim run`` collects this way, and so does plain pytest in a team's repository
(``collect-features = true`` under ``[tool.syncsim]``, or ``--feature-files``). What it gives:

* node IDs made of the feature's path and the scenario's name (``features/shop.feature::
  test_a_new_contact_reaches_outlook[outlook]``): the same every run, so JUnit names, ``--lf``
  and a CI's test history hold;
* each run located at its scenario's line, and ``file.feature:LINE`` selecting the scenario, the
  Examples table or the Examples row at that line;
* every tag of the files a registered marker, so a team's ``@smoke`` passes ``--strict-markers``.

No test module is written anywhere: the module pytest collects is made in memory from the file.
"""

from __future__ import annotations

import os
import re
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario

from . import features

#: where each collected run comes from: (the scenario as our reader sees it, the run's index)
RUN = pytest.StashKey[tuple[features.ScenarioInfo, int]]()
#: ``file.feature:LINE`` arguments, by resolved file: the lines asked for
LINES = pytest.StashKey[dict[Path, set[int]]]()
_TAGS = pytest.StashKey[set[str]]()
#: the seed of the run's organization, for the reports
SEED = pytest.StashKey[int]()
#: the profile the run's organization followed (at its end: a step may choose it), for the reports
PROFILE = pytest.StashKey[str]()
#: the step a failed run failed at (``features/x.feature:14: Then ...``), for baselines
FAILED_AT = pytest.StashKey[str]()
#: the user property a run's address travels in (from a pytest-xdist worker, too)
RUN_PROPERTY = "syncsim-run"

_EXAMPLE = "_pytest_bdd_example"


class FeatureFile(pytest.Module):
    """A .feature file as a pytest module made in memory, one test function per scenario."""

    def _getobj(self) -> types.ModuleType:
        infos = list(features.read(self.path))
        register_tags(self.config, (tag for info in infos for tag in info.tags))
        module = types.ModuleType(f"syncsim_features.{_slug(str(self.path))}")
        module.__file__ = str(self.path)
        self._scenarios: dict[str, features.ScenarioInfo] = {}
        for info in infos:
            name = _test_name(info.name, module.__dict__)
            module.__dict__[name] = scenario(str(self.path.resolve()), info.name)(_no_body)
            self._scenarios[name] = info
        return module

    def funcnamefilter(self, name: str) -> bool:
        """Our own test names, whatever the team's ``python_functions`` says."""
        return name in getattr(self, "_scenarios", {})

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        collected = list(super().collect())
        shown = os.path.relpath(self.path, self.config.rootpath)
        for item in collected:
            info = self._scenarios.get(getattr(item, "originalname", ""))
            if info is None:
                continue
            callspec = getattr(item, "callspec", None)
            item.stash[RUN] = (info, callspec.indices.get(_EXAMPLE, 0) if callspec else 0)
            # where the run is: the scenario's line (pytest's locations count from 0)
            item.__dict__["location"] = (shown, info.line - 1, f"Scenario: {info.name}")
        return collected


def _no_body() -> None:
    """The scenario's steps are the test; nothing runs after them."""


def _test_name(scenario_name: str, taken: dict[str, Any]) -> str:
    base = "test_" + _slug(scenario_name.lower())
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_") or "scenario"


def register_tags(config: pytest.Config, tags: Iterable[str]) -> None:
    """Declare each tag as a marker once (pytest-bdd turns tags into marks)."""
    known = config.stash.setdefault(_TAGS, set())
    for tag in sorted(set(tags) - known):
        config.addinivalue_line("markers", f"{tag}: a tag of the feature files")
        known.add(tag)


def take_line_arguments(args: list[str]) -> dict[Path, set[int]]:
    """``file.feature:LINE`` arguments become ``file.feature`` (in place, for pytest) and are
    returned as the lines to select, by file."""
    lines = features.lines_asked(args)
    for index, arg in enumerate(args):
        match = features.LINE_ARGUMENT.match(arg)
        if match and Path(match["path"]).resolve() in lines:
            args[index] = match["path"]
    return lines


def split_by_lines(
    items: list[pytest.Item], lines: dict[Path, set[int]]
) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """(kept, dropped) by ``file.feature:LINE`` arguments; runs of other files are kept."""
    read: dict[Path, list[features.ScenarioInfo]] = {}
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        run = item.stash.get(RUN, None)
        path = run[0].path.resolve() if run else None
        if run is None or path not in lines:
            kept.append(item)
            continue
        info, index = run
        infos = read.setdefault(path, list(features.read(info.path)))
        (kept if features.at_lines(infos, lines[path], info, index) else dropped).append(item)
    return kept, dropped


def address(item: pytest.Item) -> dict[str, Any] | None:
    """Where a run is and its seed, as plain data that travels between processes (None: not a
    run of a collected feature)."""
    run = item.stash.get(RUN, None)
    if run is None:
        return None
    info, index = run
    return {
        "path": str(info.path.resolve()),
        "line": info.line,
        "index": index,
        "seed": item.stash.get(SEED, None),
        "profile": item.stash.get(PROFILE, None),
        "failed_at": item.stash.get(FAILED_AT, None),
    }


def keep_address(report: pytest.TestReport, where: object) -> None:
    report.__dict__[RUN_PROPERTY] = where


def address_of(report: pytest.TestReport) -> dict[str, Any] | None:
    """The address :func:`keep_address` put on a report (None: not a run of a collected feature)."""
    found: dict[str, Any] | None = report.__dict__.get(RUN_PROPERTY)
    return found
