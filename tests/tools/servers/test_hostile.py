"""The HTTP faces against hostile and careless clients (a real server, httpx): every request is
answered in its face's own error shape with a 4xx, never a 5xx; the stores are unchanged after
each refused request; the server logs one line per refusal and no traceback; the control API
lets no one in without the server's secret, and no token but the ones this server gave."""

from __future__ import annotations

import hashlib
import logging
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from syncsim.harness import schema
from syncsim.harness.tools.servers import control
from syncsim.harness.tools.servers.app import Server
from syncsim.harness.tools.servers.backend import SECRET_HEADER, Backend
from syncsim.harness.world import World

API = "/api/data/v9.2"
GRAPH = "/v1.0/me"


class _Log(logging.Handler):
    """Every line the server logs while the tests run."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.fixture(scope="module")
def log() -> Iterator[_Log]:
    handler = _Log()
    loggers = [logging.getLogger(name) for name in ("syncsim.server", "uvicorn", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture(scope="module")
def server(log: _Log) -> Iterator[Server]:
    world = World(seed=5)
    alice = world.add_user("alice")
    world.add_user("carol", organization="Fabrikam")
    world.populate(alice, contacts=3, appointments=2, side="both")
    with Server(Backend(world)) as running:
        yield running
    assert log.tracebacks() == []
    assert not [status for status in running.backend.requests if status >= 500]


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def secret(server: Server) -> dict[str, str]:
    return server.control_headers


@pytest.fixture(scope="module")
def alice(http: httpx.Client, secret: dict[str, str]) -> dict[str, str]:
    return _bearer(http, secret, "alice")


def _bearer(http: httpx.Client, secret: dict[str, str], user: str) -> dict[str, str]:
    token = http.post("/_syncsim/tokens", json={"user": user}, headers=secret).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _stores(world: World) -> str:
    """Everything a request could change, written out: each organization's records, each
    mailbox's items, the settings, the users, the clock."""
    seen = []
    for user in world.users:
        crm = world.crm_of(user)
        records = {entity: sorted(crm.records(entity).items()) for entity in schema.ENTITIES}
        items = {kind: world.outlook(user).find(kind) for kind in schema.ITEM_KINDS}
        options = world.organization(user.organization).settings.options()
        seen.append((user.name, records, items, options))
    return repr((seen, world.clock.now()))


def refused(
    server: Server,
    http: httpx.Client,
    log: _Log,
    method: str,
    path: str,
    status: int,
    **request: Any,
) -> dict[str, Any]:
    """Send a request that must be refused: its status, the face's error shape, no change to the
    stores, a line in the log. Returns the error."""
    before, lines = _stores(server.backend.world), len(log.records)
    answer = http.request(method, path, **request)
    assert answer.status_code == status, answer.text[:300]
    error = answer.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if path.startswith("/v1.0"):
        assert error["code"][0].isalpha() and "request-id" in error["innerError"]
    else:
        assert error["code"].startswith("0x")
    assert _stores(server.backend.world) == before
    assert any("refused" in r.getMessage() for r in log.records[lines:])
    return error  # type: ignore[no-any-return]


# -- who may ask -----------------------------------------------------------------------------------

CONTROL_ROUTES = [
    (method, route.path) for route in control.routes() for method in sorted(route.methods or ())
]


@pytest.mark.parametrize(("method", "path"), [r for r in CONTROL_ROUTES if r[0] != "HEAD"])
@pytest.mark.parametrize("given", [None, "", "wrong-secret-of-some-length"])
def test_every_control_route_wants_the_secret(server, http, log, method, path, given):
    headers = {} if given is None else {SECRET_HEADER: given}
    route = path.replace("{key}", "s1")
    error = refused(server, http, log, method, route, 401, headers=headers, json={"user": "admin"})
    assert SECRET_HEADER in error["message"]


def test_the_control_routes_are_all_covered():
    assert len(CONTROL_ROUTES) >= 13 and {path for _, path in CONTROL_ROUTES} >= {
        "/_syncsim/tokens",
        "/_syncsim/reset",
        "/_syncsim/snapshots/{key}/restore",
    }


def test_a_token_from_the_seed_or_from_another_start_is_refused(server, http, log, alice):
    seeded = hashlib.sha256(f"syncsim:{server.backend.world.seed}:alice".encode()).hexdigest()[:40]
    for token in (seeded, "x" * 40, "Bearer"):
        refused(
            server, http, log, "GET", f"{API}/contacts", 401, headers={"Authorization": f"Bearer {token}"}
        )
    with Server(Backend(World(seed=5))) as other:
        other.backend.world.add_user("alice")
        foreign = other.backend.token_for("alice")
    for path in (f"{API}/contacts", f"{GRAPH}/contacts"):
        refused(server, http, log, "GET", path, 401, headers={"Authorization": f"Bearer {foreign}"})
    assert http.get(f"{API}/contacts", headers=alice).status_code == 200


def test_a_token_is_void_after_a_reset(log):
    world = World(seed=2)
    world.add_user("alice")
    with Server(Backend(world)) as server, httpx.Client(base_url=server.url) as http:
        headers = _bearer(http, server.control_headers, "alice")
        assert http.get(f"{API}/contacts", headers=headers).status_code == 200
        reset = {"seed": 2, "users": ["alice"]}
        assert http.post("/_syncsim/reset", json=reset, headers=server.control_headers).status_code == 200
        refused(server, http, log, "GET", f"{API}/contacts", 401, headers=headers)


def test_another_organizations_user_is_no_owner_here(server, http, log, alice):
    carol = server.backend.world.user("carol")
    body = {"lastname": "Moved", "ownerid@odata.bind": f"/systemusers({carol.systemuserid})"}
    refused(server, http, log, "POST", f"{API}/contacts", 404, headers=alice, json=body)
    body = {"lastname": "Moved", "ownerid": "not-a-guid"}
    error = refused(server, http, log, "POST", f"{API}/contacts", 400, headers=alice, json=body)
    assert "ownerid@odata.bind" in error["message"]
    record = next(iter(server.backend.world.crm_of(carol).ids("contact")), None)
    assert record is None or http.get(f"{API}/contacts({record})", headers=alice).status_code == 404


# -- bodies ------------------------------------------------------------------------------------------

BAD_BODIES = {
    "malformed": (b'{"firstname": ', "application/json"),
    "invalid UTF-8": (b'{"firstname": "\xff\xfe"}', "application/json"),
    "XML": (b"<contact><firstname>Ann</firstname></contact>", "application/xml"),
    "form": (b"firstname=Ann&lastname=Lee", "application/x-www-form-urlencoded"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "an array": (b"[1, 2, 3]", "application/json"),
    "a string": (b'"contact"', "application/json"),
    "NaN": (b'{"firstname": NaN}', "application/json"),
}


@pytest.mark.parametrize("kind", BAD_BODIES)
@pytest.mark.parametrize("path", [f"{API}/contacts", f"{GRAPH}/contacts", "/_syncsim/clock"])
def test_a_body_that_is_no_json_object_is_a_400(server, http, log, alice, secret, kind, path):
    content, media = BAD_BODIES[kind]
    headers = {**alice, **secret, "Content-Type": media}
    refused(server, http, log, "POST", path, 400, headers=headers, content=content)


@pytest.mark.parametrize("path", [f"{API}/contacts", f"{GRAPH}/contacts"])
def test_a_50_mb_body_is_a_413_before_it_is_read(server, http, log, alice, path):
    content = b'{"firstname": "' + b"a" * (50 * 2**20) + b'"}'
    error = refused(server, http, log, "POST", path, 413, headers=alice, content=content)
    assert "maximum" in error["message"]


def test_a_body_past_the_limit_without_a_length_is_cut_off_and_refused(log):
    world = World(seed=2)
    world.add_user("alice")
    with Server(Backend(world, max_body=1000)) as server, httpx.Client(base_url=server.url) as http:
        headers = _bearer(http, server.control_headers, "alice")

        def chunks() -> Iterator[bytes]:
            yield b'{"firstname": "'
            yield b"a" * 5000
            yield b'"}'

        refused(server, http, log, "POST", f"{API}/contacts", 413, headers=headers, content=chunks())


def test_a_client_that_hangs_up_leaves_no_traceback(server, log, alice):
    host, port = server.host, server.port
    before = len(log.tracebacks())
    with socket.create_connection((host, port)) as raw:
        head = (
            f"POST {API}/contacts HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Authorization: {alice['Authorization']}\r\nContent-Length: 1000\r\n\r\n"
        )
        raw.sendall(head.encode() + b'{"firstname": "A')
    with httpx.Client(base_url=server.url) as http:
        assert http.get(f"{API}/WhoAmI", headers=alice).status_code == 200  # served on
    assert len(log.tracebacks()) == before


# -- queries -----------------------------------------------------------------------------------------


def _deep_filters(field: str) -> dict[str, str]:
    term = f"{field} eq 'a'"
    return {
        "500 nested not": "not " * 500 + term,
        "1,000 and": " and ".join([term] * 1000),
        "100 parentheses": "(" * 100 + term + ")" * 100,
        "250 or": " or ".join(f"{field} eq '{n}'" for n in range(250)),
        "10,000 characters": f"{field} eq '" + "a" * 10_000 + "'",
    }


#: each face's contacts, and a property of theirs a filter may name
CONTACTS = {f"{API}/contacts": "firstname", f"{GRAPH}/contacts": "givenName"}


@pytest.mark.parametrize("name", _deep_filters("x"))
@pytest.mark.parametrize("path", CONTACTS)
def test_a_filter_too_deep_or_too_long_is_a_400(server, http, log, alice, name, path):
    params = {"$filter": _deep_filters(CONTACTS[path])[name]}
    error = refused(server, http, log, "GET", path, 400, headers=alice, params=params)
    assert "at most" in error["message"] or "too deeply" in error["message"]


@pytest.mark.parametrize("path", CONTACTS)
def test_a_filter_within_the_limits_is_answered(http, alice, path):
    field = CONTACTS[path]
    ors = " or ".join(f"{field} eq '{n}'" for n in range(100))
    nested = "(" * 30 + f"{field} eq 'a'" + ")" * 30
    for expression in (ors, nested):
        assert http.get(path, headers=alice, params={"$filter": expression}).status_code == 200


# -- values ------------------------------------------------------------------------------------------

DATAVERSE_VALUES = {
    "statecode 99": ("contacts", {"lastname": "X", "statecode": 99}, 400, "option set"),
    "priority 7": ("appointments", {"subject": "X", "prioritycode": 7}, 400, "option set"),
    "a boolean e-mail": ("contacts", {"lastname": "X", "emailaddress1": True}, 400, "Edm.String"),
    "a number as text": ("contacts", {"lastname": 42}, 400, "Edm.String"),
    "an object as text": ("contacts", {"lastname": {"a": 1}}, 400, "Edm.String"),
    "text as a number": ("appointments", {"subject": "X", "prioritycode": "1"}, 400, "Edm.Int32"),
    "a fraction": ("appointments", {"subject": "X", "prioritycode": 1.5}, 400, "Edm.Int32"),
    "past Int32": ("tasks", {"subject": "X", "percentcomplete": 2**40}, 400, "Edm.Int32"),
    "before 1753": ("appointments", {"subject": "X", "scheduledstart": "1700-01-01T09:00:00Z"}, 400, "1753"),
    "year 1": ("appointments", {"subject": "X", "scheduledstart": "0001-01-01T00:00:00+05:00"}, 400, "1753"),
    "no date": ("contacts", {"lastname": "X", "birthdate": "someday"}, 400, "Edm.DateTimeOffset"),
    "plain createdby": ("contacts", {"lastname": "X", "createdby": str(uuid.uuid4())}, 400, "createdby"),
}


@pytest.mark.parametrize("case", DATAVERSE_VALUES)
def test_dataverse_refuses_values_its_attributes_cannot_hold(server, http, log, alice, case):
    entity_set, body, status, said = DATAVERSE_VALUES[case]
    error = refused(server, http, log, "POST", f"{API}/{entity_set}", status, headers=alice, json=body)
    assert said in error["message"]


def test_dataverse_refuses_a_bad_value_in_an_update_too(server, http, log, alice):
    record = server.backend.world.crm_of(server.backend.world.user("alice")).ids("contact")[0]
    refused(
        server, http, log, "PATCH", f"{API}/contacts({record})", 400, headers=alice, json={"statecode": 99}
    )
    refused(
        server, http, log, "PATCH", f"{API}/contacts({record})", 400, headers=alice, json={"ownerid": "x"}
    )


def _event(start: str, end: str, **more: Any) -> dict[str, Any]:
    return {
        "subject": "Hostile",
        "start": {"dateTime": start, "timeZone": "UTC"},
        "end": {"dateTime": end, "timeZone": "UTC"},
        **more,
    }


NO_END = {"type": "noEnd", "startDate": "2026-01-05"}
GRAPH_EVENTS = {
    "year 1 to 9999": (_event("0001-01-01T00:00:00", "9999-12-31T23:59:59"), "outside"),
    "ends before it starts": (_event("2026-01-05T10:00:00", "2026-01-05T09:00:00"), "before"),
    "interval 0, no end": (
        _event(
            "2026-01-05T09:00:00",
            "2026-01-05T10:00:00",
            recurrence={"pattern": {"type": "daily", "interval": 0}, "range": NO_END},
        ),
        "interval",
    ),
    "no occurrence": (
        _event(
            "2026-01-05T09:00:00",
            "2026-01-05T10:00:00",
            recurrence={
                "pattern": {"type": "daily", "interval": 1},
                "range": {"type": "numbered", "startDate": "2026-01-05", "numberOfOccurrences": 0},
            },
        ),
        "numberOfOccurrences",
    ),
    "an unknown zone": (
        {
            **_event("2026-01-05T09:00:00", "2026-01-05T10:00:00"),
            "end": {"dateTime": "2026-01-05T10:00:00", "timeZone": "Mars"},
        },
        "Mars",
    ),
}


@pytest.mark.parametrize("case", GRAPH_EVENTS)
def test_graph_refuses_events_that_cannot_exist(server, http, log, alice, case):
    body, said = GRAPH_EVENTS[case]
    error = refused(server, http, log, "POST", f"{GRAPH}/events", 400, headers=alice, json=body)
    assert said in error["message"]


def test_graph_refuses_a_patch_that_ends_an_event_before_it_starts(server, http, log, alice):
    made = http.post(
        f"{GRAPH}/events", headers=alice, json=_event("2026-01-05T09:00:00", "2026-01-05T10:00:00")
    )
    assert made.status_code == 201
    late = {"start": {"dateTime": "2026-01-05T11:00:00", "timeZone": "UTC"}}
    error = refused(
        server, http, log, "PATCH", f"{GRAPH}/events/{made.json()['id']}", 400, headers=alice, json=late
    )
    assert error["code"] == "ErrorPropertyValidationFailure"
    assert http.delete(f"{GRAPH}/events/{made.json()['id']}", headers=alice).status_code == 204


CONTROL_VALUES = [
    ("/_syncsim/clock", {"minutes": 1e308}),
    ("/_syncsim/clock", {"minutes": -5}),
    ("/_syncsim/clock", {"minutes": "5"}),
    ("/_syncsim/clock", {"minutes": 10**400}),
    ("/_syncsim/clock", {}),
    ("/_syncsim/faults", {"kind": "throttled", "retry_after": 1e308}),
    ("/_syncsim/faults", {"kind": "throttled", "retry_after": 0}),
    ("/_syncsim/faults", {"kind": "throttled", "write": -1}),
    ("/_syncsim/faults", {"kind": "slow", "seconds": 1e9}),
    ("/_syncsim/faults", {"kind": "slow", "seconds": -1}),
    ("/_syncsim/faults", {"kind": "slow", "seconds": 1, "requests": 10**9}),
    ("/_syncsim/faults", {"kind": "batch", "count": 10**6}),
    ("/_syncsim/faults", {"kind": "meteor"}),
    ("/_syncsim/populate", {"user": "alice", "contacts": 10**9}),
    ("/_syncsim/populate", {"user": "alice", "contacts": -1}),
    ("/_syncsim/populate", {"user": "nobody", "contacts": 1}),
    ("/_syncsim/sync", {"cycles": 10**10}),
    ("/_syncsim/sync", {"cycles": 0}),
    ("/_syncsim/reset", {"users": ["x"] * 10_000}),
    ("/_syncsim/reset", {"seed": "seven"}),
    ("/_syncsim/reset", {"users": ["../escape"]}),
    ("/_syncsim/users", {"name": "/abs"}),
    ("/_syncsim/users", {"name": ""}),
    ("/_syncsim/tokens", {"user": 7}),
    ("/_syncsim/snapshots/nope/restore", {}),
]


@pytest.mark.parametrize(("path", "body"), CONTROL_VALUES, ids=[f"{p} {b}"[:60] for p, b in CONTROL_VALUES])
def test_the_control_api_takes_only_finite_bounded_values(server, http, log, secret, path, body):
    status = 404 if path.endswith("restore") or body.get("user") == "nobody" else 400
    refused(server, http, log, "POST", path, status, headers=secret, json=body)
    assert server.backend.slow_seconds < 60


def test_unknown_paths_and_methods_answer_in_the_faces_shape(server, http, log, alice, secret):
    refused(server, http, log, "GET", "/nothing/here", 404)
    refused(server, http, log, "PUT", f"{API}/contacts", 405, headers=alice)
    refused(server, http, log, "GET", "/_syncsim/tokens", 405, headers=secret)
    refused(server, http, log, "GET", f"{GRAPH}/nosuchset", 404, headers=alice)
