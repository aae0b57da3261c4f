"""Exploration: the state machine keeps every invariant under the reference engine; against the
deliberately wrong naive engine it finds a violation and writes a reproducer that fails there and
passes under the reference engine."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from syncsim.harness.tools.cli import main
from syncsim.harness.tools.explore import machine
from syncsim.harness.tools.runner import run_features

ReferenceMachine = machine("reference", 0)
TestReferenceEngineKeepsTheInvariants = ReferenceMachine.TestCase
TestReferenceEngineKeepsTheInvariants.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def naive_reproducer(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reproducers")
    assert main(["explore", "--engine", "naive", "--seed", "1", "--out", str(out)]) == 1
    [feature] = out.glob("*.feature")
    return feature


def test_the_reproducer_is_a_feature_in_our_own_steps(naive_reproducer):
    text = naive_reproducer.read_text()
    assert text.startswith("Feature: Reproducer: no-silent-loss broken by the naive engine")
    assert main(["lint", str(naive_reproducer)]) == 0


def test_the_reproducer_fails_under_the_naive_engine(naive_reproducer):
    result = run_features([naive_reproducer], ["-q", "-p", "no:xdist"], engine="naive")
    assert result.exit_code == 1 and result.total["failed"] == 1


def test_the_reproducer_passes_under_the_reference_engine(naive_reproducer):
    result = run_features([naive_reproducer], ["-q", "-p", "no:xdist"])
    assert result.exit_code == 0 and result.total["passed"] == 1


def test_explore_reports_no_violation_for_the_reference_engine(tmp_path, capsys):
    assert main(["explore", "--seed", "3", "--max-examples", "20", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 violations in 20 sequences" in out
    assert "explored 10 of 20 sequences" in out and "explored 20 of 20 sequences" in out  # progress in a log
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explore", "--engine", "nope"], "unknown engine 'nope'; engines: reference, naive"),
        (["explore", "--engine", "syncsim.harness.world:Missing"], "cannot be loaded"),
        (["explore", "--max-examples", "0"], "0 must be 1 or more"),
        (["explore", "--out", "/no/such/folder"], "not a folder"),
    ],
)
def test_explore_bad_input(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_team_engine_is_loaded_by_module_and_class():
    feature = Path(__file__).resolve().parents[1] / "features" / "basic_sync.feature"
    engine = "syncsim.harness.engine.reference:ReferenceEngine"
    assert main(["run", str(feature), "--engine", engine]) == 0


CRASHING = '''
from syncsim.harness.engine.reference import ReferenceEngine


class CrashOnTasks(ReferenceEngine):
    """A candidate engine with a defect a real one could have: it cannot handle tasks."""

    name = "crash-on-tasks"

    def cycle(self, context, report):
        if context.crm.ids("task"):
            raise RuntimeError("tasks are not supported yet")
        super().cycle(context, report)
'''


def test_an_engine_that_crashes_exits_3_with_a_reproducer_of_the_crash(tmp_path, monkeypatch, capsys):
    (tmp_path / "crashing_engine.py").write_text(CRASHING)
    monkeypatch.syspath_prepend(str(tmp_path))
    engine = "crashing_engine:CrashOnTasks"
    out = tmp_path / "out"
    out.mkdir()
    assert (
        main(["explore", "--engine", engine, "--seed", "1", "--max-examples", "200", "--out", str(out)]) == 3
    )
    printed = capsys.readouterr().out
    assert "the engine crashed: RuntimeError: tasks are not supported yet" in printed
    assert "does not lint" not in printed
    [feature] = out.glob("*.feature")
    assert feature.read_text().startswith(
        "Feature: Reproducer: crash of the crashing_engine:CrashOnTasks engine"
    )
    assert main(["lint", str(feature)]) == 0
    assert run_features([feature], ["-q", "-p", "no:xdist"], engine=engine).total["failed"] == 1
    assert run_features([feature], ["-q", "-p", "no:xdist"]).total["passed"] == 1
