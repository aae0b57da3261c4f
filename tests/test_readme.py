"""The README's examples run as written: its Python block and its Gherkin scenario."""

import re
from pathlib import Path

from syncsim.harness.tools.runner import run_features

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def test_the_python_example_runs(capsys):
    [example] = _blocks("python")
    exec(compile(example, "README.md", "exec"), {})
    assert "skipped TASK-ASSIGNED-OFF" in capsys.readouterr().out


def test_the_scenario_written_from_the_steps_passes(tmp_path):
    [scenario] = _blocks("gherkin")
    feature = tmp_path / "readme.feature"
    feature.write_text(
        "Feature: the README's example\n\n  Background:\n    Given a new organization\n\n" + scenario
    )
    result = run_features([feature], ["-q", "-p", "no:xdist"])
    assert result.exit_code == 0 and result.total["passed"] == 1, result.failed
