"""The one switch for the fast paths (harness/speed.py): off, only the plain twins run, and they
must tell exactly what the fast paths tell.

With ``SYNCSIM_FAST_PATHS=0`` and with the fast paths on: the golden stories, every built-in
feature's world, a simulation with faults, and explore's searches give byte-identical traces,
stores and reports. Each fast path has its own twin test beside its module as well.
"""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from stories import d365_story, microsoft_story, render, story

from syncsim.harness import World, speed
from syncsim.harness.report import CycleReport, Report
from syncsim.harness.sim.network import Faults
from syncsim.harness.tools.explore import explore, report
from syncsim.harness.tools.project import builtin_features
from syncsim.harness.tools.runner import run_features


def both_ways(tell: Callable[[], Any]) -> tuple[Any, Any]:
    """What ``tell`` returns with the fast paths on, then off."""
    told = {}
    for fast in (True, False):
        with speed.switched(fast):
            told[fast] = tell()
    return told[True], told[False]


def test_the_switch_reads_1_0_or_nothing_and_names_a_bad_value():
    assert speed.read(None) and speed.read("") and speed.read("1") and speed.read(" 1 ")
    assert not speed.read("0")
    with pytest.raises(ValueError, match=r"SYNCSIM_FAST_PATHS='yes' is not allowed; allowed: 1 .*, 0"):
        speed.read("yes")
    with speed.switched(False):
        assert not speed.on()
    assert speed.on()


@pytest.mark.parametrize("tell", [story, microsoft_story, d365_story])
def test_the_golden_stories_are_told_alike_with_the_fast_paths_off(tell):
    fast, plain = both_ways(lambda: render(*tell()))
    assert fast == plain and len(fast) > 50


def _cycles(reports: list[CycleReport]) -> list[str]:
    """Every cycle's events and losses, writes and durations, as lines."""
    lines = []
    for cycle in reports:
        lines.append(json.dumps([cycle.number, cycle.writes, sorted(cycle.durations.items())]))
        lines += Report([cycle]).trace_lines()
    return lines


def _features_run() -> tuple[dict[str, int], list[str]]:
    """Every built-in feature, run in this process: the outcomes and every cycle of every scenario."""
    seen: list[CycleReport] = []
    made = CycleReport.__init__

    def noted(self: CycleReport, *args: Any, **kwargs: Any) -> None:
        made(self, *args, **kwargs)
        seen.append(self)

    CycleReport.__init__ = noted  # type: ignore[method-assign]
    try:
        quiet = ["-q", "-p", "no:xdist", "-p", "no:randomly", "-p", "no:cacheprovider"]
        result = run_features([builtin_features()], quiet)
    finally:
        CycleReport.__init__ = made  # type: ignore[method-assign]
    return dict(result.total), _cycles(seen)


def test_every_built_in_feature_runs_alike_with_the_fast_paths_off():
    fast, plain = both_ways(_features_run)
    assert fast[0] == plain[0] and fast[0]["passed"] > 200 and not fast[0].get("failed")
    assert fast[1] == plain[1]


def _stores(world: World) -> list[Any]:
    shown: list[Any] = [sorted(map(repr, world.crm.query(e))) for e in ("contact", "appointment", "task")]
    for user in world.users:
        box = world.outlook(user)
        shown.append([(repr(box.peek(i)), box.version(i)) for i in box.entry_ids()])
    return shown


def _simulation() -> tuple[list[str], list[Any]]:
    """Two users, a few thousand records on both sides, four cycles with an option changed, a
    field's direction set, and faults of several kinds."""
    world = World(seed=5)
    alice, bob = world.add_user("alice"), world.add_user("bob", channel="server-side")
    world.populate(alice, contacts=1500, appointments=100, tasks=100, side="both")
    world.populate(bob, contacts=800, appointments=50, side="crm")
    world.configure(by=world.admin, sync_appointment_attachments=True)
    reports = world.sync().cycles
    world.network.fail_write(700, lose_response=True)
    reports += world.sync().cycles
    world.network.throttle_write(3, retry_after=20)
    reports += world.sync().cycles
    for n, crm_id in enumerate(world.crm.ids("contact")[:300]):
        world.crm.update("contact", crm_id, {"jobtitle": f"changed {n}"})
    world.configure(by=world.admin, contact_address_sync="all-three")
    world.network.inject(Faults(probability=0.002, seed=7))
    reports += world.sync().cycles
    world.configure_field(by=world.admin, entity="contact", field="jobtitle", direction="crm-to-outlook")
    now = world.clock.now()
    world.network.inject(Faults(down=(now + timedelta(hours=1), now + timedelta(hours=2))))
    reports += world.sync(2).cycles
    return _cycles(reports), _stores(world)


def test_a_simulation_with_faults_ends_alike_with_the_fast_paths_off():
    fast, plain = both_ways(_simulation)
    assert fast[0] == plain[0] and len(fast[0]) > 5000
    assert fast[1] == plain[1]


def test_syncsim_simulate_writes_the_same_trace_with_the_variable_at_0_or_1(tmp_path: Path):
    """The switch as a user sets it: the environment of a new process."""
    traces = []
    for value in ("0", "1"):
        trace = tmp_path / f"fast-{value}.jsonl"
        command = [sys.executable, "-m", "syncsim.harness.tools.cli", "simulate", "--seed", "5"]
        command += ["--contacts", "2000", "--cycles", "4", "--set", "3:contact_address_sync=all-three"]
        env = {**os.environ, speed.VARIABLE: value}
        done = subprocess.run([*command, "--trace", str(trace)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        traces.append(trace.read_bytes())
    assert traces[0] == traces[1] and traces[0].count(b"\n") > 4000


def _searches() -> list[str]:
    """A search that finds the naive engine (its reproducer and report) and a clean search of the
    reference engine (what it met)."""
    found = explore("naive", 3, max_examples=40, steps=12)  # (a seed whose 40 sequences find it)
    clean = explore("reference", 4, max_examples=40, steps=15)
    assert found.found and not clean.found
    return [report.reproducer(found), report.markdown(found), repr(clean.coverage), str(clean.examples)]


def test_explore_finds_the_same_with_the_fast_paths_off():
    fast, plain = both_ways(_searches)
    assert fast == plain
