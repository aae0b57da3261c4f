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
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ...world import World
from . import control, dataverse, graph
from .backend import MAX_BODY, SECRET_HEADER, Backend
from .errors import ApiError
from .tls import LocalTls
from .web import LOG, Face, error_response

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
    app = Starlette(
        routes=[*dataverse.routes(), *graph.routes(), *control.routes()],
        exception_handlers={HTTPException: _unrouted},
    )
    app.state.backend = backend
    return app


async def _unrouted(request: Request, error: Exception) -> Response:
    """A path no face serves, or a method its route does not take: answered in the shape of the
    face the path is under (Graph's under /v1.0/, else Dataverse's), and a line in the log."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    what = "method" if status == 405 else "no-segment"
    face: Face = "graph" if request.url.path.startswith(graph.PREFIX + "/") else "dataverse"
    LOG.info("%s %s refused: %s", request.method, request.url.path, status)
    message = f"{request.method} is not supported here" if status == 405 else "Resource not found."
    return error_response(face, ApiError(what, f"{message} ({request.url.path})"))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _certfile(tls: LocalTls | None) -> str | None:
    """The file uvicorn serves HTTPS with (None: plain HTTP)."""
    return str(tls.certfile) if tls else None


class Server:
    """uvicorn serving :func:`application` on 127.0.0.1 in a background thread; over HTTPS with
    ``tls`` (a local CA made for this server: clients trust ``tls.bundle``)."""

    def __init__(
        self, backend: Backend, host: str = "127.0.0.1", port: int = 0, *, tls: bool = False
    ) -> None:
        freezegun.configure(extend_ignore_list=REAL_TIME)
        self.backend = backend
        self.host, self.port = host, port or free_port(host)
        self.tls = LocalTls(host) if tls else None
        config = uvicorn.Config(
            application(backend),
            host=self.host,
            port=self.port,
            log_level="warning",
            ssl_certfile=_certfile(self.tls),
            # a client that keeps its connection open (over TLS, its close waits on the client)
            # does not hold up the server's stop for long
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="syncsim-server", daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def control_headers(self) -> dict[str, str]:
        """The header the control API wants (this server's control secret)."""
        return {SECRET_HEADER: self.backend.secret}

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


def serve(
    world: World, host: str, port: int, *, secret: str, max_body: int = MAX_BODY, tls: LocalTls | None = None
) -> None:
    """``syncsim serve``: the faces over ``world`` in the foreground, the clock following real
    time; the control API wants ``secret``; HTTPS with ``tls``."""
    freezegun.configure(extend_ignore_list=REAL_TIME)
    backend = Backend(world, live_clock=True, secret=secret, max_body=max_body)
    uvicorn.run(application(backend), host=host, port=port, log_level="info", ssl_certfile=_certfile(tls))
