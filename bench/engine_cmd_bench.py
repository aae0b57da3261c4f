"""A sync program judged over HTTP, started once a cycle or kept running for each scenario.

    python bench/engine_cmd_bench.py [FEATURES...] [--program "python my_sync.py"] [--workers 2]

Runs ``syncsim run --engine-cmd PROGRAM`` over the features (default: every built-in feature)
twice in this one run, once per cycle and once ``--persistent``, and prints each wall time, the
ratio, and that the two runs ended the same, run by run and step by step (``--baseline``).
The program defaults to the standard-library example, examples/http_engine/sync.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = f"{sys.executable} {ROOT / 'examples' / 'http_engine' / 'sync.py'}"


def run(features: list[str], program: str, workers: int, extra: list[str]) -> tuple[float, str]:
    command = [
        sys.executable,
        "-m",
        "syncsim.harness.tools.cli",
        "run",
        *features,
        "--engine-cmd",
        program,
        *extra,
    ]
    command += ["--", "-n", str(workers)] if workers > 1 else ["--", "-p", "no:xdist"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    said = done.stdout.splitlines()
    lines = [line for line in said if line.startswith(("all scenario runs", "against the"))]
    worse = [f"\n  {line.strip()}" for line in said if line.strip().startswith("worse: ")]
    return time.perf_counter() - start, "; ".join(lines) + "".join(worse)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features", nargs="*", default=[str(ROOT / "features")])
    parser.add_argument("--program", default=EXAMPLE)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        saved = str(Path(folder) / "per-cycle.json")
        once, said = run(args.features, args.program, args.workers, ["--save-baseline", saved])
        print(f"started once a cycle:     {once:7.1f} s  ({said})")
        kept, said = run(args.features, args.program, args.workers, ["--persistent", "--baseline", saved])
        print(f"kept running (--persistent): {kept:7.1f} s  ({said})")
        print(f"ratio persistent / per cycle: {kept / once:.2f}")


if __name__ == "__main__":
    main()
