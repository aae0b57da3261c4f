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

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from ...errors import NotFound, NotPermitted
from .backend import SECRET_HEADER, Backend, Dropped
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
    it runs under the backend's lock; whatever it or the request gets wrong becomes ``face``'s
    error body (never a bare 500 or a traceback), and a refused request is one line in the log.
    The control face wants the server's control secret first."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            backend = backend_of(request)
            delay = backend.delay()
            if delay:
                await asyncio.sleep(delay)
            try:
                if face == "control":
                    backend.controls(request.headers.get(SECRET_HEADER))
                raw = request.state.raw = await _read(request, backend.max_body)
                multipart = request.headers.get("content-type", "").lower().startswith("multipart/")
                request.state.json = None if multipart else parse_json(raw)
                with backend.lock:
                    result = handler(request, backend)
            except ClientDisconnect:
                LOG.info("%s %s: the client hung up", request.method, request.url.path)
                return Response(status_code=499)
            except Dropped:
                backend.requests[0] += 1
                return DroppedResponse()
            except Exception as error:  # every error in the face's shape
                result = error_response(face, api_error(error, request))
            response = result if isinstance(result, Response) else json_response(*result)
            backend.requests[response.status_code] += 1
            if response.status_code >= 400:
                LOG.info("%s %s refused: %s", request.method, request.url.path, response.status_code)
            return response

        return run

    return wrap


def api_error(error: Exception, request: Request) -> ApiError:
    """What a failed request answers: the error's own, or the one its kind means."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, NotFound):
        return ApiError("not-found", _words(error))
    if isinstance(error, NotPermitted):
        return ApiError("privilege", str(error))
    if isinstance(error, QueryError):
        return ApiError("bad-query", str(error))
    if isinstance(error, (ValueError, OverflowError)):
        return ApiError("bad-payload", str(error))
    if isinstance(error, RecursionError):
        return ApiError("bad-payload", "the request nests too deeply to be read")
    # a defect of the fake: a 500 in the face's shape, logged with its traceback for its makers
    LOG.exception("%s %s failed", request.method, request.url.path)
    return ApiError("failed", f"{type(error).__name__}: {error}")


async def _read(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it is longer than ``limit`` bytes: a body is
    never read whole past the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError("too-large", f"The request size exceeds the maximum limit ({limit:,} bytes).")


def _words(error: Exception) -> str:
    return str(error.args[0]) if error.args else str(error)


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise ApiError("bad-payload", f"the request body is not UTF-8 (byte {bad.start})") from None
    try:
        return json.loads(text, parse_constant=_not_json)
    except RecursionError:
        raise ApiError("bad-payload", "the request body nests too deeply to be read") from None
    except ValueError as bad:
        raise ApiError("bad-payload", f"the request body is not JSON: {bad}") from None


def _not_json(constant: str) -> Any:
    """NaN and Infinity, which Python's reader takes and JSON does not have."""
    raise ValueError(f"{constant} is not a JSON value")


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
