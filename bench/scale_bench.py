"""syncsim at scale, each measurement in a fresh process (its own peak memory, VmHWM):

    python bench/scale_bench.py [--only NAME ...] [--rounds N]

- ``million``: 1,000,000 contacts for one user: populate, then the initial cycle; peak memory.
- ``floor``: 100,000 contacts: the initial cycle against the dict-copy floor (copying the same
  records dict to dict, measured in the same process, the garbage collector on as Python runs),
  in wall-clock time (``ratio``) and in the process's CPU time (``cpu_ratio``: on a shared virtual
  machine, time the host gives to others lengthens the second-long cycle more than the floor).
- ``users``: 1,000 users x 100 contacts (the same 100,000 records spread out): the initial cycle
  and a cycle after 100 changes, against one user holding all 100,000.
- ``organization``: 1,000 users x 1,000 contacts synced once: per-user cost of the first and the
  last hundred users (flat when a user's cycle reads only that user's changes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

SCRIPTS = {
    "million": """
w = World(seed=1); u = w.add_user("alice")
t = clock(); w.populate(u, contacts=1_000_000, side="crm"); populate = clock() - t
t = clock(); w.sync(); initial = clock() - t
out(populate_s=populate, initial_s=initial, total_s=populate + initial)
""",
    "floor": """
w = World(seed=1); u = w.add_user("alice"); w.populate(u, contacts=100_000, side="crm")
records = {r["contactid"]: r for r in w.crm.query("contact")}
t, c = clock(), time.process_time(); {k: dict(v) for k, v in records.items()}
floor, floor_cpu = clock() - t, time.process_time() - c
t, c = clock(), time.process_time(); w.sync(); initial, initial_cpu = clock() - t, time.process_time() - c
ids = w.crm.ids("contact")[:100]
for i in ids: w.crm.update("contact", i, {"jobtitle": "Changed"})
t = clock(); w.sync(); hundred = clock() - t
out(floor_s=floor, initial_s=initial, ratio=initial / floor, cpu_ratio=initial_cpu / floor_cpu,
    hundred_changes_ms=hundred * 1000)
""",
    "users": """
w = World(seed=1)
users = [w.add_user(f"u{n}") for n in range(1000)]
for u in users: w.populate(u, contacts=100, side="crm")
t = clock(); w.sync(); initial = clock() - t
ids = w.crm.ids("contact")[:100]
for i in ids: w.crm.update("contact", i, {"jobtitle": "Changed"})
t = clock(); w.sync(); hundred = clock() - t
out(initial_s=initial, per_user_ms=initial / 1000 * 1000, hundred_changes_ms=hundred * 1000)
""",
    "organization": """
w = World(seed=1)
users = [w.add_user(f"u{n}") for n in range(1000)]
t = clock()
for u in users: w.populate(u, contacts=1000, side="crm")
populate = clock() - t
# CPU time per user: the world's clock is frozen while it syncs (freezegun), perf_counter with it
marks = [time.process_time()]
t = clock(); w.sync(progress=lambda user: marks.append(time.process_time())); initial = clock() - t
times = [b - a for a, b in zip(marks, marks[1:])]  # per user, the administrator first
first, last = sum(times[1:101]) / 100, sum(times[-100:]) / 100
out(populate_s=populate, initial_s=initial, first_100_ms=first * 1000, last_100_ms=last * 1000,
    last_over_first=last / first)
""",
}
PRELUDE = """
import json, time
from pathlib import Path
from syncsim.harness import World
clock = time.perf_counter
def out(**figures):
    lines = Path("/proc/self/status").read_text().splitlines()
    figures["peak_mb"] = [int(l.split()[1]) for l in lines if l.startswith("VmHWM:")][0] / 1024
    print(json.dumps(figures))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", choices=list(SCRIPTS), default=list(SCRIPTS))
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="run each measurement this many times, each in a fresh process, and also show each "
        "figure's least (noise only slows a run down); for floor, the ratio of the least cycle to "
        "the least floor (default 1)",
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"--rounds {args.rounds}: at least 1")
    for name in args.only:
        rounds = []
        for _ in range(args.rounds):
            figures = measure(name)
            if figures is None:
                return 1
            rounds.append(figures)
            print(f"{name}: {shown(figures)}", flush=True)
        if args.rounds > 1:
            least = {key: min(figures[key] for figures in rounds) for key in rounds[0]}
            if "floor_s" in least:
                least["ratio"] = least["initial_s"] / least["floor_s"]
                least.pop("cpu_ratio", None)  # (each round's own: the least of those is no ratio of leasts)
            print(f"{name}, least of {args.rounds}: {shown(least)}", flush=True)
    return 0


def measure(name: str) -> dict[str, float] | None:
    """One measurement in a fresh process: its figures (None, said why, when it failed)."""
    done = subprocess.run([sys.executable, "-c", PRELUDE + SCRIPTS[name]], capture_output=True, text=True)
    if done.returncode:
        print(f"{name}: failed\n{done.stderr[-2000:]}")
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def shown(figures: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:,.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items())


if __name__ == "__main__":
    raise SystemExit(main())
