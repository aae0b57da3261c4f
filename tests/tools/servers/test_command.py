"""Sync programs outside the process as engines: the example program in examples/http_engine (HTTP
only) is run by the Gherkin suite through `syncsim run --engine-cmd`, and judged on the stores;
checks of events and losses do not apply to it and show as N/A in the matrix."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from paths import ROOT

from syncsim.harness.rules import RULES, SEED
from syncsim.harness.tools.cli import main
from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import Backend
from syncsim.harness.tools.servers.command import CommandEngine
from syncsim.harness.world import World

PROGRAM = f"{sys.executable} {ROOT / 'examples' / 'http_engine' / 'sync.py'}"
#: two of the four seed-page features, CRM for Outlook's half of them: the test stays short (each
#: cycle starts the program once per user); the whole seed suite is run the same way by hand
SEED_FEATURES = [str(ROOT / "features" / f"{name}.feature") for name in ("appointments", "contacts")]
CHANNEL = ["--tags", "not @server-side", "--", "-p", "no:xdist"]
SEED_RULES = [
    rule.id for rule in RULES.values() if rule.source == SEED and rule.area in ("appointments", "contacts")
]


def _matrix(folder: Path, engine: list[str]) -> tuple[int, str]:
    """The exit code and printed matrix of a run of the seed scenarios (one engine)."""
    out = folder / "matrix.md"
    code = main(
        [
            "run",
            *SEED_FEATURES,
            *engine,
            "--report",
            str(out),
            *CHANNEL[:2],
            "--save-baseline",
            str(folder / "runs.json"),
            *CHANNEL[2:],
        ]
    )
    return code, out.read_text()


def _rows(markdown: str) -> dict[str, dict[str, str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return {
        cells[0]: dict(zip(header, cells, strict=True))
        for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines[1:])
    }


def test_the_reference_engine_passes_every_seed_rule(tmp_path):
    code, matrix = _matrix(tmp_path, [])
    rows = _rows(matrix)
    assert code == 0
    assert "N/A" not in next(iter(rows.values()))
    ran = [rule for rule in SEED_RULES if int(rows[rule]["Passed"]) + int(rows[rule]["Failed"])]
    assert ran == SEED_RULES
    assert all(rows[rule]["Failed"] == "0" for rule in ran), [rows[rule] for rule in ran]


def test_the_example_program_is_judged_on_the_stores_and_event_checks_are_not_applicable(tmp_path, capsys):
    code, matrix = _matrix(tmp_path, ["--engine-cmd", PROGRAM])
    rows = _rows(matrix)
    assert code == 1  # it is a small program: some rules it does not keep
    runs = {rule: int(row["Passed"]) + int(row["Failed"]) + int(row["N/A"]) for rule, row in rows.items()}
    judged = [rule for rule in SEED_RULES if int(rows[rule]["Passed"]) + int(rows[rule]["Failed"])]
    assert len(judged) == len(SEED_RULES) - 1  # all but the slow-link rule, whose checks are N/A
    assert all(runs[rule] for rule in SEED_RULES)
    # the slow-link scenarios check only the cycle's duration and its warning event
    assert rows["APPT-ATTACH-SLOW-LINK"]["Passed"] == "0" and int(rows["APPT-ATTACH-SLOW-LINK"]["N/A"]) > 0
    # on their merits: it copies contacts with all three addresses, but knows nothing of
    # recurring appointments' attachments, which CRM never syncs
    assert int(rows["CONTACT-ADDRESS-ALL-THREE"]["Passed"]) > 0
    assert int(rows["APPT-ATTACH-RECURRING"]["Failed"]) > 0
    # kept running for each scenario (--persistent), it does exactly as well, run by run, step by step
    kept = [*SEED_FEATURES, "--engine-cmd", PROGRAM, "--persistent", *CHANNEL[:2], "--baseline"]
    assert main(["run", *kept, str(tmp_path / "runs.json"), *CHANNEL[2:]]) == 0
    assert "against the baseline: 0 worse, " in capsys.readouterr().out


ROBUSTNESS = ROOT / "features" / "robustness.feature"


def _line_of(text: str) -> int:
    return next(n for n, line in enumerate(ROBUSTNESS.read_text().splitlines(), 1) if text in line)


def test_the_example_program_waits_out_a_429_and_a_program_that_does_not_is_caught(capsys):
    scenario = f"{ROBUSTNESS}:{_line_of('is not sent again before its Retry-After')}"
    assert main(["run", scenario, "--engine-cmd", PROGRAM, "--", "-p", "no:xdist"]) == 0
    capsys.readouterr()
    assert main(["run", scenario, "--engine-cmd", f"{PROGRAM} --impatient", "--", "-p", "no:xdist"]) == 1
    out = capsys.readouterr().out
    assert "still throttled" in out or "retry-after" in out


def test_a_missing_program_is_refused_before_anything_runs(capsys):
    assert main(["run", str(ROBUSTNESS), "--engine-cmd", "no-such-sync-program --go"]) == 2
    assert "no-such-sync-program" in capsys.readouterr().err


def _run_program(server: Any, extra: list[str]) -> tuple[int, dict[str, Any]]:
    """The example program's one cycle for alice against ``server``, with a 429 injected through
    the control API on its first write; its exit code and the server's report."""
    state = tempfile.mkdtemp()
    with httpx.Client(base_url=server.url, headers=server.control_headers) as http:
        http.delete("/_syncsim/faults")
        token = http.post("/_syncsim/tokens", json={"user": "alice"}).json()
        assert (
            http.post(
                "/_syncsim/faults", json={"kind": "throttled", "write": 1, "retry_after": 1}
            ).status_code
            == 201
        )
        env = {
            **os.environ,
            "SYNCSIM_DATAVERSE_URL": f"{server.url}/api/data/v9.2/",
            "SYNCSIM_GRAPH_URL": f"{server.url}/v1.0/",
            "SYNCSIM_TOKEN": token["access_token"],
            "SYNCSIM_USER_ID": token["user_id"],
            "SYNCSIM_STATE_DIR": state,
        }
        done = subprocess.run([*PROGRAM.split(), *extra], env=env, capture_output=True, text=True, timeout=60)
        return done.returncode, http.get("/_syncsim/report").json()


def _world() -> World:
    world = World(seed=9)
    world.populate(world.add_user("alice"), contacts=2, side="crm")
    return world


def test_a_429_from_the_fault_api_is_waited_out_by_the_example_and_an_impatient_one_is_counted():
    patient, impatient = _world(), _world()
    with Server(Backend(patient)) as server:
        code, report = _run_program(server, [])
    assert code == 0 and report["early_writes"] == 0 and report["responses"]["429"] == 1
    assert patient.outlook("alice").count("contact") == 2
    with Server(Backend(impatient)) as server:
        code, report = _run_program(server, ["--impatient"])
    assert code == 1 and report["early_writes"] == 3  # three retries at once, each refused again


COUNTING = """
import os, pathlib, sys
state = pathlib.Path(os.environ["SYNCSIM_STATE_DIR"])
starts = state / "starts"
starts.write_text(str(int(starts.read_text() or 0) + 1) if starts.exists() else "1")
mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
for count, line in enumerate(sys.stdin, 1):
    (state / "syncs").write_text(str(count))
    if mode == "dies" and count == 2:
        print("boom: the second cycle", file=sys.stderr)
        sys.exit(3)
    if mode == "quiet":
        continue
    print("ok" if mode != "refuses" else "error: no such thing", flush=True)
"""


def _kept_running(
    tmp_path: Path, mode: str, *, timeout: float = 10
) -> tuple[World, CommandEngine, list[Any]]:
    program = tmp_path / "counting.py"
    program.write_text(COUNTING)
    server = Server(Backend(World(seed=0))).start()
    engine = CommandEngine(f"{sys.executable} {program} {mode}", server, persistent=True, timeout=timeout)
    world = World(seed=3, engine=engine)
    engine.attach(world)
    world.add_user("alice")
    world.add_user("bob")
    reports = [world.sync().cycles[0] for _ in range(3)]
    engine.close()
    server.stop()
    return world, engine, reports


def test_a_persistent_program_is_started_once_for_each_user_and_told_each_cycle(tmp_path):
    _, engine, reports = _kept_running(tmp_path, "ok")
    for user in ("alice", "bob"):
        folder = engine.state / user
        assert (folder / "starts").read_text() == "1" and (folder / "syncs").read_text() == "3"
    assert not any(report.failed for report in reports)
    assert engine.running == {}  # (closed: the programs were told to stop)


@pytest.mark.parametrize(
    ("mode", "said", "failing", "starts"),
    [
        ("dies", "the program ended (exit code 3): boom: the second cycle", [False, True, False], "2"),
        ("refuses", "no such thing", [True, True, True], "1"),
        ("quiet", "no answer after 0.5 s; stopped", [True, True, True], "3"),
    ],
)
def test_a_persistent_program_that_ends_refuses_or_goes_quiet_fails_that_cycle_saying_why(
    tmp_path, mode, said, failing, starts
):
    """A program that ended or stopped answering is started again for the next cycle."""
    _, engine, reports = _kept_running(tmp_path, mode, timeout=0.5)
    assert [bool(report.failed) for report in reports] == failing
    details = [event.detail for report in reports if report.failed for event in report.events]
    assert f"the sync program failed: {said}" in details
    assert (engine.state / "alice" / "starts").read_text() == starts


#: broken copies of the example program: what each gets wrong -> (the line it changes, the line
#: instead, whether only small pages show it)
BROKEN = {
    "ignores @odata.nextLink": (
        '        next_url = page.get("@odata.nextLink")',
        "        next_url = None",
        True,
    ),
    "never stamps the items it makes with the record's id": (
        "{**to_graph(kind, self.values(kind, record), self.mailing_only), **stamp(kind, crm_id)},",
        "to_graph(kind, self.values(kind, record), self.mailing_only),",
        False,
    ),
}


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_broken_copy_of_the_example_is_named_against_its_baseline(tmp_path, capsys, broken):
    """Each broken copy fails a run the example passes, and --baseline names it. One that reads
    only the first page passes at the services' page sizes (no scenario holds that many records):
    --page-size 1 shows it."""
    original, instead, small_pages_only = BROKEN[broken]
    source = (ROOT / "examples" / "http_engine" / "sync.py").read_text()
    assert source.count(original) == 1
    copy = tmp_path / "broken.py"
    copy.write_text(source.replace(original, instead))
    scenarios = [f"{ROBUSTNESS}:{_line_of('A batch that fails part way inside one cycle')}"]  # (3 contacts)
    saved = str(tmp_path / "example.json")
    small = ["--page-size", "1"]
    assert (
        main(["run", *scenarios, "--engine-cmd", PROGRAM, *small, "--save-baseline", saved, *CHANNEL[2:]])
        == 0
    )
    broken_cmd = ["--engine-cmd", f"{sys.executable} {copy}", "--baseline", saved]
    if small_pages_only:
        assert main(["run", *scenarios, *broken_cmd, *CHANNEL[2:]]) == 0
    capsys.readouterr()
    assert main(["run", *scenarios, *broken_cmd, *small, *CHANNEL[2:]]) == 1
    out = capsys.readouterr().out
    assert "against the baseline: 1 worse, 0 failing as before, 0 fixed" in out
    assert "worse: " in out and "(baseline: passed)" in out
