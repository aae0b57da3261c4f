"""The bug search on a Dask cluster (``syncsim explore --scheduler``): each round a Dask task.

A run's rounds are drawn from seeds derived from the run's seed and their number, so any worker
can run any round; :class:`~.search.Tally` adds their outcomes up in round order, so a cluster of
any size reports what one process reports. The client keeps a window of rounds in flight (twice
the workers), stops submitting when a round fails or the budget is spent, and cancels what is
left. A worker that dies takes its round with it, and Dask runs the round again on another
(its own retries). Before any round goes, every worker must run this syncsim and this engine
module, byte for byte: a round elsewhere would be another search. Findings come back as data;
the client writes the reproducer and the reports, never a worker.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module, metadata
from pathlib import Path
from typing import Any

from hypothesis.errors import HypothesisDeprecationWarning

from .search import Outcome, Tally, _one_round, _Search

#: how to get the cluster's library
EXTRA = "pip install 'syncsim[cluster]'"
#: a scheduler's address as the option takes it
ADDRESS = re.compile(r"^(tcp|tls)://[^\s/]+:\d+$|^local:(\d+)$")
#: seconds to wait for a scheduler, and for a local cluster's workers
CONNECT_SECONDS = 30
#: the libraries a round draws its sequences and data with
DRAWN_WITH = ("hypothesis", "faker")
#: what keeps a Dask worker alive while a round runs beside it under the frozen clock (its event
#: loop's timers, heartbeats and timeouts): they keep the real clock
WORKER_CLOCKS = ("asyncio", "tornado", "distributed", "dask", "concurrent", "threading", "selectors")


class ClusterError(Exception):
    """A scheduler that cannot be used, or workers that may not take part: the message says why."""


def check_address(address: str) -> str:
    """The address itself, or a ClusterError naming the forms allowed."""
    found = ADDRESS.match(address)
    if found is None or (found[2] is not None and not 1 <= int(found[2]) <= 64):
        raise ClusterError(
            f"--scheduler {address!r}: give tcp://HOST:PORT (a running dask scheduler) or local:N "
            "(a cluster of N worker processes on this machine, 1 to 64)"
        )
    return address


def require_distributed() -> Any:
    """Dask's distributed module, or a ClusterError saying how to install it."""
    try:
        return import_module("distributed")
    except ImportError:
        raise ClusterError(f"--scheduler needs Dask's distributed library: {EXTRA}") from None


def local_cluster(workers: int) -> Any:
    """A Dask cluster of ``workers`` processes, one thread each, on 127.0.0.1 over TCP: one thread,
    for a round holds its process's clock."""
    return require_distributed().LocalCluster(
        n_workers=workers,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        protocol="tcp",
        dashboard_address=":0",  # (any free port: two clusters at once never meet)
        worker_dashboard_address=":0",
        silence_logs=logging.ERROR,  # (a cancelled round is no warning of ours)
    )


@contextmanager
def client_for(address: str) -> Iterator[Any]:
    """A Dask client of the scheduler at ``address``; ``local:N`` starts a cluster of N worker
    processes (one thread each) on 127.0.0.1 for the run, over TCP, and stops it after."""
    distributed = require_distributed()
    local = check_address(address).startswith("local:")
    try:
        if local:
            cluster = local_cluster(int(address.partition(":")[2]))
            client = distributed.Client(cluster, timeout=CONNECT_SECONDS)
        else:
            cluster, client = None, distributed.Client(address, timeout=CONNECT_SECONDS)
    except OSError as failed:
        raise ClusterError(f"--scheduler {address}: cannot reach it ({failed})") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def fingerprint(engine: str) -> dict[str, str]:
    """What a worker must share with the client: syncsim's version and the digest of its source,
    the versions of what rounds draw with, and the digest of the engine's module when it is a
    team's own (``module:Class``)."""
    root = Path(__file__).resolve().parents[2]  # harness/, in a checkout and installed alike
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        version = metadata.version("syncsim")
    except (metadata.PackageNotFoundError, OSError):
        version = "unknown"
    found = {
        "syncsim": f"{version} ({digest.hexdigest()[:12]})",
        # what the sequences and the data are drawn with: another version draws others
        "libraries": ", ".join(f"{name} {metadata.version(name)}" for name in DRAWN_WITH),
    }
    module, colon, _ = engine.partition(":")
    if colon:
        try:
            source = Path(import_module(module).__file__ or "").read_bytes()
        except (ImportError, OSError) as missing:
            return {**found, "engine": f"cannot be loaded: {missing}"}
        found["engine"] = f"{module} ({hashlib.sha256(source).hexdigest()[:12]})"
    return found


def check_workers(client: Any, engine: str) -> int:
    """The number of workers, once every one runs what this client runs (else a ClusterError
    naming the worker and what differs)."""
    client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    mine = fingerprint(engine)
    theirs = client.run(fingerprint, engine)
    for worker, found in sorted(theirs.items()):
        for what, value in found.items():
            if value != mine.get(what):
                raise ClusterError(
                    f"worker {worker} runs {what} {value}, this client {mine.get(what)}: every worker "
                    "must run the same syncsim, hypothesis, Faker and engine module (install these there)"
                )
    return len(theirs)


def _round_on_worker(search: _Search, number: int, count: int, deadline: float | None) -> Outcome:
    """One round on a Dask worker: the worker's own machinery keeps the real clock, and the
    random numbers its threads draw meanwhile (Dask's retry jitter) are no concern of the
    round's (hypothesis would warn of them; the round's draws are hypothesis's own)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HypothesisDeprecationWarning)
        return _one_round(search, number, count, deadline, WORKER_CLOCKS)


def on_cluster(search: _Search, tally: Tally, address: str) -> Outcome:
    """The run's rounds as Dask tasks, a window of them at a time, added up by ``tally``."""
    distributed = require_distributed()
    with client_for(address) as client:
        window = 2 * check_workers(client, search.engine)
        run = uuid.uuid4().hex[:8]
        todo = iter(tally.rounds)
        running = distributed.as_completed()
        sent: dict[str, tuple[int, Any]] = {}

        def submit_next() -> None:
            """The next round, unless a failing one or the budget makes it pointless."""
            for number, count in todo:
                if tally.needed(number) and not tally.spent():
                    args = (search, number, count, tally.deadline)
                    future = client.submit(_round_on_worker, *args, key=f"explore-{run}-{number}", pure=False)
                    sent[future.key] = (number, future)
                    running.add(future)
                return

        for _ in range(window):
            submit_next()
        try:
            for future in running:
                number, _ = sent.pop(future.key)
                tally.add(number, future.result())
                if tally.finding is not None:
                    break  # (a finding counts once every round before it is in)
                submit_next()
        finally:
            client.cancel([future for _, future in sent.values()])
    return tally.outcome()
