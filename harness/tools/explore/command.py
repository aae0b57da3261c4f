"""``syncsim explore``: its options, its progress on the terminal, and what it hands over.

A finding is handed over as a reproducer that lints and runs (both checked before it is written),
with the report that explains it beside it (``.md`` and ``.html``); a run finds nothing, and says
what its sequences exercised. Exit codes: 0 nothing found, 1 a violation (or a divergence), 2
misuse, 3 the engine under test crashed, 4 nothing found but a situation of the reachability list
never reached (with ``--require-reach``).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import output
from .cache import database_path

if TYPE_CHECKING:  # the explorer itself is loaded when a run starts (hypothesis is slow to import)
    from .search import Outcome
    from .search import Progress as Seen
from ..lint import lint
from ..runner import run_features

ENGINE_CRASHED = 3
#: the exit code of a clean run that missed a situation, under --require-reach
UNREACHED = 4
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h)?$")


def duration(text: str) -> float:
    """An argparse type: ``90``, ``90s``, ``10m``, ``1.5h`` as seconds."""
    match = _DURATION.match(text.strip().lower())
    if not match or float(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 90s, 10m or 1h")
    return float(match[1]) * {"s": 1, "m": 60, "h": 3600}[match[2] or "s"]


#: the most sequences, operations in one, and worker processes an exploration takes
MAX_EXAMPLES, MAX_STEPS, MAX_WORKERS = 1_000_000, 1_000, 64


def add_arguments(parser: argparse.ArgumentParser, whole: Callable[[int, int], Callable[[str], int]]) -> None:
    """explore's options (``whole(low, high)``: the CLI's type for a bounded whole number)."""
    parser.add_argument("--seed", type=int, default=0, help="the exploration's seed (default 0)")
    parser.add_argument(
        "--max-examples",
        type=whole(1, MAX_EXAMPLES),
        default=300,
        help=f"sequences to try at most (default 300, at most {MAX_EXAMPLES:,})",
    )
    parser.add_argument(
        "--budget",
        type=duration,
        metavar="TIME",
        help="stop after this much time (90s, 10m, 1h), or at --max-examples, whichever comes first",
    )
    parser.add_argument(
        "--shrink-time",
        type=duration,
        default=60.0,
        metavar="TIME",
        help="how long a finding may be shrunk (default 60s); then the smallest failing sequence so far "
        "is written (after --budget too: a finding is never lost to the budget)",
    )
    parser.add_argument(
        "--steps",
        type=whole(1, MAX_STEPS),
        default=50,
        help=f"operations per sequence, at most (default 50; {MAX_STEPS:,} the most)",
    )
    parser.add_argument(
        "--against",
        metavar="ENGINE",
        help="differential mode: run every sequence on this engine too and report the first one after "
        "which the two engines' stores differ",
    )
    parser.add_argument(
        "--database",
        metavar="DIR",
        help=f"where found failures are kept and tried first next time (default {database_path()}; "
        "'none' keeps nothing)",
    )
    parser.add_argument(
        "--out",
        default=".",
        metavar="DIR",
        help="where to write the reproducer and its report (a folder; made when new)",
    )
    parser.add_argument(
        "--coverage", action="store_true", help="print every operation, fault kind and rule the sequences met"
    )
    parser.add_argument(
        "--require-reach",
        action="store_true",
        help=f"exit {UNREACHED} when the search found nothing but never reached one of the situations it "
        "must (every run lists them: all-day appointments, lost responses, a disabled mailbox, ...)",
    )
    parser.add_argument(
        "--workers",
        type=whole(1, MAX_WORKERS),
        default=1,
        metavar="N",
        help="run the rounds of 200 sequences in N processes (the same findings as one; the cache of "
        f"kept findings is not read then); at most this machine's cores ({cores()}) without --force",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="allow --workers above the number of cores (each worker is a whole process)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the rounds on a Dask cluster: tcp://HOST:PORT of a running `dask scheduler`, or local:N "
        "for N worker processes on this machine (the same findings as one process; needs "
        "pip install 'syncsim[cluster]'; docs/cluster.md)",
    )


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # (not on every system: Windows, macOS)
        return os.cpu_count() or 1


def run(args: argparse.Namespace, console: Console, usage: Callable[[str], Exception]) -> int:
    try:
        out = output.folder(args.out, "--out")
    except ValueError as bad:
        raise usage(f"syncsim explore: {bad}") from None
    if args.workers > cores() and not args.force:
        raise usage(
            f"syncsim explore: --workers {args.workers}: this machine has {cores()} cores; "
            "more workers than cores only wait for each other (--force allows it)"
        )
    if args.scheduler is not None:
        from .cluster import ClusterError, check_address, require_distributed

        if args.workers > 1:
            raise usage("syncsim explore: --scheduler and --workers: give one (the cluster has its workers)")
        try:
            check_address(args.scheduler)
            require_distributed()
        except ClusterError as bad:
            raise usage(f"syncsim explore: {bad}") from None
    database = None if args.database == "none" else Path(args.database) if args.database else database_path()
    limit = f", for {args.budget:g} s at most" if args.budget else ""
    vs = f", against {args.against}" if args.against else ""
    console.print(
        f"exploring: engine {args.engine}{vs}, seed {args.seed}, up to {args.max_examples} sequences of "
        f"up to {args.steps} operations{limit}"
    )
    try:
        outcome = _with_progress(args, console, database)
    except Exception as failed:  # a cluster that cannot be used says why, in one line
        if type(failed).__name__ != "ClusterError":
            raise
        raise usage(f"syncsim explore: {failed}") from None
    _print_coverage(outcome, console, args.coverage)
    missed = _print_reach(outcome, console)
    if not outcome.found:
        console.print(f"0 violations in {outcome.examples} sequences ({outcome.seconds:.1f} s)")
        if missed and args.require_reach:
            console.print(
                f"[bold red]{len(missed)} situation(s) never reached:[/] {escape(', '.join(missed))}"
            )
            return UNREACHED
        return 0
    return _hand_over(outcome, out, console, args.engine)


def _print_reach(outcome: Outcome, console: Console) -> list[str]:
    """Every situation of the reachability list with how often the run met it; returns those it
    never met (a clean run says nothing about them)."""
    from . import reach

    counts = reach.reached(outcome.coverage.situations, outcome.coverage.rules)
    missed = reach.never(outcome.coverage.situations, outcome.coverage.rules)
    console.print(
        f"reached {len(counts) - len(missed)} of {len(counts)} situations: "
        + "; ".join(f"{name} {count}" for name, count in counts.items()),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if missed:
        console.print(
            f"never reached (nothing is known of them): {', '.join(missed)}", markup=False, soft_wrap=True
        )
    console.print(
        "never tried (explore cannot make them yet; nothing is known of them): "
        + "; ".join(f"{name} ({why})" for name, why in reach.NOT_EXPLORED),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return missed


def _with_progress(args: argparse.Namespace, console: Console, database: Path | None) -> Outcome:
    """A bar on a terminal (sequences, steps, violations, rate); in a log, a line every tenth."""
    from .search import explore

    every = max(args.max_examples // 10, 1)
    columns = (
        TextColumn("sequences"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[steps]} steps, {task.fields[rate]:.0f}/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("explore", total=args.max_examples, steps=0, rate=0.0)

        def told(seen: Seen) -> None:
            if console.is_terminal:
                bar.update(
                    task, completed=min(seen.sequences, args.max_examples), steps=seen.steps, rate=seen.rate
                )
            elif seen.sequences % every == 0 and seen.sequences <= args.max_examples:
                console.print(
                    f"explored {seen.sequences} of {args.max_examples} sequences, {seen.steps} steps, "
                    f"{seen.rate:.0f}/s"
                )

        return explore(
            args.engine,
            args.seed,
            args.max_examples,
            args.steps,
            progress=told,
            budget_seconds=args.budget,
            database=database,
            against=args.against,
            workers=args.workers,
            shrink_seconds=args.shrink_time,
            scheduler=args.scheduler,
        )


def _print_coverage(outcome: Outcome, console: Console, full: bool) -> None:
    from .search import describe

    data = describe(outcome)
    faults = ", ".join(f"{k} {v}" for k, v in data["faults"].items()) or "none"
    console.print(
        f"coverage: {data['sequences']} sequences, {data['steps']} operations; faults: {faults}; "
        f"{len(data['rules_in_events'])} rules named in events; "
        f"{data['settings_at_syncs']} setting combinations synced",
        markup=False,
        soft_wrap=True,
    )
    if full:
        for section in ("operations", "faults", "rules_in_events"):
            console.print(f"  {section}: {data[section]}", markup=False, soft_wrap=True)


def _hand_over(outcome: Outcome, out: Path, console: Console, engine: str) -> int:
    """Lint and run the reproducer, then write it and its report; say what was found."""
    from . import report
    from .search import CRASH

    path = report.reproducer_path(outcome, out)
    text = report.reproducer(outcome)
    problems, reproduces = check(text, path.name, engine)
    crashed = outcome.invariant == CRASH
    label = f"the engine crashed: {outcome.message}" if crashed else f"{outcome.invariant} broken"
    console.print(f"[bold red]{escape(label)}[/] (sequence {outcome.examples})", soft_wrap=True)
    for line in report.text(outcome):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    out.mkdir(parents=True, exist_ok=True)  # (a new --out: made with any folders missing above it)
    output.write(path, text)
    output.write(path.with_suffix(".md"), report.markdown(outcome))
    output.write(path.with_suffix(".html"), report.as_html(outcome))
    console.print(f"reproducer written to {path} (report: {path.with_suffix('.md').name}, .html)")
    for problem in problems:  # a defect of explore itself: say so rather than hand over a broken file
        console.print(f"[bold red]the reproducer does not lint:[/] {escape(problem)}", soft_wrap=True)
    if not reproduces:
        console.print("[bold red]the reproducer passed when run: it does not reproduce the finding[/]")
    else:
        console.print(f"run it: syncsim run {path} --engine {engine} (checked: it fails as found)")
    return ENGINE_CRASHED if crashed else 1


def check(text: str, name: str, engine: str) -> tuple[list[str], bool]:
    """A reproducer's lint findings, and whether running it fails (as it must), before it is
    written anywhere."""
    with tempfile.TemporaryDirectory(prefix="syncsim-reproducer-") as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        problems = [str(finding).replace(str(path), name) for finding in lint([path])]
        if problems:
            return problems, False
        quiet = ["-p", "no:terminal", "-p", "no:xdist", "-p", "no:cacheprovider"]
        return [], run_features([path], quiet, engine=engine).exit_code == 1
