"""syncsim's commands, their outputs, and one-line errors with exit code 2 for every bad input."""

import json
import os
import socket
import stat
from pathlib import Path

import pytest
from paths import FEATURES

from syncsim.harness.rules import RULES
from syncsim.harness.tools import features
from syncsim.harness.tools.cli import main

#: scenario runs in tasks.feature (an Outline runs once per Examples row)
TASK_RUNS = sum(max(s.examples, 1) for s in features.read(FEATURES / "tasks.feature"))


def test_run_prints_the_matrix_and_writes_reports(tmp_path, capsys):
    report, cucumber = tmp_path / "matrix.md", tmp_path / "cucumber.json"
    code = main(
        [
            "run",
            str(FEATURES / "tasks.feature"),
            "--report",
            str(report),
            "--cucumber",
            str(cucumber),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert all(rule_id in out for rule_id in RULES if rule_id.startswith("TASK-"))
    assert f"{len(RULES) - 10} of {len(RULES)} documented rules have no scenario in these files" in out
    assert "| TASK-ONE-ADDRESS | tasks | outlook | crm2015 | 3 | 3 | 0 | SEED |" in report.read_text()
    assert len(json.loads(cucumber.read_text())[0]["elements"]) == TASK_RUNS


def test_run_writes_html(tmp_path, capsys):
    page = tmp_path / "matrix.html"
    assert main(["run", str(FEATURES / "settings.feature"), "--report", str(page)]) == 0
    assert '<article class="rule" id="rule-SETTINGS-ADMIN-ONLY"' in page.read_text()


def test_every_built_in_scenario_that_holds_under_d365_passes_under_it(capsys):
    """``syncsim run --profile d365``: each organization follows Dynamics 365's pages, and a
    scenario that relies on a rule of CRM 2015's (a tag of it) does not run. (Under crm2015, the
    default, every scenario runs in tests/features.)"""
    assert main(["run", "--profile", "d365", "--", "-p", "no:xdist", "-q"]) == 0
    out = capsys.readouterr().out
    assert ", 0 failed" in out
    # the runs left out are named, not passed over in silence
    assert "not run under d365" in out and "features/copies.feature:40" in out


def test_the_reports_show_the_profile_each_run_followed(tmp_path, capsys):
    """A rule shown under both profiles: the matrix names both, the page names each run's."""
    page, table = tmp_path / "matrix.html", tmp_path / "matrix.md"
    for report in (page, table):
        assert main(["run", str(FEATURES / "deletes_d365.feature"), "--report", str(report)]) == 0
    row = next(line for line in table.read_text().splitlines() if "| DELETE-APPT-IN-CRM-ORGANIZER |" in line)
    assert "| crm2015, d365 |" in row
    html = page.read_text()
    assert "· profile d365" in html and "· profile crm2015" in html


def test_run_exits_1_and_names_the_failing_rule(capsys):
    code = main(["run", str(FEATURES / "tasks.feature"), "--", "--disable-rule", "TASK-RECURRING"])
    assert code == 1
    assert "failing rules: TASK-RECURRING" in capsys.readouterr().out


TEAM_FEATURE = """@team-qa
Feature: a QA team's own tags

  Background:
    Given a new organization

  @smoke @JIRA-42
  Scenario: deleting in Outlook deletes in CRM
    Given a user "bob" syncing through server-side
    And "bob" has an appointment "Standup" in CRM
    And the sync has run
    When "bob" deletes the appointment "Standup" in Outlook
    And the sync runs
    Then the appointment "Standup" is not in CRM

  @JIRA-43
  Scenario: a wrong expectation, left out by the selection
    Given a user "bob" syncing through server-side
    Then the appointment "Standup" is in CRM
"""


def test_run_accepts_a_teams_own_tags_and_selects_by_them(tmp_path, capsys):
    (tmp_path / "team.feature").write_text(TEAM_FEATURE)
    assert main(["run", str(tmp_path), "--", "-m", "smoke and JIRA-42"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert main(["run", str(tmp_path)]) == 1  # the wrong expectation runs, and fails
    assert "1 passed, 1 failed" in capsys.readouterr().out


def test_rules_lists_the_catalogue(capsys):
    assert main(["rules", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == list(RULES)
    assert main(["rules"]) == 0
    assert "CONTACT-ADDRESS-REMAP-LOSS" in capsys.readouterr().out


def _simulate(tmp_path, capsys, seed, name):
    trace = tmp_path / name
    args = ["simulate", "--seed", str(seed), "--contacts", "150", "--cycles", "3"]
    args += ["--set", "2:contact_address_sync=all-three", "--trace", str(trace), "--json"]
    assert main(args) == 0
    return trace.read_bytes(), json.loads(capsys.readouterr().out)


def test_simulate_gives_the_same_trace_for_the_same_seed(tmp_path, capsys):
    first, summary = _simulate(tmp_path, capsys, 5, "a.jsonl")
    assert _simulate(tmp_path, capsys, 5, "b.jsonl") == (first, summary)
    assert _simulate(tmp_path, capsys, 6, "c.jsonl")[0] != first
    assert summary["cycles"][1]["losses"] > 0 and summary["cycles"][2]["synced"] == 0
    assert b'"rule": "CONTACT-ADDRESS-REMAP-LOSS"' in first


def test_simulate_prints_a_summary_table(capsys):
    assert main(["simulate", "--seed", "1", "--contacts", "5", "--appointments", "0"]) == 0
    assert "Skipped (by rule)" in capsys.readouterr().out


def test_version_names_the_installed_package(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("syncsim ")


def test_reports_get_the_mode_of_any_new_file(tmp_path, capsys):
    trace = tmp_path / "t.jsonl"
    old = os.umask(0o022)
    try:
        assert main(["simulate", "--seed", "1", "--contacts", "3", "--trace", str(trace)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(trace.stat().st_mode) == 0o644


def test_a_tag_expression_selects_the_same_runs_in_a_dry_run_and_a_real_one(capsys):
    expression = "@FIELD-ONE-WAY and not @server-side"
    fields_feature = str(FEATURES / "fields.feature")
    assert main(["run", fields_feature, "--tags", expression, "--dry-run"]) == 0
    listed = capsys.readouterr().out
    would = int(listed.strip().splitlines()[-1].split()[0])
    assert main(["run", fields_feature, "--tags", expression]) == 0
    ran = capsys.readouterr().out
    assert f"all scenario runs, tagged or not: {would} passed, 0 failed" in ran
    everything = sum(max(s.examples, 1) for s in features.read(FEATURES / "fields.feature"))
    assert 0 < would < everything


FAILING = """Feature: A scenario that fails on purpose

  Scenario: The job title is expected wrong
    Given a new organization
    And a user "alice" syncing through outlook
    And "alice" has a contact "Ann" in CRM with:
      | jobtitle | Engineer |
    When the sync runs
    Then the contact "Ann" in Outlook has:
      | JobTitle | Foreman |
"""


def test_a_failure_starts_with_its_feature_line_and_the_failing_step(tmp_path, monkeypatch, capsys):
    (tmp_path / "fail.feature").write_text(FAILING)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "fail.feature", "--", "-p", "no:randomly"]) == 1
    out = capsys.readouterr().out
    section = out.split("= FAILURES =")[1].splitlines()
    assert section[2] == "fail.feature:3: Scenario: The job title is expected wrong"
    assert section[3] == '  failed at fail.feature:9: Then the contact "Ann" in Outlook has:'


def test_a_scenario_may_start_without_given_a_new_organization(tmp_path, capsys):
    feature = tmp_path / "implied.feature"
    feature.write_text(
        FAILING.replace("    Given a new organization\n    And a user", "    Given a user").replace(
            "| JobTitle | Foreman |", "| JobTitle | Engineer |"
        )
    )
    assert "new organization" not in feature.read_text()
    assert main(["run", str(feature)]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_cucumber_json_has_what_its_readers_expect_in_file_order_also_under_xdist(tmp_path, capsys):
    """One feature alone, then two under xdist (two workers): the same elements, complete (every
    run of the task feature too), in file order."""
    feature = FEATURES / "fields.feature"
    reports = []
    junit = tmp_path / "junit.xml"
    for files, extra in (([feature], []), ([feature, FEATURES / "tasks.feature"], ["--", "-n", "2"])):
        out = tmp_path / f"cucumber{len(extra)}.json"
        extra = [*extra, f"--junitxml={junit}"] if extra else extra
        assert main(["run", *map(str, files), "--cucumber", str(out), *extra]) == 0
        reports.append(json.loads(out.read_text()))
    [tasks] = [report for report in reports[1] if report["uri"].endswith("tasks.feature")]
    assert len(tasks["elements"]) == TASK_RUNS
    reports[1] = [report for report in reports[1] if report["uri"].endswith("fields.feature")]
    assert "<testcase" in junit.read_text() and "pytest-bdd-scenario" not in junit.read_text()
    assert [e["id"] for e in reports[0][0]["elements"]] == [e["id"] for e in reports[1][0]["elements"]]
    elements = reports[1][0]["elements"]
    runs = [run for info in features.read(feature) for run in info.runs()]
    assert len(elements) == len(runs)
    assert all(tag["name"].startswith("@") for e in elements for tag in e["tags"])
    tagged = sum("server-side" in tags for _, tags in runs)
    assert sum(any(t["name"] == "@server-side" for t in e["tags"]) for e in elements) == tagged > 0
    assert [e["line"] for e in elements] == sorted(e["line"] for e in elements)
    with_table = next(s for s in elements[0]["steps"] if s["name"].endswith("in CRM with:"))
    assert with_table["rows"] == [{"cells": ["jobtitle", "Engineer"]}]
    assert with_table["match"]["location"].startswith("syncsim/steps/items.py:")
    assert reports[1][0]["uri"] == str(feature.relative_to(Path.cwd())) == reports[1][0]["id"]
    classnames = {case.split('"')[1] for case in junit.read_text().split("classname=")[1:]}
    expected = {
        str(f.relative_to(Path.cwd())).replace("/", ".") for f in (feature, FEATURES / "tasks.feature")
    }
    assert classnames == expected, "stable JUnit names"


def test_cucumber_json_marks_the_steps_after_a_failure_as_skipped(tmp_path, monkeypatch, capsys):
    (tmp_path / "fail.feature").write_text(FAILING + '    And the contact "Ann" is in CRM\n')
    monkeypatch.chdir(tmp_path)
    assert main(["run", "fail.feature", "--cucumber", "c.json"]) == 1
    [element] = json.loads((tmp_path / "c.json").read_text())[0]["elements"]
    statuses = [step["result"]["status"] for step in element["steps"]]
    assert statuses[-2:] == ["failed", "skipped"] and set(statuses[:-2]) == {"passed"}


PASSING = """
  Scenario: The job title arrives
    Given a user "alice" syncing through outlook
    And "alice" has a contact "Ann" in CRM with:
      | jobtitle | Engineer |
    When the sync runs
    Then the contact "Ann" in Outlook has:
      | JobTitle | Engineer |
"""


def test_a_feature_line_selects_its_scenario_and_lf_reruns_the_last_failures(tmp_path, monkeypatch, capsys):
    (tmp_path / "two.feature").write_text(FAILING + PASSING)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "two.feature:12"]) == 0  # the passing scenario's line
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert main(["run", "two.feature"]) == 1
    assert "1 passed, 1 failed" in capsys.readouterr().out
    assert main(["run", "two.feature", "--lf"]) == 1  # pytest's cache, in the folder run from
    assert "0 passed, 1 failed" in capsys.readouterr().out


def test_a_tag_line_selects_the_scenario_it_tags(tmp_path, capsys):
    """A scenario's tag lines are its own: the line of a tag above the second scenario selects
    the second, not the first (whose steps end just above it)."""
    path = tmp_path / "tagged.feature"
    path.write_text(
        "Feature: Tagged\n" + PASSING + "\n  @smoke @JIRA-7\n" + PASSING.replace("The job", "Again, the job")
    )
    lines = path.read_text().splitlines()
    tag_line = lines.index("  @smoke @JIRA-7") + 1
    scenario_line = lines.index("  Scenario: Again, the job title arrives") + 1
    assert main(["run", f"{path}:{tag_line}", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        f"tagged.feature:{scenario_line}: Again, the job title arrives" in out and "1 scenario run(s)" in out
    )


def test_an_examples_row_line_selects_that_run_alone(capsys):
    [outline] = [info for info in features.read(FEATURES / "tasks.feature") if len(info.rows()) > 1][:1]
    row_line = outline.tables[-1].row_lines[-1]
    assert main(["run", f"{FEATURES / 'tasks.feature'}:{row_line}", "--dry-run"]) == 0
    assert "1 scenario run(s) would run" in capsys.readouterr().out
    assert main(["run", f"{FEATURES / 'tasks.feature'}:{row_line}"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_simulate_refuses_at_once_what_will_not_fit(capsys):
    assert main(["simulate", "--seed", "1", "--contacts", "500000000"]) == 2
    err = capsys.readouterr().err
    assert "500,000,030 records need about" in err and "GB free" in err and "--force" in err


def test_serve_refuses_a_port_in_use_in_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_bad_value_of_the_fast_path_switch_is_one_line_and_exit_code_2(monkeypatch, capsys):
    monkeypatch.setenv("SYNCSIM_FAST_PATHS", "fast")
    assert main(["rules"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SYNCSIM_FAST_PATHS='fast' is not allowed; allowed: 1" in err


def test_the_last_line_names_every_failed_run_tagged_or_not(tmp_path, capsys):
    tagged = FAILING.replace("  Scenario: The job title", "  @FIELD-NONE\n  Scenario: The tagged job title")
    untagged = FAILING.replace("Feature: A scenario", "Feature: Another scenario")
    (tmp_path / "tagged.feature").write_text(tagged)
    (tmp_path / "untagged.feature").write_text(untagged)
    assert main(["run", str(tmp_path), "--", "-p", "no:xdist"]) == 1
    last_lines = capsys.readouterr().out.strip().splitlines()[-2:]
    assert last_lines[0].startswith("failing rules: FIELD-NONE")
    assert last_lines[1].startswith("failed: ")
    assert "tagged.feature:4" in last_lines[1] and "untagged.feature:3" in last_lines[1]
