"""A sync program outside the process as an engine: ``syncsim run --engine-cmd "python my_sync.py"``.

Each cycle starts the command once per user, with the world behind the HTTP faces (a server in
a thread, one per test process) and these in its environment:

- ``SYNCSIM_DATAVERSE_URL``: the Web API root (``http://127.0.0.1:PORT/api/data/v9.2/``; ``https``
  with ``--tls``);
- ``SYNCSIM_GRAPH_URL``: Graph's root (``http://127.0.0.1:PORT/v1.0/``);
- ``SYNCSIM_TOKEN``: the user's bearer token (their own mailbox, their organization's CRM);
- ``SYNCSIM_USER_ID``, ``SYNCSIM_USER_MAIL``, ``SYNCSIM_CHANNEL``: who is syncing, and how;
- ``SYNCSIM_STATE_DIR``: a folder kept for this user across the scenario's cycles (delta links,
  links between records and items), empty at the scenario's start;
- ``SYNCSIM_CA_BUNDLE`` (with ``--tls`` only): the certificate of the local CA that signed the
  server's certificate, for the program's HTTP client to verify it with.

The program's writes go through the world's network, so the scenario's faults reach it as HTTP
answers (429 and 503 with Retry-After, 412, a dropped response). It cannot report events or
losses: ``reports = False`` tells the checks that need them that they do not apply.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
import weakref
from pathlib import Path

import pytest

from ...engine.protocol import SyncContext
from ...report import CycleReport, Event
from ...world import World
from .app import Server
from .backend import Backend
from .tls import CA_BUNDLE_VARIABLE

#: seconds one run of the program may take before it is stopped and the cycle counts as failed
TIMEOUT = 60.0


class CommandEngine:
    name = "command"
    #: an outside program reports no events and no losses
    reports = False

    def __init__(self, command: str, server: Server, *, timeout: float = TIMEOUT) -> None:
        self.argv = shlex.split(command)
        if not self.argv:
            raise ValueError("--engine-cmd: the command is empty")
        self.command, self.server, self.timeout = command, server, timeout
        self.world: World | None = None
        self.state = Path(tempfile.mkdtemp(prefix="syncsim-engine-"))
        weakref.finalize(self, shutil.rmtree, self.state, True)

    def attach(self, world: World) -> None:
        """The world whose stores the server shows while this engine's cycles run."""
        self.world = world

    def cycle(self, context: SyncContext, report: CycleReport) -> None:
        backend = self.server.backend
        if self.world is not None and backend.world is not self.world:
            backend.use(self.world)
        backend.restart_clock()
        user = context.user
        before = backend.writes[user.name]
        folder = self.state / user.name
        folder.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "SYNCSIM_DATAVERSE_URL": f"{self.server.url}/api/data/v9.2/",
            "SYNCSIM_GRAPH_URL": f"{self.server.url}/v1.0/",
            "SYNCSIM_TOKEN": backend.token_for(user.name),
            "SYNCSIM_USER_ID": user.systemuserid,
            "SYNCSIM_USER_MAIL": user.email,
            "SYNCSIM_CHANNEL": user.channel,
            "SYNCSIM_STATE_DIR": str(folder),
        }
        if self.server.tls:
            env[CA_BUNDLE_VARIABLE] = str(self.server.tls.bundle)
        started = time.monotonic()
        try:
            done = subprocess.run(self.argv, env=env, capture_output=True, text=True, timeout=self.timeout)
            problem = _last_words(done) if done.returncode else ""
        except subprocess.TimeoutExpired:
            problem = f"stopped after {self.timeout:g} s"
        except OSError as cannot:
            problem = f"cannot start {self.argv[0]!r}: {cannot.strerror}"
        report.durations[user.name] = time.monotonic() - started
        report.writes += backend.writes[user.name] - before
        if problem:
            report.failed.add(user.name)
            detail = f"the sync program failed: {problem}"
            report.events.append(Event(None, "warning", user.name, "-", detail=detail))


_SERVER = pytest.StashKey[Server]()


def command_engine(
    config: pytest.Config, command: str, *, tls: bool = False, page_limit: int | None = None
) -> CommandEngine:
    """An engine running ``command``, served by this test process's server (started on first
    use, stopped when the run ends; over HTTPS with ``tls``; no page above ``page_limit``)."""
    server = config.stash.get(_SERVER, None)
    if server is None:
        backend = Backend(World(seed=0))
        backend.page_limit = page_limit
        server = config.stash[_SERVER] = Server(backend, tls=tls).start()
        config.add_cleanup(server.stop)
    return CommandEngine(command, server)


def _last_words(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
    return f"exit code {done.returncode}" + (f": {lines[-1].strip()}" if lines else "")
