"""The pytest plugin that makes any folder of our .feature files runnable.

It loads every step module, registers each catalogue rule ID and channel tag as a marker (so
``pytest -m APPT-ATTACH-RECURRING`` selects exactly that rule), and adds the options that pick
the engine and switch rules off for the mutation check.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.reporting import ReportContext, test_report_context_registry

from harness.rules import CHANNELS, RULES
from harness.tools import tags

pytest_plugins = [
    "steps.common",
    "steps.settings",
    "steps.items",
    "steps.attachments",
    "steps.tasks",
    "steps.robustness",
    "steps.deletes",
    "steps.filters",
    "steps.timing",
    "steps.fields",
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
        "--tags",
        metavar="EXPRESSION",
        help="run only the scenarios a Cucumber tag expression selects, "
        'e.g. "@APPT-ATTACH-ON and not @server-side"',
    )
    group.addoption(
        "--disable-rule",
        action="append",
        default=[],
        metavar="RULE-ID",
        help="switch one catalogue rule off in the engine (the mutation check uses it)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for rule in RULES.values():
        config.addinivalue_line("markers", f"{rule.id}: {rule.statement}")
    for channel, tag in CHANNEL_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: pins the scenario to the {channel} channel")
    config.addinivalue_line(
        "markers", "regression: a reproducer of a bug found and fixed (features/regressions)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--tags``: keep the scenario runs whose tags (pytest-bdd makes each a marker, Examples
    tags included) match the expression."""
    text = config.getoption("tags")
    if not text:
        return
    try:
        parsed = tags.expression(text)
    except ValueError as bad:
        raise pytest.UsageError(str(bad)) from None
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        (keep if tags.selects(parsed, (m.name for m in item.iter_markers())) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_WHERE = pytest.StashKey[str]()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Note where the scenario is, for its failure report."""
    request.node.stash[_WHERE] = (
        f"{_shown(feature.filename)}:{scenario.line_number}: Scenario: {scenario.name}"
    )


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, step: Any, **_: Any) -> None:
    """Note the step that failed, with its own line."""
    where = request.node.stash.get(_WHERE, "")
    failed = f"{_shown(feature.filename)}:{step.line_number}: {step.keyword.strip()} {step.name}"
    request.node.stash[_WHERE] = f"{where}\n  failed at {failed}"


def _shown(filename: str) -> str:
    """A feature's path relative to the current folder where it lies below it."""
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_CONTEXT = "pytest-bdd-scenario"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Carry pytest-bdd's scenario report in user_properties, which pytest-xdist sends over.

    pytest-bdd 9.0 keeps it in a registry local to the worker, so ``--cucumberjson`` under
    ``-n`` writes ``[]``; with this and the hook below the controller gets every scenario.
    """
    outcome = yield
    report = outcome.get_result()
    where = item.stash.get(_WHERE, None)
    if where and report.failed and report.when == "call":  # the feature line first, then pytest's account
        report.longrepr = f"{where}\n\n{report.longreprtext}"
    context = test_report_context_registry.get(report)
    if context is not None and hasattr(item.config, "workerinput"):
        report.user_properties.append((_CONTEXT, {"scenario": context.scenario, "name": context.name}))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """On the controller: the scenario's report back in pytest-bdd's registry, and out of the
    user properties (JUnit XML would show it as a property holding a Python repr)."""
    if report in test_report_context_registry:  # a worker's own report: it still has to travel
        return
    carried = [value for key, value in report.user_properties if key == _CONTEXT]
    if carried:
        test_report_context_registry[report] = ReportContext(**carried[0])  # type: ignore[arg-type]
        report.user_properties = [(key, value) for key, value in report.user_properties if key != _CONTEXT]
