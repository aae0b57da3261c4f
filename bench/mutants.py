"""How many of mutmut's mutants of the engine package the suite kills.

    pip install -e ".[test,bench]" && python bench/mutants.py [--max-children 2]

mutmut (configured under ``[tool.mutmut]`` in pyproject.toml) mutates every module of
``harness/engine/`` but the protocol and the registry, and judges each mutant with the tests that
reach the mutated function (the engine, feature, fault, API, store and settings tests). This script
runs it, then prints per module: mutants, killed, survived, not reached by any test, and the share
killed of those that are not equivalent. Equivalent mutants (changes no test can see, because the
program means the same) are listed by name in ``bench/equivalent-mutants.txt``, each with why.
Survivors are listed at the end; ``cd build/mutmut && mutmut show NAME`` shows one.

mutmut mutates files where the package's own name finds them (``syncsim/harness/...``), so it runs
in ``build/mutmut/``: the package laid out there by the build configuration itself (``pip install
--target``), beside copies of the tests, features, docs, examples and the README.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: where mutmut runs: the package as installed, and what its tests read beside it
STAGE = ROOT / "build" / "mutmut"
BESIDE = ("tests", "features", "docs", "examples", "README.md", "pyproject.toml")
EQUIVALENT = Path(__file__).with_name("equivalent-mutants.txt")
KILLED = {"killed", "timeout", "caught by type check"}


def equivalent() -> dict[str, str]:
    """Mutant name -> why it is equivalent, from the checked-in list."""
    if not EQUIVALENT.exists():
        return {}
    found = {}
    for line in EQUIVALENT.read_text().splitlines():
        name, _, why = line.partition("#")
        if name.strip():
            found[name.strip()] = why.strip()
    return found


def results() -> dict[str, str]:
    """Mutant name -> status, as mutmut recorded them."""
    out = subprocess.run(
        ["mutmut", "results", "--all", "true"], cwd=STAGE, capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in out.splitlines():
        name, colon, status = line.strip().rpartition(": ")
        if colon:
            found[name] = status
    return found


def stage() -> None:
    """Lay the package out in ``STAGE`` as a wheel would, with copies of what its tests read."""
    shutil.rmtree(STAGE / "syncsim", ignore_errors=True)
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--upgrade"]
    subprocess.run([*install, "--target", str(STAGE), str(ROOT)], check=True)
    for name in BESIDE:
        source, target = ROOT / name, STAGE / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def module_of(name: str) -> str:
    return name.split(".x_", 1)[0].split(".xǁ", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="mutants judged at once (default 2)")
    parser.add_argument("--no-run", action="store_true", help="only report what the last run recorded")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.no_run:
        stage()
        subprocess.run(["mutmut", "run", "--max-children", str(args.max_children)], cwd=STAGE, check=False)
    statuses, skip = results(), equivalent()
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses.items():
        row = table[module_of(name)]
        row["mutants"] += 1
        row["equivalent" if name in skip else "killed" if status in KILLED else status] += 1
    total: Counter[str] = sum(table.values(), Counter())
    figures = {module: _figures(row) for module, row in sorted(table.items())} | {"all": _figures(total)}
    survivors = sorted(n for n, s in statuses.items() if s not in KILLED and n not in skip)
    if args.json:
        print(json.dumps({"modules": figures, "survivors": survivors}, indent=2))
    else:
        heads = ("mutants", "killed", "survived", "no tests", "equiv", "score")
        print(f"{'module':<40}", *(f"{head:>9}" for head in heads))
        for module, f in figures.items():
            cells = [f"{f[key]:>9}" for key in ("mutants", "killed", "survived", "no tests", "equivalent")]
            print(f"{module:<40}", *cells, f"{f['score']:>9.1%}")
        print(f"\nsurvivors ({len(survivors)}):", *survivors, sep="\n  ")
    return 0


def _figures(row: Counter[str]) -> dict[str, float]:
    judged = row["mutants"] - row["equivalent"]
    return {
        "mutants": row["mutants"],
        "killed": row["killed"],
        "survived": row["survived"],
        "no tests": row["no tests"],
        "equivalent": row["equivalent"],
        "score": row["killed"] / judged if judged else 1.0,
    }


if __name__ == "__main__":
    sys.exit(main())
