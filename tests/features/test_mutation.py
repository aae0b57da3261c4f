"""The mutation check: switching any one guard off in the engine makes one of its rule's scenarios fail.

Each case runs the rule's scenarios in-process with ``--disable-rule RULE``; the engine (and the
settings) then do what the guard table (``harness/engine/guards.py``) declares for that case.
A rule whose scenarios still pass would be a rule nothing tests.
"""

from collections import Counter
from pathlib import Path

import pytest
from paths import FEATURES

from syncsim.harness.engine.guards import GUARDS
from syncsim.harness.tools import features

SCENARIOS = features.scenarios([FEATURES])


class Outcomes:
    """A pytest plugin that counts the outcomes of the inner run."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.counts[report.outcome] += 1


def run_rule(tmp_path: Path, rule_id: str, *extra: str) -> Counter[str]:
    files = sorted({str(s.path.resolve()) for s in SCENARIOS if rule_id in s.tags})
    outcomes = Outcomes()
    args = [*files, "-p", "syncsim", "--feature-files", "-p", "no:cacheprovider", "-p", "no:xdist"]
    args += ["-p", "no:unraisableexception"]  # its gc.collect() at the end is a third of a small run
    args += ["-q", "--no-header", "-o", "addopts=", "--rootdir", str(tmp_path), "-m", rule_id]
    pytest.main([*args, *extra], plugins=[outcomes])
    return outcomes.counts


@pytest.mark.parametrize("rule_id", list(GUARDS))
def test_switching_the_rule_off_fails_one_of_its_scenarios(tmp_path, rule_id):
    """Each guard of the table (one per catalogue rule), switched off, is noticed by a scenario.
    (With the rule on, the same scenarios pass: tests/features/test_features.py runs them all,
    and tests/test_rules.py checks each rule has a scenario and a contrast.)"""
    mutated = run_rule(tmp_path, rule_id, "--disable-rule", rule_id)
    assert mutated["failed"] >= 1, f"no scenario of {rule_id} noticed the rule switched off: {mutated}"
