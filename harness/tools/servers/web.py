"""What every endpoint of the faces shares: the backend under its lock, slow and dropped
responses, errors in the face's own shape, and JSON as the services write it."""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any, Literal

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from ...errors import NotFound, NotPermitted
from .backend import Backend, Dropped
from .errors import ApiError
from .odata import QueryError

Face = Literal["dataverse", "graph", "control"]
LOG = logging.getLogger("syncsim.server")
Handler = Callable[[Request, Backend], Any]


def backend_of(request: Request) -> Backend:
    found: Backend = request.app.state.backend
    return found


def endpoint(face: Face) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A handler ``(request, backend) -> Response | (status, body[, headers])`` made an endpoint:
    it runs under the backend's lock; the errors it raises become ``face``'s error bodies."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            backend = backend_of(request)
            delay = backend.delay()
            if delay:
                await asyncio.sleep(delay)
            body = await request.body()
            request.state.json = _body(body)
            try:
                with backend.lock:
                    result = handler(request, backend)
            except Dropped:
                backend.requests[0] += 1
                return DroppedResponse()
            except ApiError as error:
                result = error_response(face, error)
            except NotFound as missing:
                result = error_response(face, ApiError("not-found", _words(missing)))
            except NotPermitted as refused:
                result = error_response(face, ApiError("privilege", str(refused)))
            except (QueryError, ValueError) as bad:
                what = "bad-query" if isinstance(bad, QueryError) else "bad-payload"
                result = error_response(face, ApiError(what, str(bad)))
            except Exception as crashed:  # a defect of the fake: a 500 in the face's shape, logged
                LOG.exception("%s %s failed", request.method, request.url.path)
                result = error_response(face, ApiError("failed", f"{type(crashed).__name__}: {crashed}"))
            response = result if isinstance(result, Response) else json_response(*result)
            backend.requests[response.status_code] += 1
            return response

        return run

    return wrap


def _words(error: Exception) -> str:
    return str(error.args[0]) if error.args else str(error)


def _body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError("bad-payload", "the request body is not JSON") from None


def body_of(request: Request) -> dict[str, Any]:
    body = request.state.json
    if not isinstance(body, dict):
        raise ApiError("bad-payload", "the request body must be a JSON object")
    return body


def error_response(face: Face, error: ApiError) -> Response:
    now = datetime.now(UTC)
    body = (
        error.graph(str(uuid.uuid4()), now.strftime("%Y-%m-%dT%H:%M:%S"))
        if face == "graph"
        else error.dataverse()
    )
    return json_response(error.status, body, error.headers)


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    if body is None:
        return Response(status_code=status, headers=headers)
    return JSONResponse(plain(body), status_code=status, headers=headers)


def plain(value: Any) -> Any:
    """Values as the services write them: times in UTC with a Z, bytes in base64."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


class DroppedResponse(Response):
    """A response that never arrives: headers promise a body that is not sent, so the server
    closes the connection and the client sees no answer."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", b"64")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
