"""explore on a Dask cluster (``--scheduler``): the finding one process gets, byte for byte, also
when a worker dies during the run; workers that run other code are refused; a missing library
or a bad address is a usage error naming what to do."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest
from paths import ROOT

from syncsim.harness.tools.cli import main
from syncsim.harness.tools.explore import cluster as explore_cluster
from syncsim.harness.tools.explore import explore, report

distributed = pytest.importorskip("distributed")

#: found in the third round at the CI seed: the cluster runs rounds before and beside it
ENGINE, SEED, SEQUENCES, STEPS = "zoo:MissesOptionChanges", 2026, 800, 50


@pytest.fixture
def local_cluster(monkeypatch):
    """Two worker processes over TCP on 127.0.0.1 that can load the zoo (tests/ on their path)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]))
    with explore_cluster.local_cluster(2) as cluster:
        yield cluster


def _kill_a_busy_worker(address: str, done: threading.Event, killed: list[str]) -> None:
    """Kill the process of the first worker seen running a round (the nanny starts another)."""
    with distributed.Client(address) as client:
        while not done.is_set():
            busy = [worker for worker, tasks in client.processing().items() if tasks]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.05)


def _files(outcome):
    return report.reproducer(outcome), report.markdown(outcome), report.as_html(outcome)


@pytest.mark.parametrize("kill", [False, True], ids=["whole", "a worker killed"])
def test_a_cluster_finds_what_one_process_finds_byte_for_byte(local_cluster, kill):
    alone = explore(ENGINE, SEED, SEQUENCES, STEPS, shrink=False)
    done, killed = threading.Event(), []
    killer = threading.Thread(
        target=_kill_a_busy_worker, args=(local_cluster.scheduler_address, done, killed)
    )
    if kill:
        killer.start()
    try:
        spread = explore(
            ENGINE, SEED, SEQUENCES, STEPS, shrink=False, scheduler=local_cluster.scheduler_address
        )
    finally:
        done.set()
        if kill:
            killer.join()
    assert len(killed) == kill  # (the worker really died mid-round)
    assert alone.found and spread.invariant == alone.invariant
    assert _files(spread) == _files(alone)
    assert (spread.examples, spread.coverage.steps) == (alone.examples, alone.coverage.steps)
    assert spread.coverage.situations == alone.coverage.situations


def test_workers_running_other_code_are_refused():
    class Client:
        def wait_for_workers(self, n, timeout):
            pass

        def run(self, function, engine):
            return {"tcp://10.0.0.2:4000": {**function(engine), "syncsim": "0.0.9 (0123456789ab)"}}

    with pytest.raises(explore_cluster.ClusterError, match=r"worker tcp://10.0.0.2:4000 runs syncsim 0.0.9"):
        explore_cluster.check_workers(Client(), "reference")


def test_without_distributed_the_scheduler_is_a_usage_error_naming_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # (an import of it fails)
    assert main(["explore", "--scheduler", "local:2", "--max-examples", "1"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'syncsim[cluster]'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--scheduler", "http://host"], "give tcp://HOST:PORT"),
        (["--scheduler", "local:0"], "give tcp://HOST:PORT"),
        (["--scheduler", "local:2", "--workers", "2"], "give one"),
        (["--scheduler", "tcp://127.0.0.1:9"], "cannot reach it"),
    ],
)
def test_a_scheduler_that_cannot_be_used_is_a_usage_error(argv, said, capsys, monkeypatch):
    monkeypatch.setattr(explore_cluster, "CONNECT_SECONDS", 2)
    assert main(["explore", "--max-examples", "1", "--database", "none", *argv]) == 2
    assert said in capsys.readouterr().err
