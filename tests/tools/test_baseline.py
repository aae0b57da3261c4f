"""syncsim run --save-baseline / --baseline: a run compared with a saved one names every scenario
run that went worse (fails where it passed, or at another step), and only those fail the run."""

from __future__ import annotations

import json

import pytest
from paths import ROOT

from syncsim.harness.tools import baseline
from syncsim.harness.tools.baseline import Outcome
from syncsim.harness.tools.cli import main

CONTACTS = str(ROOT / "features" / "contacts.feature")
ONE_PROCESS = ["--", "-p", "no:xdist"]


def _outcome(run: str, outcome: str, step: str | None = None) -> Outcome:
    return Outcome(run, f"scenario at {run}", outcome, step)


def test_worse_is_a_new_failure_or_a_failure_at_another_step():
    saved = [
        _outcome("a:1", "passed"),
        _outcome("a:2", "failed", "a:4: Then x"),
        _outcome("a:5", "failed", "a:7: Then y"),
        _outcome("a:8", "failed", "a:9: Then z"),
        _outcome("a:10", "skipped"),
        _outcome("a:12", "passed"),
    ]
    now = [
        _outcome("a:1", "failed", "a:3: When w"),  # passed before
        _outcome("a:2", "failed", "a:4: Then x"),  # as before
        _outcome("a:5", "failed", "a:6: When v"),  # earlier than before
        _outcome("a:8", "passed"),  # fixed
        _outcome("a:10", "failed", "a:11: Then u"),  # was not applicable
        _outcome("a:20", "failed", "a:21: Then t"),  # not in the baseline
    ]
    compared = baseline.compare(now, saved)
    assert [c.now.run for c in compared.worse] == ["a:1", "a:5", "a:10", "a:20"]
    assert (compared.known, [o.run for o in compared.better], compared.missing) == (1, ["a:8"], ["a:12"])
    lines = compared.lines()
    assert lines[0] == "against the baseline: 4 worse, 1 failing as before, 1 fixed"
    assert "a:5: scenario at a:5: failed at a:6: When v (baseline: failed at a:7: Then y)" in lines[3]
    assert lines[-1].endswith("(baseline: not in the baseline)")


def test_a_saved_baseline_reads_back_and_a_foreign_file_is_refused(tmp_path):
    found = [_outcome("a:1", "passed"), _outcome("a:2", "failed", "a:3: Then x")]
    saved = tmp_path / "base.json"
    saved.write_text(baseline.dumps(found, "reference"))
    assert baseline.load(saved) == found
    for text, said in (("{", "cannot be read"), ('{"runs": []}', "not a baseline"), ("[]", "not a baseline")):
        saved.write_text(text)
        with pytest.raises(ValueError, match=said):
            baseline.load(saved)
    saved.write_text(json.dumps({"format": baseline.FORMAT, "runs": [{"run": "a:1"}]}))
    with pytest.raises(ValueError, match="a run entry"):
        baseline.load(saved)


def test_a_broken_engine_is_named_against_the_reference_and_not_against_itself(tmp_path, capsys):
    reference, naive = tmp_path / "reference.json", tmp_path / "naive.json"
    assert main(["run", CONTACTS, "--save-baseline", str(reference), *ONE_PROCESS]) == 0
    assert main(["run", CONTACTS, "--engine", "naive", "--baseline", str(reference), *ONE_PROCESS]) == 1
    out = capsys.readouterr().out
    assert "worse: " in out and "(baseline: passed)" in out
    worse = int(out.split("against the baseline: ")[1].split(" worse")[0])
    failed = [r for r in baseline.load(reference) if r.outcome == "failed"]
    assert worse > 0 and not failed

    assert main(["run", CONTACTS, "--engine", "naive", "--save-baseline", str(naive), *ONE_PROCESS]) == 1
    known = [r for r in baseline.load(naive) if r.outcome == "failed"]
    assert len(known) == worse and all(r.failed_at and ": Then " in r.failed_at for r in known)
    capsys.readouterr()
    assert main(["run", CONTACTS, "--engine", "naive", "--baseline", str(naive), *ONE_PROCESS]) == 0
    assert f"against the baseline: 0 worse, {worse} failing as before, 0 fixed" in capsys.readouterr().out
    assert main(["run", CONTACTS, "--baseline", str(naive), *ONE_PROCESS]) == 0
    assert f"0 worse, 0 failing as before, {worse} fixed" in capsys.readouterr().out
