"""Two checkouts of syncsim measured in instructions, which do not move with the machine:

    git worktree add /tmp/base <commit>
    python bench/instructions.py --base /tmp/base [--contacts 30000] [--cycles]

Each figure is cachegrind's count of instructions (``valgrind --tool=cachegrind``) of a child
process that populates N CRM contacts and runs the initial cycle, minus that of one that only
populates them, divided by N: what a record's initial cycle costs. With ``--cycles``, also the
incremental cycles after 100 and after 1% of the contacts changed (each minus the process before
it), per cycle. The process ends before its teardown (``os._exit``), ``PYTHONHASHSEED=0``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from compare_trees import HERE, IMPORT_TREE

#: the work of one child, by step: each step includes the ones before it
STEPS = {
    "populate": "",
    "initial": "world.sync()\n",
    "100 changes": "change(100); world.sync()\n",
    "1% changed": "change(max(n // 100, 1)); world.sync()\n",
}

CHILD = (
    IMPORT_TREE
    + """
import os
n, upto = int(sys.argv[1]), sys.argv[3]
world = World(seed=1)
user = world.add_user("user")
world.populate(user, contacts=n, side="crm")
def change(count):
    for crm_id in world.crm.ids("contact")[:count]:
        world.crm.update("contact", crm_id, {"jobtitle": f"changed {count}"})
"""
)


def instructions(tree: Path, n: int, upto: str) -> int:
    """cachegrind's instruction count of a child that does every step up to ``upto``."""
    steps = list(STEPS)
    script = CHILD + "".join(STEPS[step] for step in steps[: steps.index(upto) + 1]) + "os._exit(0)\n"
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "cachegrind.out"
        done = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}"]
            + [sys.executable, "-c", script, str(n), str(tree), upto],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(done.stderr[-2000:])
        [summary] = re.findall(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
        return int(summary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, type=Path, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--contacts", type=int, default=30_000, help="N contacts (default 30,000)")
    parser.add_argument("--cycles", action="store_true", help="also the incremental cycles")
    args = parser.parse_args()
    if not (args.base / "harness" / "__init__.py").is_file():
        parser.error(f"--base {args.base}: not a syncsim checkout (no harness/__init__.py)")
    steps = list(STEPS) if args.cycles else ["populate", "initial"]
    print(f"base: {args.base}; this: {HERE}; {args.contacts:,} contacts; instructions, base -> this (ratio)")
    counts = {
        name: [instructions(tree, args.contacts, step) for step in steps]
        for name, tree in (("base", args.base), ("this", HERE))
    }
    for n, step in enumerate(steps):
        base, this = (counts[name][n] - (counts[name][n - 1] if n else 0) for name in ("base", "this"))
        per = args.contacts if step in ("populate", "initial") else 1
        unit = "a record" if per > 1 else "the cycle"
        print(f"{step:>12}: {base / per:>14,.0f} -> {this / per:>14,.0f} {unit} ({this / base:.3f}x)")


if __name__ == "__main__":
    main()
