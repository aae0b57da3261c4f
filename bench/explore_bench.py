"""syncsim explore at CI scale: how many sequences a minute, and how soon the zoo is found.

    python bench/explore_bench.py [--sequences 10000] [--steps 50] [--seed 2026] [--no-zoo]
        [--zoo-seeds 10] [--workers 2] [--no-reference] [--json]

Measured in this one run on this machine:

1. the reference engine over ``--sequences`` sequences of up to ``--steps`` operations (the issue's
   target: 10,000 x 50 in under 10 minutes on 2 cores), as seconds, sequences a second, and the
   ratio to the 600 s target;
2. the cost of one explored operation against one plain sync cycle of a world of the same size
   (so the figure can be read on another machine);
3. each engine of the zoo (tests/zoo.py) at the CI's budget (2,000 sequences of 50 operations, not
   shrunk) over ``--zoo-seeds`` seeds from 2026, alone and against the reference engine (as ETNA
   and FuzzBench measure bug finders): how often it is found, the median and worst sequences and
   CPU seconds to the first finding, and findings per CPU-minute.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
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


def _one_search(job: tuple[str, int, str | None]) -> dict[str, Any]:
    """One engine of the zoo, one seed, alone or against the reference engine, at the CI budget
    (not shrunk): what it found, after how many sequences, and the CPU seconds it took."""
    name, seed, against = job
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    start = time.process_time()
    outcome = explore(f"zoo:{name}", seed, CI_SEQUENCES, CI_STEPS, against=against, shrink=False)
    return {
        "engine": name,
        "seed": seed,
        "against": against,
        "found": outcome.invariant,
        "sequences": outcome.examples,
        "seconds": time.process_time() - start,
    }


def zoo_runs(seeds: int, workers: int) -> list[dict[str, Any]]:
    """Every engine of the zoo over ``seeds`` seeds (2026 and the next ones), alone and against
    the reference engine, in ``workers`` processes (each search is one process's own)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import zoo

    jobs = [
        (engine.__name__, CI_SEED + n, against)
        for engine in zoo.FOUND_BY
        for against in (None, "reference")
        for n in range(seeds)
    ]
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        rows = []
        for done, row in enumerate(pool.map(_one_search, jobs), start=1):
            rows.append(row)
            if done % 25 == 0:
                print(f"  {done} of {len(jobs)} searches", file=sys.stderr)
    return rows


def zoo_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per engine and mode: found rate, median and worst sequences and CPU seconds to the first
    finding (over the seeds that found it), and findings per CPU-minute."""
    table = []
    for (engine, against), group in itertools.groupby(rows, key=lambda row: (row["engine"], row["against"])):
        runs = list(group)
        found = [row for row in runs if row["found"]]
        cpu = sum(row["seconds"] for row in runs)
        table.append(
            {
                "engine": engine,
                "mode": "against reference" if against else "alone",
                "found": f"{len(found)}/{len(runs)}",
                "by": sorted({row["found"] for row in found}),
                "median_sequences": statistics.median(r["sequences"] for r in found) if found else None,
                "worst_sequences": max((r["sequences"] for r in found), default=None),
                "median_seconds": statistics.median(r["seconds"] for r in found) if found else None,
                "worst_seconds": max((r["seconds"] for r in found), default=None),
                "per_cpu_minute": 60 * len(found) / cpu if cpu else 0.0,
            }
        )
    return table


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequences", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--seed", type=int, default=CI_SEED)
    parser.add_argument("--no-zoo", action="store_true", help="skip the zoo")
    parser.add_argument(
        "--zoo-seeds", type=int, default=10, help="seeds per zoo engine and mode (default 10)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes for the zoo's searches (default 2)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference engine's run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cycle = plain_cycle_ms()
    reference = None if args.no_reference else reference_run(args.sequences, args.steps, args.seed)
    zoo = [] if args.no_zoo else zoo_table(zoo_runs(args.zoo_seeds, args.workers))
    result = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "reference": reference,
        "plain_cycle_ms": cycle,
        "zoo": zoo,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    if reference is not None:
        print_reference(reference, cycle, args)
    if zoo:
        print_zoo(zoo, args.zoo_seeds)
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


def print_zoo(zoo: list[dict[str, Any]], seeds: int) -> None:
    print(
        f"zoo at the CI budget ({CI_SEQUENCES} sequences of {CI_STEPS}, not shrunk), seeds {CI_SEED} to "
        f"{CI_SEED + seeds - 1}, CPU seconds:"
    )
    print(
        "| engine | mode | found | by | sequences, median / worst | CPU s, median / worst | per CPU-minute |"
    )
    print("|---|---|---:|---|---:|---:|---:|")
    for row in zoo:
        sequences = (
            f"{row['median_sequences']:g} / {row['worst_sequences']}" if row["worst_sequences"] else "-"
        )
        seconds = f"{row['median_seconds']:.1f} / {row['worst_seconds']:.1f}" if row["worst_seconds"] else "-"
        by = ", ".join(row["by"]) or "-"
        print(
            f"| {row['engine']} | {row['mode']} | {row['found']} | {by} | {sequences} | {seconds} | "
            f"{row['per_cpu_minute']:.1f} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
