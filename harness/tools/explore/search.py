"""The search: hypothesis draws operation sequences, a :class:`~.runner.Runner` runs each one.

The run goes in rounds of at most :data:`ROUND` sequences, each round with its own seed derived
from the run's seed, until the sequences asked for are done or the time budget is spent; so a
long run never waits for the end of one huge hypothesis run, and the same seed and count give
the same sequences. A broken invariant (or the engine raising) ends the run: hypothesis shrinks
the sequence, and the shrunk one is run once more, recording each item's timeline for the report.
In differential mode each sequence also runs on a second engine, and stores that end differently
are a finding. Found failures are kept in a hypothesis database outside the working folder, so
the next run tries them first.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, reporting, seed, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.internal.conjecture import engine as hypothesis_engine
from hypothesis.internal.conjecture import providers

from ...sim.clock import held_freeze
from .. import output
from . import operations as ops
from .cache import cache_folder
from .runner import (
    Coverage,
    InvariantBroken,
    Moment,
    Runner,
    label_order,
    replay,
)

#: sequences per hypothesis round
ROUND = 200
#: a full garbage collection every this many sequences: a sync keeps the cyclic collector away
#: from what it makes (world.gc_paused), so without one the garbage of thousands of sequences (a
#: world's stores call back into it) piles up to gigabytes before the collector looks
COLLECT_EVERY = 100
#: how long hypothesis may shrink a finding (seconds from the first failure); then the smallest
#: failing sequence found so far is the finding
SHRINK_SECONDS = 60.0
#: the outcome's "invariant" when the engine raised instead of returning
CRASH = "crash"
#: the outcome's "invariant" when the engine's stores end unlike the other engine's
DIVERGED = "differs-from-reference"


@dataclass
class Progress:
    sequences: int = 0
    steps: int = 0
    violations: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.sequences / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Outcome:
    engine: str
    seed: int
    examples: int
    invariant: str | None = None
    message: str = ""
    lines: tuple[str, ...] = ()
    sequence: tuple[ops.Op, ...] = ()
    #: the round whose seed found it (replay: --seed SEED, the same count)
    round_seed: int = 0
    against: str | None = None
    timeline: dict[str, list[Moment]] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=Coverage)
    seconds: float = 0.0
    shrunk: bool = True
    #: for a divergence: what the other engine decided for the item in the cycle they parted
    expected_decisions: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.invariant is not None


class Diverged(AssertionError):
    """The stores of two engines differ after the same operations; ``expected``: Then steps
    stating the other engine's stores for the first item that differs; ``at``: the reproducer's
    lines up to there."""

    def __init__(self, message: str, expected: list[str], at: int, decided: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.expected, self.at, self.decided = expected, at, decided


@contextmanager
def _hypothesis_home() -> Iterator[None]:
    """hypothesis's own files (its cache of constants) in syncsim's cache, not ``./.hypothesis``."""
    set_hypothesis_home_dir(cache_folder() / "hypothesis")
    try:
        yield
    finally:
        set_hypothesis_home_dir(None)


def explore(
    engine: str = "reference",
    run_seed: int = 0,
    max_examples: int = 100,
    steps: int = 30,
    progress: Callable[[Progress], None] | None = None,
    *,
    budget_seconds: float | None = None,
    database: Path | None = None,
    against: str | None = None,
    shrink: bool = True,
    workers: int = 1,
    shrink_seconds: float = SHRINK_SECONDS,
    scheduler: str | None = None,
) -> Outcome:
    """Search for an invariant the engine breaks (or, ``against`` another engine, a sequence after
    which their stores differ); the outcome carries the shrunk reproducer and its timelines
    (``shrink=False``: the sequence as found, longer, found sooner). ``workers`` > 1: the rounds
    run in that many processes (:func:`_in_parallel`), ``scheduler`` (``tcp://HOST:PORT``, or
    ``local:N`` for a cluster of N processes here) on a Dask cluster (:mod:`.cluster`), with the
    same findings as one process would give.
    Shrinking a finding takes ``shrink_seconds`` at most: then the smallest failing sequence so far
    is the finding (the budget stops the search for new ones, never the shrinking of one found)."""
    search = _Search(engine, run_seed, steps, against, shrink, shrink_seconds)
    if scheduler is not None:
        from .cluster import on_cluster

        return on_cluster(search, Tally(search, max_examples, budget_seconds, progress), scheduler)
    if workers > 1:
        return _in_parallel(search, max_examples, progress, workers, budget_seconds)
    seen = Progress()
    coverage = Coverage()
    deadline = seen.started + budget_seconds if budget_seconds else None
    saved = Findings(database, engine, against) if database is not None else None
    done = 0
    round_number = 0
    # one freezegun start for the run, not one per cycle; the budget and rate keep the real clock
    with _hypothesis_home(), held_freeze(real_time_for=(__name__, "syncsim.harness.tools.explore.command")):
        found = _saved_first(search, saved, seen, coverage)
        while found is None and done < max_examples and not (deadline and time.monotonic() >= deadline):
            count = min(ROUND, max_examples - done)
            found = _round(
                search, _derived(run_seed, round_number), count, seen, coverage, progress, deadline
            )
            done += count
            round_number += 1
    if found is None:
        return Outcome(
            engine, run_seed, seen.sequences, coverage=coverage, seconds=seen.seconds, against=against
        )
    if saved is not None:
        saved.keep(list(found.sequence))
    found.examples, found.coverage, found.seconds = seen.sequences, coverage, seen.seconds
    return found


def _in_parallel(
    search: _Search,
    max_examples: int,
    progress: Callable[[Progress], None] | None,
    workers: int,
    budget_seconds: float | None,
) -> Outcome:
    """The rounds of a run spread over processes, ``workers`` at a time. Each round is the one a
    single process would run (its seed derived from the run's seed and its number), and the
    finding is the lowest-numbered failing round's (:class:`Tally`), so the outcome is the one a
    single process gives."""
    tally = Tally(search, max_examples, budget_seconds, progress)
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for start in range(0, len(tally.rounds), workers):
            if tally.spent():
                break
            batch = tally.rounds[start : start + workers]
            jobs = [pool.submit(_one_round, search, n, count, tally.deadline) for n, count in batch]
            for (number, _), job in zip(batch, jobs, strict=True):
                tally.add(number, job.result())
            if tally.finding is not None:
                break
    return tally.outcome()


class Tally:
    """The outcomes of a run's rounds as they come, in any order, added up in round order: the
    lowest-numbered failing round is the finding, and only it and the rounds before it count
    (sequences, operations, reachability), whatever else finished first. So one process, a pool
    of processes and a cluster of any size give the same outcome for the same seed and count."""

    def __init__(
        self,
        search: _Search,
        max_examples: int,
        budget_seconds: float | None,
        progress: Callable[[Progress], None] | None,
    ) -> None:
        self.search, self.progress, self.seen, self.coverage = search, progress, Progress(), Coverage()
        self.rounds = [(n, min(ROUND, max_examples - n * ROUND)) for n in range(-(-max_examples // ROUND))]
        self.deadline = self.seen.started + budget_seconds if budget_seconds else None
        self.finding: Outcome | None = None
        self._waiting: dict[int, Outcome] = {}
        self._next = 0

    def spent(self) -> bool:
        return bool(self.deadline and time.monotonic() >= self.deadline)

    def needed(self, number: int) -> bool:
        """Whether a round may still change the outcome (none after a failing one does)."""
        return self.finding is None and not any(o.found and n < number for n, o in self._waiting.items())

    def add(self, number: int, outcome: Outcome) -> None:
        """One round's outcome; those before it that are in are counted, in order."""
        self._waiting[number] = outcome
        while self.finding is None and self._next in self._waiting:
            done = self._waiting.pop(self._next)
            self._next += 1
            self.coverage.add(done.coverage)
            self.seen.sequences += done.examples
            self.seen.steps = self.coverage.steps
            if done.found:
                self.finding, self.seen.violations = done, 1
            if self.progress is not None:
                self.progress(self.seen)

    def outcome(self) -> Outcome:
        found = self.finding
        if found is None:
            search = self.search
            return Outcome(
                search.engine,
                search.run_seed,
                self.seen.sequences,
                coverage=self.coverage,
                seconds=self.seen.seconds,
                against=search.against,
            )
        found.examples, found.coverage, found.seconds = self.seen.sequences, self.coverage, self.seen.seconds
        return found


def _one_round(
    search: _Search, number: int, count: int, deadline: float | None, real_time_for: tuple[str, ...] = ()
) -> Outcome:
    """One round in a worker process: its sequences, and what it found (or its coverage); the
    run's deadline (the system's monotonic clock, the same in every process) stops it too.
    ``real_time_for``: modules of the worker that must keep the real clock meanwhile."""
    seen, coverage = Progress(), Coverage()
    with _hypothesis_home(), held_freeze(real_time_for=(__name__, *real_time_for)):
        found = _round(search, _derived(search.run_seed, number), count, seen, coverage, None, deadline)
    outcome = found or Outcome(search.engine, search.run_seed, 0, against=search.against)
    outcome.examples, outcome.coverage = seen.sequences, coverage
    return outcome


@contextmanager
def _hypothesis_for(shrink_seconds: float) -> Iterator[None]:
    """hypothesis as a search needs it, for one round:

    * it shrinks a failure for at most ``shrink_seconds`` (its own bound, five minutes, which it
      keeps a module constant for callers to set), then reports the smallest found so far;
    * its draws depend on the seed alone: hypothesis now and then draws a constant it found in
      the source of the "local" modules loaded (those under the working folder), so the same
      seed would draw other sequences in another folder, or after other imports. Only its own
      built-in constants are drawn here.
    """
    before = hypothesis_engine.MAX_SHRINKING_SECONDS
    local, cache = providers._get_local_constants, providers.CONSTANTS_CACHE
    default = reporting.current_reporter()

    def told(text: object) -> None:  # its note on stopping speaks of five minutes: not ours
        if not str(text).startswith("WARNING: Hypothesis has spent more than five minutes"):
            default(text)

    nothing = _nothing_local()
    hypothesis_engine.MAX_SHRINKING_SECONDS = shrink_seconds  # type: ignore[assignment]
    providers._get_local_constants = lambda: nothing
    providers.CONSTANTS_CACHE = type(cache)(1024)
    try:
        with reporting.with_reporter(told):
            yield
    finally:
        hypothesis_engine.MAX_SHRINKING_SECONDS = before
        providers._get_local_constants, providers.CONSTANTS_CACHE = local, cache


def _nothing_local() -> Any:
    """hypothesis's record of the constants in local modules, empty (its own sets, emptied)."""
    found = providers._local_constants
    fields = ("integers", "floats", "bytes", "strings")
    return type(found)(**{name: type(getattr(found, name))() for name in fields})


def _derived(run_seed: int, round_number: int) -> int:
    """A round's seed: the run's seed itself for the first, then one derived from both numbers."""
    if round_number == 0:
        return run_seed
    digest = hashlib.sha256(f"explore:{run_seed}:{round_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class _Search:
    """What every round of one run shares."""

    engine: str
    run_seed: int
    steps: int
    against: str | None
    shrink: bool
    shrink_seconds: float = SHRINK_SECONDS

    def check(self, sequence: list[ops.Op], coverage: Coverage) -> None:
        """Run one sequence; raises what it finds."""
        runner = Runner(self.engine, self.run_seed)
        other = Runner(self.against, self.run_seed) if self.against is not None else None
        try:
            if other is None:
                runner.run(sequence)
            else:
                _lockstep(runner, other, sequence)
        finally:
            coverage.add(runner.coverage)
            # the worlds go at once (their stores may hold files of megabytes): the cyclic
            # collector, which a sync keeps from looking at them, would free them much later
            for done in (runner, other):
                if done is not None:
                    done.sim.world.close()


class Findings:
    """The shrunk sequences of earlier findings for one engine (and the engine it is compared
    with), kept as JSON in the cache folder and tried before a run searches: a bug found once is
    met again at once until it is fixed; a sequence that no longer fails is dropped."""

    def __init__(self, folder: Path, engine: str, against: str | None) -> None:
        slug = "".join(ch if ch.isalnum() else "-" for ch in f"{engine}-{against or 'alone'}")
        self.path = folder / f"{slug}.json"

    def load(self) -> list[list[ops.Op]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [[tuple(_tupled(part) for part in op) for op in sequence] for sequence in data]
        except (OSError, ValueError, TypeError):
            return []  # none kept yet, or a file from another version: start afresh

    def keep(self, sequence: list[ops.Op]) -> None:
        kept = self.load()
        if sequence not in kept:
            self.save([*kept, sequence])

    def save(self, sequences: list[list[ops.Op]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        output.write(self.path, json.dumps(sequences) + "\n")


def _tupled(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _saved_first(
    search: _Search, saved: Findings | None, seen: Progress, coverage: Coverage
) -> Outcome | None:
    """The first kept finding that still fails (those that pass are forgotten)."""
    if saved is None:
        return None
    kept = saved.load()
    for number, sequence in enumerate(kept):
        seen.sequences += 1
        try:
            search.check(sequence, coverage)
        except Exception as stopped:  # as in a round: an invariant, a divergence or a crash
            seen.violations += 1
            saved.save(kept[number:])
            return _finding(search, search.run_seed, sequence, stopped)
    if kept:
        saved.save([])
    return None


def _round(
    search: _Search,
    round_seed: int,
    count: int,
    seen: Progress,
    coverage: Coverage,
    progress: Callable[[Progress], None] | None,
    deadline: float | None,
) -> Outcome | None:
    failing: list[list[ops.Op]] = []  # the last sequence that failed: the smallest so far
    phases = tuple(Phase) if search.shrink else tuple(p for p in Phase if p is not Phase.shrink)

    @settings(
        max_examples=count,
        deadline=None,
        database=None,  # a seeded run never uses hypothesis's database: Findings keeps ours
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        report_multiple_bugs=False,
        phases=phases,
    )
    @given(ops.sequences(search.steps))
    def test(sequence: list[ops.Op]) -> None:
        if deadline and time.monotonic() >= deadline and not failing:
            return  # the budget is spent: the rest of the round costs nothing (but shrinking)
        seen.sequences += 1
        if seen.sequences % COLLECT_EVERY == 0:
            gc.collect()  # (see COLLECT_EVERY)
        try:
            search.check(sequence, coverage)
        except Exception:
            failing[:] = [sequence]
            raise
        finally:
            seen.steps = coverage.steps  # the operations run (a sequence stops at what it finds)
            if progress is not None:
                progress(seen)

    try:
        with _hypothesis_for(search.shrink_seconds):
            seed(round_seed)(test)()
    except Exception as stopped:  # an invariant, a divergence, or the engine under test raising
        seen.violations += 1
        return _finding(search, round_seed, failing[0] if failing else [], stopped)
    return None


def _lockstep(runner: Runner, other: Runner, sequence: list[ops.Op]) -> None:
    """Each operation on both engines; after each cycle the stores must still be alike. The first
    cycle after which they differ is the finding: until then every operation met the same items
    on both, so the reproducer (this engine's steps up to there, and Then steps stating the other
    engine's stores) passes under the other engine."""
    for op in runner.operations(sequence):
        runner.apply(op)
        try:
            other.apply(op)
        except InvariantBroken:
            return  # the other engine broke an invariant itself: nothing to compare with
        if op[0] not in ("sync", "settle"):
            continue
        mine, theirs = runner.states(), other.states()
        for label in sorted(mine.keys() | theirs.keys(), key=label_order):
            if mine.get(label) != theirs.get(label):
                message = f"{label}: {mine.get(label)} here, {theirs.get(label)} under {other.engine}"
                decided = other.decisions_of(label)
                raise Diverged(message, other.expectations(label), len(runner.lines), decided)


def _finding(search: _Search, round_seed: int, sequence: list[ops.Op], stopped: BaseException) -> Outcome:
    """The shrunk sequence, run once more with the timeline recorded."""
    engine, against = search.engine, search.against
    runner, _ = replay(engine, search.run_seed, sequence, record=True)
    if isinstance(stopped, InvariantBroken):
        invariant, ids = stopped.invariant, stopped.ids
    elif isinstance(stopped, Diverged):
        invariant, ids = DIVERGED, ()
        runner.lines[stopped.at :] = stopped.expected
        runner.timeline = {
            label: [m for m in moments if m.step <= stopped.at] for label, moments in runner.timeline.items()
        }
    else:
        invariant, ids = CRASH, ()
    decided = stopped.decided if isinstance(stopped, Diverged) else ()
    message = str(stopped) if invariant != CRASH else f"{type(stopped).__name__}: {stopped}"
    labels = {runner.sim.label_of((i, None)) for i in ids} | {runner.sim.label_of((None, i)) for i in ids}
    timeline = {k: v for k, v in runner.timeline.items() if k in labels} or runner.timeline
    return Outcome(
        engine,
        search.run_seed,
        0,
        invariant,
        message,
        tuple(runner.lines),
        tuple(ops.needed(sequence)),
        round_seed,
        against,
        timeline,
        shrunk=search.shrink,
        expected_decisions=decided,
    )


def describe(outcome: Outcome) -> dict[str, Any]:
    """The coverage of a run as plain data."""
    c = outcome.coverage
    return {
        "sequences": c.sequences,
        "steps": c.steps,
        "operations": dict(sorted(c.operations.items())),
        "faults": dict(sorted(c.faults.items())),
        "settings_at_syncs": len(c.settings),
        "rules_in_events": dict(sorted(c.rules.items())),
    }
