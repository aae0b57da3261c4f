"""The feature linter: each deliberately broken sample yields its finding, at the right file and line;
the project's own features are clean."""

from dataclasses import replace
from pathlib import Path

import pytest
from paths import FEATURES

from syncsim.harness.tools import features, lint, stepcatalog
from syncsim.harness.tools.cli import main

SAMPLES = Path(__file__).parent / "lint_samples"


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("unknown_step", {("unknown-step", 5)}),
        ("duplicate_name", {("duplicate-name", 3), ("duplicate-name", 6)}),
        ("unknown_rule_tag", {("unknown-rule-tag", 4)}),
        ("scenario_in_rule", {("scenario-in-rule", 9)}),
        ("missing_placeholder", {("missing-placeholder", 7)}),
        ("empty_examples", {("empty-examples", 7)}),
    ],
)
def test_each_broken_sample_yields_its_finding(sample, expected):
    path = SAMPLES / f"{sample}.feature"
    findings = lint.lint([path])
    assert {(f.code, f.line) for f in findings} == expected
    assert {f.path for f in findings} == {str(path)}


def test_an_unknown_step_comes_with_the_closest_phrases():
    [finding] = lint.lint([SAMPLES / "unknown_step.feature"])
    assert "closest: the sync runs" in finding.message


def test_a_step_two_definitions_match_is_ambiguous(monkeypatch):
    defs = stepcatalog.definitions()
    [runs] = [d for d in defs if d.phrase == "the sync runs"]
    monkeypatch.setattr(stepcatalog, "definitions", lambda *_: [*defs, replace(runs, area="copy")])
    findings = lint.lint([FEATURES / "basic_sync.feature"])
    assert findings and {f.code for f in findings} == {"ambiguous-step"}
    assert "common: the sync runs; copy: the sync runs" in findings[0].message


def test_the_projects_features_are_clean():
    assert lint.lint([FEATURES]) == []


def test_lint_command_exit_codes(capsys):
    assert main(["lint", str(FEATURES)]) == 0
    assert main(["lint", str(SAMPLES)]) == 1
    out = capsys.readouterr().out
    assert f"{features.shown(SAMPLES / 'unknown_step.feature')}:5: unknown-step" in out


def test_run_refuses_broken_files(capsys):
    assert main(["run", str(SAMPLES / "duplicate_name.feature")]) == 1
    assert "fix them before running" in capsys.readouterr().out
