"""The README's examples run as written: its Python block and its Gherkin scenario."""

import re

from paths import ROOT

from syncsim.harness.tools.runner import run_features

README = (ROOT / "README.md").read_text()


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


def test_the_bring_your_own_data_commands_run_as_written(tmp_path, monkeypatch, capsys):
    """Each command of the section, in order, from the repository (the samples' paths), writing
    into a temporary folder; every one ends with exit code 0."""
    import shlex

    from syncsim.harness.tools.cli import main

    section = README.split("## Bring your own data", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    root = ROOT
    monkeypatch.chdir(tmp_path)
    commands = [shlex.split(line.split("  #", 1)[0]) for line in block.splitlines() if line.strip()]
    assert len(commands) >= 10
    for words in commands:
        assert words[0] == "syncsim"
        argv = [str(root / word) if (root / word).exists() and "/" in word else word for word in words[1:]]
        assert main(argv) == 0, words
    out = capsys.readouterr().out
    assert "80 would be lost" in out and "0 would be lost" in out
    assert (tmp_path / "fix.csv").is_file() and (tmp_path / "whatif.html").is_file()
