"""The control API at ``/_syncsim/``: what a test or a person sets up around a sync program.

- ``POST tokens {"user": "alice"}``: a bearer token for that user (reads only their mailbox);
- ``POST reset {"seed": 7, "users": ["alice", {"name": "bob", "channel": "server-side"}]}``;
  ``POST users {...}``; ``POST populate {"user": "alice", "contacts": 100, "side": "crm"}``;
- ``POST snapshots`` -> ``{"id"}``; ``POST snapshots/{id}/restore``;
- ``GET settings``; ``PATCH settings {"sync_appointment_attachments": "true"}`` with an
  administrator's token (403 otherwise);
- ``POST faults {"kind": "throttled", "write": 1, "retry_after": 2}``: a fault of the world's
  network (kinds: fail, lost-response, throttled, busy, stale, batch), or ``{"kind": "slow",
  "seconds": 0.5, "requests": 3}``; ``DELETE faults`` clears them;
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
    body = request.state.json or {}
    world = World(seed=_field(body, "seed", int, 0))
    for entry in body.get("users", []):
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
    counts = {kind: _field(body, kind, int, 0) for kind in ("contacts", "appointments", "tasks")}
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
        backend.slow_down(float(_field(body, "seconds", (int, float))), _field(body, "requests", int, 1))
        return 201, {"kind": kind}
    ahead = _field(body, "write", int, 1)
    seconds = float(body.get("retry_after", 30))
    if kind == "fail":
        network.fail_write(ahead)
    elif kind == "lost-response":
        network.fail_write(ahead, lose_response=True)
    elif kind in ("throttled", "busy"):
        network.throttle_write(ahead, retry_after=seconds, busy=kind == "busy")
    elif kind == "stale":
        network.stale_write(ahead)
    elif kind == "batch":
        network.fail_batch(ahead, _field(body, "count", int, 2))
    else:
        raise ApiError(
            "bad-payload", f"kind {kind!r} is not allowed; kinds: {', '.join((*FAULT_KINDS, 'slow'))}"
        )
    return 201, {"kind": kind, "write": network.writes + ahead}


@endpoint("control")
def sync(request: Request, backend: Backend) -> tuple[int, Any]:
    cycles = _field(request.state.json or {}, "cycles", int, 1)
    done = backend.world.sync(cycles)
    backend.reports.extend(done.cycles)
    backend.restart_clock()
    return 200, {"cycles": cycles, "events": len(done.events), "losses": len(done.losses)}


@endpoint("control")
def clock(request: Request, backend: Backend) -> tuple[int, Any]:
    minutes = _field(body_of(request), "minutes", (int, float))
    backend.world.clock.advance(minutes * 60)
    backend.restart_clock()
    return 200, {"now": backend.world.clock.now().isoformat()}


@endpoint("control")
def report(request: Request, backend: Backend) -> tuple[int, Any]:
    return 200, backend.describe()
