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

With ``--persistent`` each user's program is started once for the scenario, with
``SYNCSIM_PROTOCOL=lines`` added to its environment: for each cycle it reads a line ``sync`` on its
standard input and answers ``ok`` (or ``error: why``) on a line of its standard output; its
standard input closes when the scenario ends. A program that imports a large SDK then pays for
that once, not once a cycle.

The program's writes go through the world's network, so the scenario's faults reach it as HTTP
answers (429 and 503 with Retry-After, 412, a dropped response). It cannot report events or
losses: ``reports = False`` tells the checks that need them that they do not apply.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path

import pytest

from ...engine.protocol import SyncContext
from ...model import User
from ...report import CycleReport, Event
from ...world import World
from .app import Server
from .backend import Backend
from .tls import CA_BUNDLE_VARIABLE

#: with --persistent, the environment variable that tells the program to wait for a "sync" line on
#: its standard input for each cycle, answering "ok" or "error: why" on standard output
PROTOCOL_VARIABLE, PROTOCOL = "SYNCSIM_PROTOCOL", "lines"
#: seconds one run of the program may take before it is stopped and the cycle counts as failed
TIMEOUT = 60.0


class CommandEngine:
    name = "command"
    #: an outside program reports no events and no losses
    reports = False

    def __init__(
        self, command: str, server: Server, *, timeout: float = TIMEOUT, persistent: bool = False
    ) -> None:
        self.argv = shlex.split(command)
        if not self.argv:
            raise ValueError("--engine-cmd: the command is empty")
        self.command, self.server, self.timeout = command, server, timeout
        self.world: World | None = None
        self.state = Path(tempfile.mkdtemp(prefix="syncsim-engine-"))
        #: with ``persistent``, each user's program, started at its first cycle
        self.running: dict[str, _Running] | None = {} if persistent else None
        weakref.finalize(self, _clean_up, self.state, self.running)

    def attach(self, world: World) -> None:
        """The world whose stores the server shows while this engine's cycles run."""
        self.world = world

    def close(self) -> None:
        """Stop the users' programs (persistent mode: the scenario is over)."""
        _clean_up(None, self.running)

    def cycle(self, context: SyncContext, report: CycleReport) -> None:
        backend = self.server.backend
        if self.world is not None and backend.world is not self.world:
            backend.use(self.world)
        backend.restart_clock()
        user = context.user
        before = backend.writes[user.name]
        started = time.monotonic()
        if self.running is None:
            problem = self._run_once(user)
        else:
            program = self.running.get(user.name)
            if program is None or program.ended:  # (started again, as a service would be)
                program = self.running[user.name] = _Running(
                    self.argv, self._environment(user), self.state / user.name
                )
            problem = program.sync(self.timeout)
        report.durations[user.name] = time.monotonic() - started
        report.writes += backend.writes[user.name] - before
        if problem:
            report.failed.add(user.name)
            detail = f"the sync program failed: {problem}"
            report.events.append(Event(None, "warning", user.name, "-", detail=detail))

    def _environment(self, user: User) -> dict[str, str]:
        folder = self.state / user.name
        folder.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "SYNCSIM_DATAVERSE_URL": f"{self.server.url}/api/data/v9.2/",
            "SYNCSIM_GRAPH_URL": f"{self.server.url}/v1.0/",
            "SYNCSIM_TOKEN": self.server.backend.token_for(user.name),
            "SYNCSIM_USER_ID": user.systemuserid,
            "SYNCSIM_USER_MAIL": user.email,
            "SYNCSIM_CHANNEL": user.channel,
            "SYNCSIM_STATE_DIR": str(folder),
        }
        if self.server.tls:
            env[CA_BUNDLE_VARIABLE] = str(self.server.tls.bundle)
        if self.running is not None:
            env[PROTOCOL_VARIABLE] = PROTOCOL
        return env

    def _run_once(self, user: User) -> str:
        """One run of the program for one cycle: what went wrong, or ""."""
        try:
            done = subprocess.run(
                self.argv, env=self._environment(user), capture_output=True, text=True, timeout=self.timeout
            )
            return _last_words(done) if done.returncode else ""
        except subprocess.TimeoutExpired:
            return f"stopped after {self.timeout:g} s"
        except OSError as cannot:
            return f"cannot start {self.argv[0]!r}: {cannot.strerror}"


class _Running:
    """One user's program, kept running for a scenario: told ``sync`` on a line of its standard
    input for each cycle, it answers ``ok`` or ``error: why`` on a line of its standard output.
    What it writes to standard error goes to a file, whose last line names a failure. A program
    that ends or stops answering fails that cycle and is started again for the next."""

    def __init__(self, argv: list[str], env: dict[str, str], folder: Path) -> None:
        self.errors = folder.parent / f"{folder.name}.stderr"
        self.answers: queue.Queue[str | None] = queue.Queue()
        self.problem = ""
        try:
            with self.errors.open("w") as errors:
                self.process: subprocess.Popen[str] | None = subprocess.Popen(
                    argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True
                )
        except OSError as cannot:
            self.process, self.problem = None, f"cannot start {argv[0]!r}: {cannot.strerror}"
            return
        threading.Thread(target=self._read, daemon=True).start()

    @property
    def ended(self) -> bool:
        """Whether the program is gone (it ended, or was stopped for not answering)."""
        return self.process is None

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.answers.put(line.strip())
        self.answers.put(None)  # (the program ended)

    def sync(self, timeout: float) -> str:
        """One cycle: what went wrong, or ""."""
        if self.process is None or self.process.stdin is None:
            return self.problem
        try:
            self.process.stdin.write("sync\n")
            self.process.stdin.flush()
            answer = self.answers.get(timeout=timeout)
        except (BrokenPipeError, OSError):
            answer = None
        except queue.Empty:
            self.stop()
            self.process = None
            self.problem = f"no answer after {timeout:g} s; stopped"
            return self.problem
        if answer == "ok":
            return ""
        if answer is None:
            code = self.process.wait()
            self.process = None
            self.problem = f"the program ended (exit code {code}){self._last_error()}"
            return self.problem
        return answer.removeprefix("error:").strip() or "it answered an error"

    def _last_error(self) -> str:
        lines = [line for line in self.errors.read_text(errors="replace").splitlines() if line.strip()]
        return f": {lines[-1].strip()}" if lines else ""

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _clean_up(state: Path | None, running: dict[str, _Running] | None) -> None:
    for program in (running or {}).values():
        program.stop()
    if running:
        running.clear()
    if state is not None:
        shutil.rmtree(state, ignore_errors=True)


_SERVER = pytest.StashKey[Server]()


def command_engine(
    config: pytest.Config,
    command: str,
    *,
    tls: bool = False,
    page_limit: int | None = None,
    persistent: bool = False,
) -> CommandEngine:
    """An engine running ``command``, served by this test process's server (started on first
    use, stopped when the run ends; over HTTPS with ``tls``; no page above ``page_limit``); with
    ``persistent``, each user's program runs for the whole scenario (``CommandEngine.close``)."""
    server = config.stash.get(_SERVER, None)
    if server is None:
        backend = Backend(World(seed=0))
        backend.page_limit = page_limit
        server = config.stash[_SERVER] = Server(backend, tls=tls).start()
        config.add_cleanup(server.stop)
    return CommandEngine(command, server, persistent=persistent)


def _last_words(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
    return f"exit code {done.returncode}" + (f": {lines[-1].strip()}" if lines else "")
