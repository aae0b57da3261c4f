"""The pytest plugin (entry point ``syncsim``) that makes any folder of .feature files runnable.

Installed with syncsim, plain pytest loads it: every step module, each catalogue rule ID and
channel tag as a marker (so ``pytest -m APPT-ATTACH-RECURRING`` selects exactly that rule), the
options that pick the engine, select by tag expression and switch rules off for the mutation
check, the team's own step modules and settings (``[tool.syncsim]``, see
:mod:`syncsim.harness.tools.project`), and the collection of .feature files themselves
(:mod:`syncsim.harness.tools.collect`).
"""

from __future__ import annotations

import weakref
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.reporting import ReportContext, test_report_context_registry

from ..harness.rules import CHANNELS, PROFILES, RULES, not_holding
from ..harness.tools import collect, features, project, tags
from ..harness.tools.scenario import Expectation

pytest_plugins = [
    "syncsim.steps.common",
    "syncsim.steps.settings",
    "syncsim.steps.items",
    "syncsim.steps.attachments",
    "syncsim.steps.tasks",
    "syncsim.steps.robustness",
    "syncsim.steps.deletes",
    "syncsim.steps.filters",
    "syncsim.steps.timing",
    "syncsim.steps.fields",
    "syncsim.steps.mailboxes",
]

#: Feature tags that pin a channel, by channel.
CHANNEL_TAGS = {"outlook": "outlook-client", "server-side": "server-side"}
assert set(CHANNEL_TAGS) == set(CHANNELS)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("syncsim")
    group.addoption(
        "--engine",
        default="reference",
        help="the sync engine the scenarios run against (default: reference)",
    )
    group.addoption(
        "--engine-cmd",
        metavar="COMMAND",
        help="judge a sync program outside the process: each sync runs COMMAND once per user against "
        "the fake Dataverse and Graph over HTTP (URLs and token in SYNCSIM_* variables)",
    )
    group.addoption(
        "--engine-tls",
        action="store_true",
        help="with --engine-cmd: serve HTTPS, with a certificate from a local CA made at start; the "
        "program finds the CA's certificate in SYNCSIM_CA_BUNDLE",
    )
    group.addoption(
        "--engine-persistent",
        action="store_true",
        help="with --engine-cmd: start each user's program once a scenario and send it a line 'sync' "
        "for each cycle (SYNCSIM_PROTOCOL=lines), not once a cycle",
    )
    group.addoption(
        "--engine-page-size",
        type=int,
        metavar="N",
        help="with --engine-cmd: no collection serves a page larger than N (paging shows in small scenarios)",
    )
    group.addoption(
        "--tags",
        metavar="EXPRESSION",
        help="run only the scenarios a Cucumber tag expression selects, "
        'e.g. "@APPT-ATTACH-ON and not @server-side"',
    )
    group.addoption(
        "--feature-files",
        action="store_true",
        help="collect the .feature files pytest is pointed at as tests (syncsim run does; "
        "collect-features = true under [tool.syncsim] does it for every run)",
    )
    group.addoption(
        "--profile",
        choices=PROFILES,
        help="every organization follows this profile (crm2015, the default, or d365), and only the "
        "scenarios whose rules hold under it run",
    )
    group.addoption(
        "--disable-rule",
        action="append",
        default=[],
        metavar="RULE-ID",
        help="switch one catalogue rule off in the engine (the mutation check uses it)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, args: list[str]) -> None:
    """``file.feature:LINE`` on the command line: the file for pytest, the line for us."""
    early_config.stash[collect.LINES] = collect.take_line_arguments(args)


_PROJECT = pytest.StashKey[project.Project]()


def pytest_configure(config: pytest.Config) -> None:
    try:
        team = project.find(config.rootpath)
        project.import_steps(team, config.pluginmanager.import_plugin)
        # a team's tags are markers too, also where its own test module binds the features
        paths = [path for path in team.features or [config.rootpath / "features"] if path.exists()]
        collect.register_tags(config, (tag for info in features.scenarios(paths) for tag in info.tags))
    except ValueError as bad:
        raise pytest.UsageError(str(bad)) from None
    config.stash[_PROJECT] = team
    for rule in RULES.values():
        config.addinivalue_line("markers", f"{rule.id}: {rule.statement}")
    for channel, tag in CHANNEL_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: pins the scenario to the {channel} channel")
    config.addinivalue_line(
        "markers", "regression: a reproducer of a bug found and fixed (features/regressions)"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".feature":
        return None
    if parent.config.getoption("feature_files") or parent.config.stash[_PROJECT].collect_features:
        return collect.FeatureFile.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``file.feature:LINE`` arguments, then ``--tags``: keep the scenario runs whose tags
    (pytest-bdd makes each a marker, Examples tags included) match the expression."""
    keep, drop = collect.split_by_lines(items, config.stash.get(collect.LINES, {}))
    text = config.getoption("tags")
    if text:
        try:
            parsed = tags.expression(text)
        except ValueError as bad:
            raise pytest.UsageError(str(bad)) from None
        drop += [item for item in keep if not tags.selects(parsed, (m.name for m in item.iter_markers()))]
        keep = [item for item in keep if tags.selects(parsed, (m.name for m in item.iter_markers()))]
    profile = config.getoption("profile")
    if profile:  # a scenario of a rule that does not hold under the profile is not run
        others = not_holding(profile)
        drop += [item for item in keep if others & {m.name for m in item.iter_markers()}]
        keep = [item for item in keep if not others & {m.name for m in item.iter_markers()}]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_WHERE = pytest.StashKey[str]()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Note where the scenario is, for its failure report."""
    request.node.stash[_WHERE] = (
        f"{features.shown(feature.filename)}:{scenario.line_number}: Scenario: {scenario.name}"
    )


def _note_profile(request: pytest.FixtureRequest) -> None:
    """The profile the run's organization follows now, for the reports (a step may have chosen it)."""
    try:
        sim = request.getfixturevalue("sim")
    except pytest.FixtureLookupError:  # a scenario with no organization
        return
    request.node.stash[collect.PROFILE] = sim.world.settings.profile


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """A scenario run by an engine that reports no events, whose every Then check read events or
    losses, is not applicable to that engine: skipped, with the checks named."""
    _note_profile(request)
    if request.node.stash.get(_FAILED, False):
        return
    try:
        checks = request.getfixturevalue("sim").not_applicable
    except pytest.FixtureLookupError:  # a scenario with no organization
        return
    thens = [step for step in scenario.steps if step.type == "then"]
    if checks and len(checks) >= len(thens):
        pytest.skip(f"not applicable to an engine outside the process: {'; '.join(sorted(set(checks)))}")


_FAILED = pytest.StashKey[bool]()


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, step: Any, **_: Any) -> None:
    """Note the step that failed, with its own line (and the profile the organization followed)."""
    _note_profile(request)
    request.node.stash[_FAILED] = True
    where = request.node.stash.get(_WHERE, "")
    failed = f"{features.shown(feature.filename)}:{step.line_number}: {step.keyword.strip()} {step.name}"
    request.node.stash[_WHERE] = f"{where}\n  failed at {failed}"
    request.node.stash[collect.FAILED_AT] = failed


def _failure(call: pytest.CallInfo[None], report: pytest.TestReport, verbosity: int) -> str:
    """What failed, short: a Then's expected/found and the cycle's events, or the error in one
    line; with -v, pytest's whole account (the traceback) as well."""
    excinfo = call.excinfo
    if excinfo is None or verbosity > 0:
        return f"\n{report.longreprtext}"
    if isinstance(excinfo.value, Expectation):
        return str(excinfo.value)
    return f"{excinfo.typename}: {excinfo.value}\n(run with -v for the traceback)"


_CONTEXT = "pytest-bdd-scenario"
#: reports made in a pytest-xdist worker: what they carry is read by the controller, not here
_TRAVELLING: weakref.WeakSet[pytest.TestReport] = weakref.WeakSet()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """The failure text, then what the controller needs in user_properties, which pytest-xdist
    sends over: where the run is in its feature file, and pytest-bdd's scenario report.

    pytest-bdd 9.0 keeps the latter in a registry local to the worker, so ``--cucumberjson``
    under ``-n`` writes ``[]``; with this and the hook below the controller gets every scenario.
    """
    outcome = yield
    report = outcome.get_result()
    where = item.stash.get(_WHERE, None)
    if where and report.failed and report.when == "call":  # the feature line first, then what failed
        report.longrepr = f"{where}\n{_failure(call, report, item.config.get_verbosity())}"
    where_is = collect.address(item)
    if where_is is not None:
        report.user_properties.append((collect.RUN_PROPERTY, where_is))
    context = test_report_context_registry.get(report)
    if hasattr(item.config, "workerinput"):
        _TRAVELLING.add(report)
        if context is not None:
            report.user_properties.append((_CONTEXT, {"scenario": context.scenario, "name": context.name}))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Where the report is read (not in a worker): what travelled in the user properties taken
    out of them (JUnit XML would show each as a property holding a Python repr) and put back
    in its place: pytest-bdd's scenario report in its registry, the run's address on the report."""
    if report in _TRAVELLING:
        return
    carried = dict(report.user_properties)
    if _CONTEXT in carried:
        test_report_context_registry[report] = ReportContext(**carried[_CONTEXT])  # type: ignore[arg-type]
    if collect.RUN_PROPERTY in carried:
        collect.keep_address(report, carried[collect.RUN_PROPERTY])
    report.user_properties = [
        (key, value) for key, value in report.user_properties if key not in (_CONTEXT, collect.RUN_PROPERTY)
    ]
