"""How soon explore finds each broken engine of the zoo (tests/zoo.py), as ETNA and FuzzBench
measure bug finders.

    python bench/zoo_bench.py [--seeds 10] [--workers 2] [--engines A,B] [--json]

Each engine at the CI's budget (2,000 sequences of 50 operations, not shrunk) over ``--seeds``
seeds from 2026, alone and against the reference engine, each search in a process of its own:
how often it is found and by which invariant, the median and worst sequences and CPU seconds to
the first finding (over the seeds that found it), findings per CPU-minute, and how many of the
findings' reports say in words what went wrong.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from syncsim.harness.tools.explore import explore, report

CI_SEED, CI_SEQUENCES, CI_STEPS = 2026, 2000, 50


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
        "explained": bool(report.diagnosis(outcome)) if outcome.found else False,
    }


def zoo_runs(seeds: int, workers: int, engines: list[str] | None = None) -> list[dict[str, Any]]:
    """Every engine of the zoo over ``seeds`` seeds (2026 and the next ones), alone and against
    the reference engine, in ``workers`` processes (each search is one process's own)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import zoo

    jobs = [
        (engine.__name__, CI_SEED + n, against)
        for engine in zoo.FOUND_BY
        if engines is None or engine.__name__ in engines
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
                "explained": f"{sum(row['explained'] for row in found)}/{len(found)}",
            }
        )
    return table


def print_zoo(zoo: list[dict[str, Any]], seeds: int) -> None:
    print(
        f"zoo at the CI budget ({CI_SEQUENCES} sequences of {CI_STEPS}, not shrunk), seeds {CI_SEED} to "
        f"{CI_SEED + seeds - 1}, CPU seconds:"
    )
    print(
        "| engine | mode | found | by | sequences, median / worst | CPU s, median / worst | per CPU-minute "
        "| what went wrong named |"
    )
    print("|---|---|---:|---|---:|---:|---:|---:|")
    for row in zoo:
        sequences = (
            f"{row['median_sequences']:g} / {row['worst_sequences']}" if row["worst_sequences"] else "-"
        )
        seconds = f"{row['median_seconds']:.1f} / {row['worst_seconds']:.1f}" if row["worst_seconds"] else "-"
        by = ", ".join(row["by"]) or "-"
        print(
            f"| {row['engine']} | {row['mode']} | {row['found']} | {by} | {sequences} | {seconds} | "
            f"{row['per_cpu_minute']:.1f} | {row['explained']} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=10, help="seeds per engine and mode (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the searches (default 2)")
    parser.add_argument("--engines", help="only these engines of the zoo, by class name, comma-separated")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.workers <= (os.cpu_count() or 1):
        parser.error(f"--workers {args.workers}: between 1 and the {os.cpu_count()} cores of this machine")
    engines = args.engines.split(",") if args.engines else None
    table = zoo_table(zoo_runs(args.seeds, args.workers, engines))
    if args.json:
        print(json.dumps(table, indent=2))
    else:
        print_zoo(table, args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
