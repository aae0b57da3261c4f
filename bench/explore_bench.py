"""syncsim explore at CI scale: how many sequences a minute, and how soon the zoo is found.

    python bench/explore_bench.py [--sequences 10000] [--steps 50] [--seed 2026] [--no-zoo] [--json]

Measured in this one run on this machine:

1. the reference engine over ``--sequences`` sequences of up to ``--steps`` operations (the issue's
   target: 10,000 x 50 in under 10 minutes on 2 cores), as seconds, sequences a second, and the
   ratio to the 600 s target;
2. the cost of one explored operation against one plain sync cycle of a world of the same size
   (so the figure can be read on another machine);
3. each engine of the zoo (tests/zoo.py) at the CI's budget (seed 2026, 2,000 sequences of 50
   operations, not shrunk): whether it is found, after how many sequences and seconds.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

from syncsim.harness.sim.clock import held_freeze
from syncsim.harness.tools.explore import DIVERGED, explore
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


def zoo_runs() -> list[dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import zoo

    rows = []
    for engine, found_by in zoo.FOUND_BY.items():
        name = f"zoo:{engine.__name__}"
        against = "reference" if found_by == (DIVERGED,) else None
        start = time.perf_counter()
        outcome = explore(name, CI_SEED, CI_SEQUENCES, CI_STEPS, against=against, shrink=False)
        rows.append(
            {
                "engine": engine.__name__,
                "found": outcome.invariant,
                "expected": " or ".join(found_by),
                "sequences": outcome.examples,
                "seconds": time.perf_counter() - start,
            }
        )
        print(f"  {engine.__name__}: {outcome.invariant} after {outcome.examples} sequences", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequences", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=CI_SEED)
    parser.add_argument("--no-zoo", action="store_true", help="skip the zoo")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cycle = plain_cycle_ms()
    reference = reference_run(args.sequences, args.steps, args.seed)
    zoo = [] if args.no_zoo else zoo_runs()
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "reference": reference,
        "plain_cycle_ms": cycle,
        "operation_per_cycle": reference["ms_per_operation"] / cycle,
        "zoo": zoo,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    r = reference
    print(
        f"reference engine, seed {args.seed}: {r['sequences']:,} sequences of up to {args.steps} operations"
    )
    print(f"  {r['seconds']:.1f} s, {r['per_second']:.0f} sequences/s, {r['operations']:,} operations")
    print(f"  {r['ratio_to_target']:.2f} of the 600 s target; violation: {r['violation'] or 'none'}")
    print(
        f"  one operation {r['ms_per_operation']:.3f} ms = {result['operation_per_cycle']:.2f} plain cycles"
    )
    print(f"  (a plain cycle of the small organization with one edit: {cycle:.3f} ms)")
    if zoo:
        print(f"zoo at the CI budget (seed {CI_SEED}, {CI_SEQUENCES} sequences of {CI_STEPS}, not shrunk):")
        print("| engine | found | sequences | seconds |")
        print("|---|---|---:|---:|")
        for row in zoo:
            found = (
                row["found"]
                if row["found"] in row["expected"].split(" or ")
                else f"{row['found']} (expected {row['expected']})"
            )
            print(f"| {row['engine']} | {found or 'NOT FOUND'} | {row['sequences']} | {row['seconds']:.1f} |")
        print(f"found: {sum(1 for row in zoo if row['found'])} of {len(zoo)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
