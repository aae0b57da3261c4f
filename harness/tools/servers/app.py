"""The ASGI application (Starlette) of the three faces, and a uvicorn server in a thread for tests
and for ``syncsim run --engine-cmd``.

The world's clock may be frozen by freezegun while a scenario's cycle runs; the server's event
loop and its HTTP stack keep the real clock (freezegun's ignore list), so timeouts and Retry-After
measured in real seconds behave.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import freezegun
import uvicorn
from starlette.applications import Starlette

from ...world import World
from . import control, dataverse, graph
from .backend import Backend

#: modules that keep the real clock while the simulated one is frozen
REAL_TIME = [
    "asyncio",
    "uvicorn",
    "starlette",
    "anyio",
    "h11",
    "httptools",
    "subprocess",
    "syncsim.harness.tools.servers",
]


class _DroppedOnPurpose(logging.Filter):
    """uvicorn reports a response closed before its body as an error; a dropped-response fault
    does exactly that on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (error is not None and "Too little data for declared Content-Length" in str(error))


logging.getLogger("uvicorn.error").addFilter(_DroppedOnPurpose())


def application(backend: Backend) -> Starlette:
    app = Starlette(routes=[*dataverse.routes(), *graph.routes(), *control.routes()])
    app.state.backend = backend
    return app


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """uvicorn serving :func:`application` on 127.0.0.1 in a background thread."""

    def __init__(self, backend: Backend, host: str = "127.0.0.1", port: int = 0) -> None:
        freezegun.configure(extend_ignore_list=REAL_TIME)
        self.backend = backend
        self.host, self.port = host, port or free_port(host)
        config = uvicorn.Config(application(backend), host=self.host, port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="syncsim-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> Server:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the syncsim server did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(world: World, host: str, port: int) -> None:
    """``syncsim serve``: the faces over ``world`` in the foreground, the clock following real time."""
    freezegun.configure(extend_ignore_list=REAL_TIME)
    uvicorn.run(application(Backend(world, live_clock=True)), host=host, port=port, log_level="info")
