"""syncsim explore at CI scale: how many sequences a minute (bench/zoo_bench.py: how soon it finds
each broken engine of the zoo).

    python bench/explore_bench.py [--sequences 10000] [--steps 50] [--seed 2026] [--json]
    python bench/explore_bench.py --parallel [--sequences 4000]

Measured in this one run on this machine:

1. the reference engine over ``--sequences`` sequences of up to ``--steps`` operations (the issue's
   target: 10,000 x 50 in under 10 minutes on 2 cores), as seconds, sequences a second, and the
   ratio to the 600 s target;
2. the cost of one explored operation against one plain sync cycle of a world of the same size
   (so the figure can be read on another machine);
3. with ``--parallel`` instead: the same search in one process, in a pool of two (``--workers
   2``) and on a local Dask cluster of two worker processes (``--scheduler local:2``, its start
   included), in turn, as sequences a second.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from typing import Any

from syncsim.harness.sim.clock import held_freeze
from syncsim.harness.tools.explore import explore
from syncsim.harness.tools.explore.runner import Runner

TARGET_SECONDS = 600.0
CI_SEED, CI_SEQUENCES, CI_STEPS = 2026, 2000, 50


def reference_run(sequences: int, steps: int, seed: int) -> dict[str, Any]:
    start = time.perf_counter()
    outcome = explore("reference", seed, sequences, steps)
    seconds = time.perf_counter() - start
    return {
        "sequences": outcome.examples,
        "operations": outcome.coverage.steps,
        "seconds": seconds,
        "violation": outcome.message or None,
        "per_second": outcome.examples / seconds,
        "ratio_to_target": seconds / TARGET_SECONDS,
        "ms_per_operation": 1000 * seconds / max(outcome.coverage.steps, 1),
    }


def plain_cycle_ms(rounds: int = 200) -> float:
    """One sync cycle of explore's small organization with one edit, as a yardstick."""
    with held_freeze(real_time_for=(__name__,)):  # the frozen clock moves; perf_counter must not
        runner = Runner("reference", 1)
        for op in (("create", "alice", "contact", "CRM"), ("create", "bob", "task", "Outlook"), ("sync",)):
            runner.apply(op)
        start = time.perf_counter()
        for number in range(rounds):
            runner.apply(("edit", 0, "CRM", number % 3, "Oslo" if number % 2 else "Bergen"))
            runner.apply(("sync",))
        return 1000 * (time.perf_counter() - start) / rounds


#: the ways to run one search, as the command line says them
PARALLEL = (
    ("--workers 1", {}),
    ("--workers 2", {"workers": 2}),
    ("--scheduler local:2", {"scheduler": "local:2"}),
)


def parallel_runs(sequences: int, steps: int, seed: int) -> list[dict[str, Any]]:
    """The reference engine's search in each way of :data:`PARALLEL`, one after the other."""
    rows = []
    for mode, how in PARALLEL:
        start = time.perf_counter()
        outcome = explore("reference", seed, sequences, steps, **how)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        rows.append({"mode": mode, "sequences": outcome.examples, "seconds": seconds})
    one = rows[0]["sequences"] / rows[0]["seconds"]
    for row in rows:
        row["per_second"] = row["sequences"] / row["seconds"]
        row["speed_up"] = row["per_second"] / one
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequences", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=CI_SEED)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--parallel", action="store_true", help="one process, --workers 2 and --scheduler local:2, in turn"
    )
    args = parser.parse_args()
    if args.parallel:
        rows = parallel_runs(args.sequences, args.steps, args.seed)
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        print(f"reference engine, seed {args.seed}, {args.sequences:,} sequences of up to {args.steps}:")
        for row in rows:
            print(
                f"  {row['mode']:<20} {row['seconds']:7.1f} s  {row['per_second']:6.1f} sequences/s  "
                f"{row['speed_up']:.2f}x"
            )
        return 0
    cycle = plain_cycle_ms()
    reference = reference_run(args.sequences, args.steps, args.seed)
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "reference": reference,
        "plain_cycle_ms": cycle,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print_reference(reference, cycle, args)
    return 0


def print_reference(r: dict[str, Any], cycle: float, args: argparse.Namespace) -> None:
    print(
        f"reference engine, seed {args.seed}: {r['sequences']:,} sequences of up to {args.steps} operations"
    )
    print(f"  {r['seconds']:.1f} s, {r['per_second']:.0f} sequences/s, {r['operations']:,} operations")
    print(f"  {r['ratio_to_target']:.2f} of the 600 s target; violation: {r['violation'] or 'none'}")
    print(
        f"  one operation {r['ms_per_operation']:.3f} ms = {r['ms_per_operation'] / cycle:.2f} plain cycles"
    )
    print(f"  (a plain cycle of the small organization with one edit: {cycle:.3f} ms)")


if __name__ == "__main__":
    raise SystemExit(main())
