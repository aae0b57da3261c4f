"""The two faces' errors, as each service writes them.

Dataverse: ``{"error": {"code": "0x8004...", "message": "..."}}`` with the platform's hex codes
(Microsoft's Web API error and service-protection pages). Graph: ``{"error": {"code":
"ErrorItemNotFound", "message": "...", "innerError": {...}}}``: the Outlook workload's codes for
items, and the codes of Graph's error and throttling pages for 429 and 503.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Dataverse's codes, by what went wrong
DATAVERSE = {
    "not-found": "0x80040217",  # ObjectDoesNotExist
    "no-segment": "0x80060888",  # Resource not found for the segment
    "bad-payload": "0x80048d19",  # Error identified in Payload provided by the user
    "bad-query": "0x80060888",
    "privilege": "0x80040220",  # PrivilegeDenied
    "duplicate": "0x80040237",  # DuplicateRecord
    "exists": "0x80040237",  # an upsert told not to update (If-None-Match: *) met the record
    "stale": "0x80060882",  # ConcurrencyVersionMismatch
    "throttled": "0x80072322",  # number of requests exceeded (service protection)
    "busy": "0x80040216",  # unexpected: the service is busy
    "failed": "0x80040216",
    "unauthorized": "0x80040220",
    "too-large": "0x80048d19",  # (a body past the limit: the payload error, with 413)
    "property": "0x80048d19",  # a value the attribute cannot hold
    "method": "0x80060888",  # (a method the resource does not take: the routing error, with 405)
}
#: Graph's codes, by what went wrong
GRAPH = {
    "not-found": "ErrorItemNotFound",
    "no-segment": "BadRequest",
    "bad-payload": "ErrorInvalidRequest",
    "bad-query": "ErrorInvalidUrlQueryFilter",
    "privilege": "ErrorAccessDenied",
    "duplicate": "ErrorItemAlreadyExists",
    "exists": "ErrorItemAlreadyExists",
    "stale": "ErrorIrresolvableConflict",
    "throttled": "TooManyRequests",  # the 429 of Graph's throttling guidance
    "busy": "serviceNotAvailable",  # the code of Graph's error page for a 503
    "failed": "ErrorInternalServerError",
    "unauthorized": "InvalidAuthenticationToken",
    "too-large": "invalidRequest",  # Graph's error page: 413, "the request size exceeds the maximum limit"
    "property": "ErrorPropertyValidationFailure",  # "At least one property failed validation."
    "method": "notSupported",  # Graph's error page: "The request is not supported by the system."
}
STATUS = {
    "not-found": 404,
    "no-segment": 404,
    "bad-payload": 400,
    "bad-query": 400,
    "privilege": 403,
    "duplicate": 409,
    "exists": 412,
    "stale": 412,
    "throttled": 429,
    "busy": 503,
    "failed": 500,
    "unauthorized": 401,
    "too-large": 413,
    "property": 400,
    "method": 405,
}


@dataclass
class ApiError(Exception):
    """What went wrong (a key of :data:`STATUS`), in words; ``headers`` such as Retry-After."""

    what: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return STATUS[self.what]

    def dataverse(self) -> dict[str, object]:
        return {"error": {"code": DATAVERSE[self.what], "message": self.message}}

    def graph(self, request_id: str, date: str) -> dict[str, object]:
        inner = {"date": date, "request-id": request_id, "client-request-id": request_id}
        return {"error": {"code": GRAPH[self.what], "message": self.message, "innerError": inner}}
