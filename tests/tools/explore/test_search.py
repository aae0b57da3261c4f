"""Exploration: the reference engine keeps every invariant; the naive engine, a crashing engine,
every fault kind and every engine of the zoo (tests/zoo.py) are found, each with a reproducer
that lints and runs (it fails under the engine that was found out, it passes under the reference
engine); bad options are refused with exit 2."""

from __future__ import annotations

import json

import pytest
import zoo  # (tests/zoo.py: the engines ``zoo:Name`` loads; tests/ is on the path)
from paths import ROOT

from syncsim.harness.invariants import INVARIANTS
from syncsim.harness.sim.clock import held_freeze
from syncsim.harness.sim.network import FAULT_KINDS
from syncsim.harness.tools.cli import main
from syncsim.harness.tools.explore import CRASH, DIVERGED, Outcome, explore, reach, report
from syncsim.harness.tools.explore.command import check
from syncsim.harness.tools.explore.runner import Moment, replay
from syncsim.harness.tools.explore.search import describe
from syncsim.harness.tools.runner import run_features

#: the CI's bounded explore (.ci/run): a fixed seed and this many sequences
CI_SEED, CI_SEQUENCES = 2026, 2000
QUIET = ["-q", "-p", "no:xdist", "-p", "no:cacheprovider"]


def _runs(outcome: Outcome, engine: str) -> None:
    """The reproducer lints, fails under ``engine`` and passes under the reference engine."""
    problems, reproduces = check(report.reproducer(outcome), "reproducer.feature", engine)
    assert problems == [] and reproduces, (problems, report.reproducer(outcome))
    assert _passes_under_reference(outcome), report.reproducer(outcome)


def _passes_under_reference(outcome: Outcome) -> bool:
    problems, reproduces = check(report.reproducer(outcome), "reproducer.feature", "reference")
    return problems == [] and not reproduces


def test_the_reference_engine_keeps_every_invariant():
    outcome = explore("reference", 11, max_examples=150, steps=30)
    assert not outcome.found, outcome.message
    assert outcome.examples == 150
    assert set(outcome.coverage.faults) == set(FAULT_KINDS)  # every fault kind was met


def test_the_naive_engine_is_found_within_the_ci_budget_with_a_reproducer_that_runs(tmp_path):
    """Found with a report beside (anomaly, minimal witness, timeline); the reproducer lints, fails
    under the naive engine and passes under the reference engine."""
    argv = ["explore", "--engine", "naive", "--seed", str(CI_SEED), "--max-examples", str(CI_SEQUENCES)]
    out = tmp_path / "findings" / "naive"  # (made, with the folder above it)
    assert main([*argv, "--database", "none", "--out", str(out)]) == 1
    [feature] = out.glob("*.feature")
    invariant = feature.read_text().split("Feature: Reproducer: ")[1].split()[0]
    assert feature.read_text().startswith(f"Feature: Reproducer: {invariant} broken by the naive engine")
    markdown = feature.with_suffix(".md").read_text()
    assert f"**Anomaly**: {report.MEANINGS[invariant]}" in markdown
    assert f"**Should have**: {report.SHOULD[invariant]}" in markdown
    assert "**The engine's decisions in that cycle**: " in markdown
    assert "**What went wrong**: " in markdown
    assert "## Minimal witness" in markdown and "## Timeline of" in markdown
    assert "<h2>Timeline of" in feature.with_suffix(".html").read_text()
    assert main(["lint", str(feature)]) == 0
    assert run_features([feature], QUIET, engine="naive").total["failed"] == 1
    assert run_features([feature], QUIET).total["passed"] == 1


def test_explore_prints_progress_and_coverage_and_writes_nothing_when_clean(tmp_path, capsys):
    argv = ["explore", "--seed", "3", "--max-examples", "20", "--steps", "10", "--database", "none"]
    assert main([*argv, "--out", str(tmp_path), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "0 violations in 20 sequences" in out
    assert "explored 10 of 20 sequences" in out and "explored 20 of 20 sequences" in out  # progress in a log
    assert "coverage: 20 sequences" in out and "operations: {" in out
    assert list(tmp_path.iterdir()) == []


def test_every_run_lists_the_situations_and_a_required_one_missed_fails(tmp_path, capsys):
    """Two sequences cannot reach every situation: the list says which were not, and under
    --require-reach the clean run exits 4 naming them."""
    argv = ["explore", "--seed", "3", "--max-examples", "2", "--steps", "5", "--database", "none"]
    assert main([*argv, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"of {len(reach.SITUATIONS)} situations: a conflict on a contact" in out
    assert "never reached (nothing is known of them): " in out
    assert "never tried (explore cannot make them yet; nothing is known of them): an edit landing" in out
    assert main([*argv, "--out", str(tmp_path), "--require-reach"]) == 4
    assert "situation(s) never reached: " in capsys.readouterr().out


def test_shrinking_has_its_own_bound_and_the_smallest_so_far_is_the_finding():
    from hypothesis.internal.conjecture import engine as hypothesis_engine

    before = hypothesis_engine.MAX_SHRINKING_SECONDS
    outcome = explore("zoo:HidesConflictLosses", CI_SEED, 400, 50, shrink_seconds=0.01)
    assert outcome.invariant == "no-silent-loss" and outcome.lines  # a reproducer all the same
    assert before == hypothesis_engine.MAX_SHRINKING_SECONDS  # (put back for everyone else)


def test_a_workers_finding_is_written_though_the_budget_ends_first(tmp_path, capsys):
    argv = ["explore", "--engine", "zoo:HidesConflictLosses", "--seed", str(CI_SEED), "--max-examples", "400"]
    argv += ["--workers", "2", "--force", "--budget", "1s", "--shrink-time", "1s", "--database", "none"]
    assert main([*argv, "--out", str(tmp_path)]) == 1
    assert len(list(tmp_path.glob("reproducer-no-silent-loss-*.feature"))) == 1
    capsys.readouterr()


#: one of each operation this issue added, on items they can act on
EVERY_NEW_OPERATION = [
    ("create", "alice", "contact", "CRM"),
    ("create", "alice", "appointment", "Outlook"),
    ("create", "bob", "task", "Outlook"),
    ("sync",),
    ("email", 0, "Outlook", "ANN.LEE@CONTOSO.COM"),
    ("addresses", 0, "CRM"),
    ("when", 0, "Outlook", "spring-forward"),
    ("direction", ("contact", "jobtitle"), "none"),
    ("security", ("task", "description"), "read-only"),
    ("deactivate", 0),
    ("give", 1, "bob"),
    ("mailbox", "outage"),
    ("mailbox", "act-none"),
    ("tick", 1),
    ("attach", 0, "Outlook", "Prüfbericht Maß.pdf", 1),
    ("assign", 0, ("BOB",)),
    ("detach", 0, "Outlook", 0),
    ("filter", "alice", ("contact", '<condition attribute="address1_city" operator="eq" value="Oslo"/>')),
    ("sync",),
]


def test_every_operation_is_written_as_steps_that_lint_and_run(tmp_path):
    """Each operation is a Gherkin step, so a finding always has a reproducer: the steps written
    for one of each lint clean and pass under the reference engine."""
    runner, stopped = replay("reference", 5, EVERY_NEW_OPERATION)
    assert stopped is None, stopped
    situations = runner.coverage.situations
    assert (
        situations["a disabled mailbox enabled again"] == 1
        and situations["an appointment across a clock change"]
    )
    body = "\n".join(("      " if line.startswith("  ") else "    ") + line.strip() for line in runner.lines)
    feature = tmp_path / "every.feature"
    feature.write_text(f"Feature: every operation\n  Scenario: one of each\n{body}\n", encoding="utf-8")
    assert main(["lint", str(feature)]) == 0
    assert run_features([feature], QUIET).total["passed"] == 1


def test_a_seed_draws_the_same_sequences_in_any_working_folder(tmp_path, monkeypatch):
    """hypothesis draws, now and then, constants found in the source of modules under the working
    folder: explore keeps them out, so a seed means the same search in a checkout and elsewhere."""
    runs = []
    for folder in (ROOT, tmp_path):
        monkeypatch.chdir(folder)
        runs.append(describe(explore("reference", 5, 60, 20)))
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("edits", "loss", "said"),
    [
        (
            ["CRM", "Outlook"],
            "outlook JobTitle 'Oslo' -> 'Bergen'",
            "a conflict: both sides changed the item",
        ),
        (
            ["Outlook"],
            "outlook JobTitle 'Oslo' -> 'Bergen'",
            "Outlook's own edit of JobTitle ('Oslo') was overwritten",
        ),
        ([], "crm jobtitle 'Oslo' -> 'Bergen'", "nobody changed jobtitle since the last cycle"),
        (
            ["CRM"],
            "crm Attachments[a.pdf] 'a.pdf' -> None",
            "sync removed Attachments[a.pdf] 'a.pdf' from CRM",
        ),
    ],
)
def test_a_silent_loss_is_explained_by_the_decision_at_fault(edits, loss, said):
    moments = [Moment(7, "sync", ("a", "a"), ("a", "a"))]
    moments += [
        Moment(9 + n, f'When "alice" edits the contact "x1" in {side}:') for n, side in enumerate(edits)
    ]
    moments.append(Moment(13, "settle", ("a", "b"), ("a", "b")))
    message = f"no-silent-loss: alice's contact 1/2: {loss} without a reported loss"
    outcome = Outcome("naive", 1, 1, "no-silent-loss", message, timeline={"x1": moments})
    assert report.diagnosis(outcome).startswith(said)


#: a finding's detail of each invariant, as the checker words it, and how its diagnosis begins
FINDINGS = [
    (
        "convergence",
        "convergence: alice's contact 1: address2_city='Oslo' but HomeAddressCity=None",
        "sync settled with address2_city = 'Oslo' in CRM and HomeAddressCity = None in Outlook",
    ),
    (
        "convergence",
        "convergence: alice's appointment 1: attachment a.pdf only in outlook",
        "sync settled with the file a.pdf in Outlook only",
    ),
    ("no-duplicates", "no-duplicates: 2 items in alice's Outlook for CRM 1", "one mailbox holds two items"),
    (
        "no-duplicates",
        "no-duplicates: CRM task 1 was made by sync, but no Outlook item has carried it: a "
        "second record for an item that has one?",
        "sync made a CRM record no Outlook item carries",
    ),
    ("idempotency", "idempotency: the cycle changed the stores 2 times", "a cycle with nothing to do"),
    ("retry-after", "retry-after: 1 write(s) sent before a Retry-After had passed", "the engine wrote again"),
    (
        "field-direction",
        "field-direction: bob's task 1: the cycle wrote crm description 'a' -> 'b', but "
        "description syncs crm-to-outlook for bob (FIELD-SECURITY-UPDATE)",
        "the engine carried a field across to a side its direction or the user's field security keeps it "
        "from: the decision breaks FIELD-SECURITY-UPDATE",
    ),
    (
        "outlook-delete",
        "outlook-delete: bob's task 1: deleted in bob's Outlook while tracked, still in CRM after sync "
        "settled; DELETE-TASK-IN-OUTLOOK: Deleting a tracked task in Outlook deletes the CRM task.",
        "the engine kept the CRM record of an appointment or task the user deleted in Outlook: the decision "
        "breaks DELETE-TASK-IN-OUTLOOK",
    ),
]


@pytest.mark.parametrize(("invariant", "message", "said"), FINDINGS)
def test_every_finding_says_what_went_wrong(invariant, message, said):
    moments = [
        Moment(7, "sync", ("a", "a"), ("a", "a")),
        Moment(9, 'When "alice" edits the contact "x1" in CRM:'),
    ]
    outcome = Outcome("naive", 1, 1, invariant, message, timeline={"x1": moments})
    assert report.diagnosis(outcome).startswith(said), report.diagnosis(outcome)


def test_a_divergence_names_what_each_engine_decided():
    """The reference engine's decision for the item that parted, beside the engine's own."""
    # (a seed whose first finding is the divergence: at CI_SEED the engine breaks outlook-delete first)
    outcome = explore("zoo:IgnoresOutlookDeletes", 2028, 400, 50, against="reference", shrink=False)
    assert outcome.invariant == DIVERGED and outcome.expected_decisions, outcome.message
    said = report.diagnosis(outcome)
    assert "under reference. In that cycle reference decided: " in said
    # (the delete page's words, or the sync-logic page's for a d365 organization's server-side user)
    assert any(f"deleted in {where}; deleted in CRM" in said for where in ("Outlook", "Exchange"))
    assert "this engine decided: " in said


def test_reached_counts_names_and_rules():
    counts = reach.reached({"an all-day appointment": 2}, {"FILTER-LEAVE": 3})
    assert counts["an all-day appointment"] == 2 and counts["a record leaving the user's filters"] == 3
    missed = reach.never({"an all-day appointment": 2}, {"FILTER-LEAVE": 3})
    assert "an all-day appointment" not in missed and "a lost response" in missed


def test_the_budget_stops_the_search(tmp_path, capsys):
    argv = ["explore", "--max-examples", "100000", "--budget", "1s", "--database", "none"]
    assert main([*argv, "--out", str(tmp_path)]) == 0
    sequences = int(capsys.readouterr().out.split("0 violations in ")[1].split()[0])
    assert 0 < sequences < 100000


def test_found_failures_are_kept_outside_the_working_folder_and_tried_first(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNCSIM_CACHE", str(tmp_path / "cache"))
    argv = ["explore", "--engine", "naive", "--max-examples", "300", "--steps", "8", "--out", str(tmp_path)]
    assert main(argv) == 1
    assert not (tmp_path / ".hypothesis").exists()
    kept = tmp_path / "cache" / "explore" / "naive-alone.json"
    assert len(json.loads(kept.read_text())) == 1
    capsys.readouterr()
    assert main([*argv, "--seed", "99"]) == 1  # another seed: the kept sequence is tried first
    assert "coverage: 1 sequences" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explore", "--engine", "nope"], "unknown engine 'nope'; engines: reference, naive"),
        (["explore", "--against", "nope"], "unknown engine 'nope'"),
        (["explore", "--engine", "syncsim.harness.world:Missing"], "cannot be loaded"),
        (["explore", "--max-examples", "0"], "0 must be 1 or more"),
        (["explore", "--budget", "soon"], "'soon' is not a duration like 90s, 10m or 1h"),
        (["explore", "--out", f"{__file__}/x"], "test_search.py is not a folder"),
    ],
)
def test_explore_bad_input(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


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
    argv = ["explore", "--engine", engine, "--seed", "1", "--max-examples", "200", "--steps", "10"]
    argv += ["--database", "none"]
    assert main([*argv, "--out", str(out)]) == 3
    printed = capsys.readouterr().out
    assert "the engine crashed: RuntimeError: tasks are not supported yet" in printed
    assert "does not lint" not in printed and "(checked: it fails as found)" in printed
    [feature] = out.glob("*.feature")
    assert feature.read_text().startswith(
        "Feature: Reproducer: crash of the crashing_engine:CrashOnTasks engine"
    )
    assert main(["lint", str(feature)]) == 0
    assert run_features([feature], QUIET, engine=engine).total["failed"] == 1
    assert run_features([feature], QUIET).total["passed"] == 1


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_a_reproducer_of_each_fault_kind_lints_and_runs(kind):
    """A fault of each kind in a sequence the naive engine fails: the written Gherkin carries it
    (replayable, seeded) and runs."""
    sequence = [
        ("create", "alice", "contact", "CRM"),
        ("sync",),
        ("fault", kind, 1, 60),
        ("edit", 0, "CRM", 0, "Oslo"),
        ("sync",),
        ("clock", 2),
        ("edit-both", 0, 0, "Bergen", "Pilot"),
        ("sync",),
    ]
    with held_freeze():
        runner, stopped = replay("naive", 5, sequence, record=True)
    assert stopped is not None
    outcome = Outcome("naive", 5, 1, "found", str(stopped), tuple(runner.lines), tuple(sequence))
    assert any("the network" in line for line in runner.lines)
    _runs(outcome, "naive")


@pytest.mark.parametrize("against", [None, "reference"], ids=["alone", "against-reference"])
@pytest.mark.parametrize("engine", list(zoo.FOUND_BY), ids=lambda engine: engine.__name__)
def test_explore_finds_every_engine_of_the_zoo_with_a_reproducer_that_runs(engine, against):
    """At the CI's budget (its seed, 2,000 sequences of 50 operations), alone and against the
    reference engine, without shrinking (shrinking costs seconds per finding;
    bench/zoo_bench.py measures ten seeds)."""
    name, found_by = f"zoo:{engine.__name__}", zoo.FOUND_BY[engine]
    outcome = explore(name, CI_SEED, CI_SEQUENCES, 50, against=against, shrink=False)
    assert outcome.invariant in (*found_by, *([DIVERGED] if against else [])), outcome.message
    assert report.SHOULD[outcome.invariant] and report.MEANINGS[outcome.invariant]
    assert report.diagnosis(outcome), outcome.message  # the report names the decision at fault
    if not _passes_under_reference(outcome):
        # a whole sequence may act on what only the broken engine left (a record it should have
        # deleted): the reproducer as users get it, shrunk, holds only what the finding needs
        outcome = explore(name, CI_SEED, CI_SEQUENCES, 50, against=against, shrink_seconds=30)
    _runs(outcome, name)


def test_every_invariant_says_what_it_means_and_what_should_have_held():
    assert set(INVARIANTS) | {DIVERGED, CRASH, "admin-only"} == set(report.MEANINGS) == set(report.SHOULD)
    assert set(report.MEANINGS) == set(report._EXPLAIN)  # and what went wrong


def test_workers_find_what_one_process_finds():
    alone = explore("zoo:HidesConflictLosses", CI_SEED, 400, 30, shrink=False)
    spread = explore("zoo:HidesConflictLosses", CI_SEED, 400, 30, shrink=False, workers=2)
    assert spread.found and (spread.invariant, spread.round_seed, spread.sequence) == (
        alone.invariant,
        alone.round_seed,
        alone.sequence,
    )
    assert explore("reference", 3, 400, 10, workers=2).examples == 400


def test_recording_a_sequence_never_changes_what_happens():
    """A finding is replayed with recording on (its timeline): reading every item around each
    cycle must not fix what a label means, so a copy made in Outlook is not taken for its
    original's record before its own comes (CfO: a record of its own, restamped)."""
    sequence = [
        ("create", "alice", "contact", "CRM"),
        ("sync",),
        ("copy-in-outlook", 0),
        ("sync",),
        ("edit", 1, "CRM", 0, "Oslo"),
        ("sync",),
    ]
    plain, _ = replay("reference", 7, list(sequence))
    recorded, _ = replay("reference", 7, list(sequence), record=True)
    assert plain.states() == recorded.states() and plain.lines == recorded.lines
