"""The control API at ``/_syncsim/``: what a test or a person sets up around a sync program.

Every route wants the server's control secret in the ``X-Syncsim-Secret`` header (401 without
it), and takes only finite numbers within :data:`LIMITS`.

- ``POST tokens {"user": "alice"}``: a bearer token for that user (reads only their mailbox);
  random, void after a reset or a restart;
- ``POST reset {"seed": 7, "users": ["alice", {"name": "bob", "channel": "server-side"}]}``;
  ``POST users {...}``; ``POST populate {"user": "alice", "contacts": 100, "side": "crm"}``;
- ``POST snapshots`` -> ``{"id"}``; ``POST snapshots/{id}/restore``;
- ``GET settings``; ``PATCH settings {"sync_appointment_attachments": "true"}`` with an
  administrator's token (403 otherwise);
- ``POST faults {"kind": "throttled", "write": 1, "retry_after": 2}``: a fault of the world's
  network (kinds: fail, lost-response, throttled, busy, stale, batch), or ``{"kind": "slow",
  "seconds": 0.5, "requests": 3}``; ``DELETE faults`` clears them;
- ``POST paging {"most": 2}``: no collection of either face serves a page larger than that (so a
  program that ignores ``@odata.nextLink`` shows in a small scenario); ``DELETE paging``: the
  services' own sizes again;
- ``POST sync {"cycles": 1}`` runs the world's own engine; ``POST clock {"minutes": 15}``;
- ``GET report``: the cycles run here (events and losses), writes, responses, early writes.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ...settings import SETTINGS, TAB
from ...sim.network import FAULT_KINDS
from ...world import World
from .backend import Backend
from .errors import ApiError
from .web import body_of, endpoint

PREFIX = "/_syncsim"


def routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/tokens", tokens, methods=["POST"]),
        Route(f"{PREFIX}/reset", reset, methods=["POST"]),
        Route(f"{PREFIX}/users", users, methods=["POST"]),
        Route(f"{PREFIX}/populate", populate, methods=["POST"]),
        Route(f"{PREFIX}/snapshots", snapshot, methods=["POST"]),
        Route(f"{PREFIX}/snapshots/{{key}}/restore", restore, methods=["POST"]),
        Route(f"{PREFIX}/settings", settings, methods=["GET", "PATCH"]),
        Route(f"{PREFIX}/faults", faults, methods=["POST", "DELETE"]),
        Route(f"{PREFIX}/paging", paging, methods=["POST", "DELETE"]),
        Route(f"{PREFIX}/sync", sync, methods=["POST"]),
        Route(f"{PREFIX}/clock", clock, methods=["POST"]),
        Route(f"{PREFIX}/report", report, methods=["GET"]),
    ]


def _field(body: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    value = body.get(name, default)
    if value is None or isinstance(value, bool) is not (kind is bool) or not isinstance(value, kind):
        what = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ApiError("bad-payload", f"{name}: {value!r} is not a {what}")
    return value


def _number(body: dict[str, Any], name: str, low: float, high: float, default: Any = None) -> float:
    """A finite number from ``low`` to ``high`` (a whole number when both bounds are ints)."""
    whole = isinstance(low, int) and isinstance(high, int)
    value = _field(body, name, int if whole else (int, float), default)
    if not low <= value <= high:  # (never true of NaN; JSON has no infinity, a huge number is past high)
        raise ApiError("bad-payload", f"{name}: {value!r} is not from {low:g} to {high:g}")
    return value  # type: ignore[no-any-return]


def _body_or_empty(request: Request) -> dict[str, Any]:
    """The request's JSON object, or {} for a request with no body."""
    return {} if request.state.json is None else body_of(request)


#: the bounds of what the control API takes: a server answers every request in time
LIMITS = {
    "minutes": (0.0, 366 * 24 * 60.0),  # the clock moves forward, by at most a year
    "retry_after": (0.001, 3600.0),
    "seconds": (0.0, 30.0),  # a slow response
    "requests": (1, 1000),
    "write": (1, 1_000_000),
    "count": (1, 1000),
    "cycles": (1, 1000),
    "records": (0, 100_000),  # each kind populate makes at once
    "users": (0, 1000),
    "most": (1, 5000),  # a page
}


@endpoint("control")
def tokens(request: Request, backend: Backend) -> tuple[int, Any]:
    name = _field(body_of(request), "user", str)
    user = backend.world.user(name)
    return 200, {
        "access_token": backend.token_for(name),
        "token_type": "Bearer",
        "user_id": user.systemuserid,
        "mail": user.email,
        "is_admin": user.is_admin,
    }


@endpoint("control")
def reset(request: Request, backend: Backend) -> tuple[int, Any]:
    body = _body_or_empty(request)
    world = World(seed=_field(body, "seed", int, 0))
    entries = body.get("users", [])
    if not isinstance(entries, list) or len(entries) > LIMITS["users"][1]:
        raise ApiError("bad-payload", f"users: a list of at most {LIMITS['users'][1]} names or objects")
    for entry in entries:
        _add_user(world, entry)
    backend.use(world)
    backend.reports.clear()
    return 200, {"seed": world.seed, "users": [u.name for u in world.users]}


def _add_user(world: World, entry: Any) -> None:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict):
        raise ApiError("bad-payload", f"users: {entry!r} is not a name or an object")
    world.add_user(
        _field(entry, "name", str),
        channel=_field(entry, "channel", str, "outlook"),
        organization=_field(entry, "organization", str, "Contoso"),
    )


@endpoint("control")
def users(request: Request, backend: Backend) -> tuple[int, Any]:
    _add_user(backend.world, body_of(request))
    return 201, {"users": [u.name for u in backend.world.users]}


@endpoint("control")
def populate(request: Request, backend: Backend) -> tuple[int, Any]:
    body = body_of(request)
    user = backend.world.user(_field(body, "user", str))
    counts = {
        kind: int(_number(body, kind, *LIMITS["records"], 0))
        for kind in ("contacts", "appointments", "tasks")
    }
    backend.world.populate(user, side=_field(body, "side", str, "crm"), **counts)
    return 200, counts


@endpoint("control")
def snapshot(request: Request, backend: Backend) -> tuple[int, Any]:
    return 201, {"id": backend.snapshot()}


@endpoint("control")
def restore(request: Request, backend: Backend) -> tuple[int, Any]:
    backend.restore(request.path_params["key"])
    return 200, {"restored": request.path_params["key"]}


@endpoint("control")
def settings(request: Request, backend: Backend) -> tuple[int, Any]:
    if request.method == "PATCH":
        admin = backend.user_of(request.headers.get("authorization"))
        backend.admin_only(admin)
        changes = {}
        for name, word in body_of(request).items():
            if name not in SETTINGS:
                raise ApiError("bad-payload", f"unknown setting {name!r}; settings: {', '.join(SETTINGS)}")
            changes[name] = SETTINGS[name].parse(str(word))
        backend.world.configure(by=admin, **changes)
    options = backend.world.settings.options().as_dict()
    return 200, {name: options[name] for name in (*TAB, *(n for n in SETTINGS if n not in TAB))}


@endpoint("control")
def faults(request: Request, backend: Backend) -> tuple[int, Any]:
    network = backend.world.network
    if request.method == "DELETE":
        network.clear()
        backend.slow_down(0, 0)
        return 204, None
    body = body_of(request)
    kind = _field(body, "kind", str)
    if kind == "slow":
        seconds = float(_number(body, "seconds", *LIMITS["seconds"]))
        backend.slow_down(seconds, int(_number(body, "requests", *LIMITS["requests"], 1)))
        return 201, {"kind": kind}
    ahead = int(_number(body, "write", *LIMITS["write"], 1))
    seconds = float(_number(body, "retry_after", *LIMITS["retry_after"], 30))
    if kind == "fail":
        network.fail_write(ahead)
    elif kind == "lost-response":
        network.fail_write(ahead, lose_response=True)
    elif kind in ("throttled", "busy"):
        network.throttle_write(ahead, retry_after=seconds, busy=kind == "busy")
    elif kind == "stale":
        network.stale_write(ahead)
    elif kind == "batch":
        network.fail_batch(ahead, int(_number(body, "count", *LIMITS["count"], 2)))
    else:
        raise ApiError(
            "bad-payload", f"kind {kind!r} is not allowed; kinds: {', '.join((*FAULT_KINDS, 'slow'))}"
        )
    return 201, {"kind": kind, "write": network.writes + ahead}


@endpoint("control")
def paging(request: Request, backend: Backend) -> tuple[int, Any]:
    if request.method == "DELETE":
        backend.page_limit = None
        return 204, None
    backend.page_limit = int(_number(body_of(request), "most", *LIMITS["most"]))
    return 201, {"most": backend.page_limit}


@endpoint("control")
def sync(request: Request, backend: Backend) -> tuple[int, Any]:
    body = _body_or_empty(request)
    cycles = int(_number(body, "cycles", *LIMITS["cycles"], 1))
    done = backend.world.sync(cycles)
    backend.reports.extend(done.cycles)
    backend.restart_clock()
    return 200, {"cycles": cycles, "events": len(done.events), "losses": len(done.losses)}


@endpoint("control")
def clock(request: Request, backend: Backend) -> tuple[int, Any]:
    minutes = float(_number(body_of(request), "minutes", *LIMITS["minutes"]))
    backend.world.clock.advance(minutes * 60)
    backend.restart_clock()
    return 200, {"now": backend.world.clock.now().isoformat()}


@endpoint("control")
def report(request: Request, backend: Backend) -> tuple[int, Any]:
    return 200, backend.describe()
