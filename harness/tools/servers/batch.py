"""Dataverse's ``$batch``: several requests in one ``multipart/mixed`` body, answered in one.

As Dataverse runs them (Microsoft's "Execute batch operations using the Web API" page): in order,
at most 1,000 requests, no batch within a batch. A request outside a change set that fails ends the
batch there, unless ``Prefer: odata.continue-on-error``; a change set is one transaction: one of its
requests failing undoes the others, and the change set is answered by that one error. A throttled
or busy answer to any request is the whole batch's answer (429 or 503 with Retry-After), with
nothing of the batch kept: the service refuses the batch, it does not half-run it. A response
lost on the network loses the whole batch's answer, after every request is done.

The multipart body is read by the standard library's MIME parser (``email``); each request in it
is answered by the same code as if it had come alone.
"""

from __future__ import annotations

import email
import email.policy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from ...stores.crm import CrmStore
from .errors import ApiError
from .web import api_error, json_response, parse_json

#: the most requests one batch may carry (change sets' requests counted one by one)
MOST = 1000
CRLF = "\r\n"
#: what answers one request: the face's own dispatch
Answer = Callable[[Request], Any]


@dataclass
class Part:
    """One request of the batch, as its part of the body gives it."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    content_id: str | None


def run(request: Request, body: bytes, crm: CrmStore, answer: Answer, prefix: str) -> Response:
    """Answer a ``$batch`` request: each part through ``answer``, as Dataverse would."""
    parts = _read(request.headers.get("content-type", ""), body)
    count = sum(len(p) if isinstance(p, list) else 1 for p in parts)
    if count > MOST:
        raise ApiError(
            "bad-payload", f"The batch holds {count:,} requests; a batch may hold at most {MOST:,}."
        )
    go_on = "odata.continue-on-error" in request.headers.get("prefer", "").lower()
    answers: list[str] = []
    with crm.transaction():
        for part in parts:
            text, failed = (
                _change_set(request, part, crm, answer, prefix)
                if isinstance(part, list)
                else _one(request, part, answer, prefix)
            )
            answers.append(text)
            if failed and not go_on:
                break
    out = f"batchresponse_{uuid.uuid4()}"
    text = "".join(f"--{out}{CRLF}{a}" for a in answers) + f"--{out}--{CRLF}"
    return Response(text.encode(), status_code=200, media_type=f"multipart/mixed; boundary={out}")


def _read(content_type: str, body: bytes) -> list[Part | list[Part]]:
    if "multipart/mixed" not in content_type.lower() or "boundary=" not in content_type.lower():
        raise ApiError(
            "bad-payload", f"$batch wants Content-Type multipart/mixed with a boundary, not {content_type!r}"
        )
    message = email.message_from_bytes(
        f"Content-Type: {content_type}{CRLF}{CRLF}".encode() + body, policy=email.policy.HTTP
    )
    if not message.is_multipart() or not message.get_boundary():
        raise ApiError("bad-payload", "$batch: the body is not a multipart/mixed message")
    parts: list[Part | list[Part]] = []
    for section in message.iter_parts():
        if section.get_content_type() == "multipart/mixed":
            if any(s.get_content_type() == "multipart/mixed" for s in section.iter_parts()):
                raise ApiError("bad-payload", "$batch: a change set cannot hold another")
            parts.append([_request_of(s) for s in section.iter_parts()])
        else:
            parts.append(_request_of(section))
    return parts


def _request_of(section: Message) -> Part:
    if section.get_content_type() != "application/http":
        raise ApiError("bad-payload", f"$batch: a part is {section.get_content_type()}, not application/http")
    raw = section.get_payload(decode=True)
    if not isinstance(raw, bytes):
        raise ApiError("bad-payload", "$batch: a part holds no request")
    head, _, rest = raw.lstrip(b"\r\n").partition(b"\n")
    words = head.decode("utf-8", "replace").split()
    if len(words) < 2 or words[0].upper() not in ("GET", "POST", "PATCH", "PUT", "DELETE"):
        raise ApiError("bad-payload", f"$batch: {head[:100]!r} is not a request line (METHOD URL HTTP/1.1)")
    inner = email.message_from_bytes(rest, policy=email.policy.HTTP)
    headers = {name.lower(): str(value) for name, value in inner.items()}
    payload = inner.get_payload(decode=True)
    return Part(
        words[0].upper(),
        words[1],
        headers,
        payload if isinstance(payload, bytes) else b"",
        section.get("Content-ID"),
    )


def _one(request: Request, part: Part, answer: Answer, prefix: str) -> tuple[str, bool]:
    status, headers, body = _answered(request, part, answer, prefix)
    if status in (429, 503):  # the service refuses the whole batch
        raise ApiError(
            "throttled" if status == 429 else "busy", json.loads(body)["error"]["message"], headers
        )
    return _http_part(part, status, headers, body), status >= 400


def _change_set(
    request: Request, parts: list[Part], crm: CrmStore, answer: Answer, prefix: str
) -> tuple[str, bool]:
    """All of a change set's requests, or none: the first that fails undoes the rest, and is the
    change set's one answer."""
    done: list[str] = []
    failure: str | None = None
    made: dict[str, str] = {}  # Content-ID -> the record its request created, for "$1" in a later URL
    try:
        with crm.transaction():
            for part in parts:
                reference = part.url.partition("/")[0]
                if reference.startswith("$") and reference[1:] in made:
                    part.url = made[reference[1:]] + part.url[len(reference) :]
                status, headers, body = _answered(request, part, answer, prefix)
                if part.content_id and "odata-entityid" in headers:
                    made[part.content_id] = headers["odata-entityid"]
                if status in (429, 503):
                    raise ApiError(
                        "throttled" if status == 429 else "busy",
                        json.loads(body)["error"]["message"],
                        headers,
                    )
                if status >= 400:
                    failure = _http_part(part, status, headers, body)
                    raise _Undo
                done.append(_http_part(part, status, headers, body))
    except _Undo:
        return failure or "", True
    inner = f"changesetresponse_{uuid.uuid4()}"
    text = "".join(f"--{inner}{CRLF}{a}" for a in done) + f"--{inner}--{CRLF}"
    return f"Content-Type: multipart/mixed; boundary={inner}{CRLF}{CRLF}{text}{CRLF}", False


class _Undo(Exception):
    """A change set's request failed: its transaction is undone."""


def _answered(request: Request, part: Part, answer: Answer, prefix: str) -> tuple[int, dict[str, str], bytes]:
    """One part answered as the face answers a request of its own."""
    sub = _sub_request(request, part, prefix)
    try:
        sub.state.json = parse_json(part.body)
        result = answer(sub)
    except Exception as error:
        failure = api_error(error, sub)
        result = (failure.status, failure.dataverse(), failure.headers)
    response = result if isinstance(result, Response) else json_response(*result)
    return response.status_code, dict(response.headers), bytes(response.body)


def _sub_request(request: Request, part: Part, prefix: str) -> Request:
    address = urlsplit(part.url)
    path = address.path if address.path.startswith("/") else f"{prefix}/{address.path}"
    if not path.startswith(prefix + "/"):
        raise ApiError("bad-payload", f"$batch: {part.url} is not under {prefix}/")
    headers = [(k.encode(), v.encode()) for k, v in part.headers.items() if k != "authorization"]
    authorization = request.headers.get("authorization")
    if authorization:
        headers.append((b"authorization", authorization.encode()))
    scope = {
        **request.scope,
        "method": part.method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": address.query.encode(),
        "headers": headers,
        "path_params": {"segment": path[len(prefix) + 1 :]},
        "state": {},
    }
    return Request(scope)


def _http_part(part: Part, status: int, headers: dict[str, str], body: bytes) -> str:
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if part.content_id:
        lines.append(f"Content-ID: {part.content_id}")
    reason = HTTPStatus(status).phrase
    inner = [f"HTTP/1.1 {status} {reason}"]
    inner += [
        f"{name}: {value}" for name, value in headers.items() if name.lower() not in ("content-length",)
    ]
    text = body.decode("utf-8")
    return CRLF.join(lines) + CRLF + CRLF + CRLF.join(inner) + CRLF + CRLF + (text + CRLF if text else "")
