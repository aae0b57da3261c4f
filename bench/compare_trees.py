"""Two checkouts of syncsim, timed turn about in one run: the ratios a change's note can quote.

    git worktree add /tmp/base <commit>
    python bench/compare_trees.py --base /tmp/base [--sizes 1000,10000,100000] [--rounds 5]

Each round runs a fresh process per tree and size (the base first, then this tree), so both
trees meet the same machine; each figure is the least of the rounds (the best a tree did,
which noise from other work on the machine can only make slower). The cycles timed are those
of ``sync_bench.py``: the initial cycle for N CRM contacts, then incremental cycles after 100
and after 1% of them changed in CRM.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
METRICS = ("initial", "incremental, 100 changes", "incremental, 1%")

#: the start of a child process's script: ``World`` imported from the tree ``sys.argv[2]``, whatever
#: its layout (syncsim/ linking to the top-level folders, the build configuration mapping them, or
#: a top-level harness before the syncsim package)
IMPORT_TREE = """
import json, sys, time
from pathlib import Path
tree = Path(sys.argv[2]).resolve()
if (tree / "syncsim" / "harness").is_dir():  # syncsim/ links to the top-level folders
    import syncsim.harness
    from syncsim.harness import World
    where = Path(syncsim.harness.__file__)
elif (tree / "syncsim").is_dir():  # the build configuration maps the top-level folders into syncsim
    import importlib.util, tomllib
    mapped = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    class Mapped:  # what an editable install of that tree would find
        @staticmethod
        def find_spec(name, path=None, target=None):
            init = tree / mapped.get(name, "-") / "__init__.py"
            if not init.is_file():
                return None
            inside = [str(init.parent)]
            return importlib.util.spec_from_file_location(name, init, submodule_search_locations=inside)
    sys.meta_path.insert(0, Mapped)
    import syncsim.harness
    from syncsim.harness import World
    where = Path(syncsim.harness.__file__)
else:  # a tree from before the syncsim package: its core is the top-level harness
    import harness
    from harness import World
    where = Path(harness.__file__)
if not where.resolve().is_relative_to(tree):
    sys.exit(f"imported {where}, not the tree {tree}")
"""

#: run in a child process with PYTHONPATH at one tree: prints the seconds of each metric as JSON
CHILD = (
    IMPORT_TREE
    + """
n = int(sys.argv[1])
world = World(seed=1)
user = world.add_user("user")
world.populate(user, contacts=n, side="crm")
def timed(work):
    start = time.perf_counter(); work(); return time.perf_counter() - start
out = {"initial": timed(world.sync)}
ids = [r["contactid"] for r in world.crm.query("contact")]
for label, count in (("incremental, 100 changes", 100), ("incremental, 1%", max(n // 100, 1))):
    best = float("inf")
    for round_ in range(3):
        for crm_id in ids[:count]:
            world.crm.update("contact", crm_id, {"jobtitle": f"{label} {round_}"})
        best = min(best, timed(world.sync))
    out[label] = best
print(json.dumps(out))
"""
)


def measure(tree: Path, n: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(tree)],
        env=env,
        cwd=tree,  # ``python -c`` puts the working directory first on sys.path: the tree's, not ours
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, type=Path, help="the other checkout (e.g. a git worktree)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="contact counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds; each figure is the least (default 5)")
    args = parser.parse_args()
    if not (args.base / "harness" / "__init__.py").is_file():  # the core of every tree, old or new
        parser.error(f"--base {args.base}: not a syncsim checkout (no harness/__init__.py)")
    sizes = [int(size) for size in args.sizes.split(",")]
    best: dict[tuple[str, int, str], float] = {}
    for round_ in range(1, args.rounds + 1):
        for n in sizes:
            for name, tree in (("base", args.base), ("this", HERE)):
                for metric, seconds in measure(tree, n).items():
                    key = (name, n, metric)
                    best[key] = min(best.get(key, float("inf")), seconds)
        print(f"round {round_} of {args.rounds} done", file=sys.stderr)
    print(
        f"base: {args.base}; this: {HERE}; least of {args.rounds} rounds; milliseconds, base -> this (ratio)"
    )
    print("| N contacts | " + " | ".join(METRICS) + " |")
    print("|---:|" + "---:|" * len(METRICS))
    for n in sizes:
        cells = []
        for metric in METRICS:
            base, this = best[("base", n, metric)] * 1000, best[("this", n, metric)] * 1000
            cells.append(f"{base:,.1f} -> {this:,.1f} ({this / base:.2f}x)")
        print(f"| {n:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
