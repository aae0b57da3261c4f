"""The fake mailboxes as a Microsoft Graph v1.0 subset, at ``/v1.0/``.

``users/{id}`` (or ``me``) with ``contacts``, ``events`` (their ``attachments``, recurrence) and
``todo/lists/{id}/tasks`` (Outlook tasks as Microsoft To Do shows them: one default list,
"Tasks"), each with ``/delta`` (``@odata.deltaLink``; deleted items as ``@removed``), GET with
``$select``, ``$filter``, ``$top`` and ``$skip`` (pages of 10 unless ``$top`` or ``Prefer:
odata.maxpagesize`` asks otherwise, as Graph serves these collections), and POST, PATCH (``If-Match``
on the ``@odata.etag``), DELETE. CRM for Outlook's named properties (crmid, crmLinkState) are
``singleValueExtendedProperties`` of contacts and events (``$expand=singleValueExtendedProperties``
reads them); a task tracked in CRM carries a Dynamics 365 ``linkedResources`` entry instead. A
user's token reads only that user's mailbox (403 ErrorAccessDenied otherwise).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from ...model import User
from ...stores.outlook import MESSAGE_CLASS, TRACKED, Mailbox
from ..formats import graph as shapes
from ..formats import ical
from . import odata
from .backend import Backend
from .errors import ApiError
from .web import body_of, endpoint

PREFIX = "/v1.0"
TASK_LIST = "Tasks"


@dataclass(frozen=True)
class Collection:
    """One kind of item as Graph shows it."""

    kind: str
    odata_type: str
    resource: Callable[[dict[str, Any]], dict[str, Any]]


COLLECTIONS = {
    "contacts": Collection("contact", "#microsoft.graph.contact", shapes.contact_resource),
    "events": Collection("appointment", "#microsoft.graph.event", shapes.event_resource),
    # v1.0 tracks changes to events in a calendar view (a time range): /calendarView/delta
    "calendarView": Collection("appointment", "#microsoft.graph.event", shapes.event_resource),
    "tasks": Collection("task", "#microsoft.graph.todoTask", shapes.task_resource),
}
_PATH = re.compile(
    r"^(?:me|users/(?P<user>[^/]+))"
    r"(?:/(?P<set>contacts|events|calendarView|todo/lists/(?P<list>[^/]+)/tasks|todo/lists)"
    r"(?:/(?P<item>[^/]+))?(?:/attachments(?:/(?P<attachment>[^/]+))?|/(?P<instances>instances))?)?$"
)


def routes() -> list[Route]:
    return [Route(f"{PREFIX}/{{path:path}}", dispatch, methods=["GET", "POST", "PATCH", "DELETE"])]


@endpoint("graph")
def dispatch(request: Request, backend: Backend) -> Any:
    caller = backend.user_of(request.headers.get("authorization"))
    path = request.path_params["path"].rstrip("/")
    if path == "users" and request.method == "GET":
        users = [_user(u) for u in backend.world.users if u.organization == caller.organization]
        return 200, {"@odata.context": f"{_base(request)}$metadata#users", "value": users}
    match = _PATH.match(path)
    if match is None:
        raise ApiError("no-segment", f"Resource not found for the segment '{path}'.")
    owner = _owner(backend, caller, match["user"])
    if match["set"] is None:
        return 200, {"@odata.context": f"{_base(request)}$metadata#users/$entity", **_user(owner)}
    if match["set"] == "todo/lists":
        return _lists(request, match["item"])
    if match["list"] is not None and match["list"] != TASK_LIST:
        raise ApiError("not-found", f"no task list {match['list']!r}; the mailbox has one: {TASK_LIST}")
    name = "tasks" if match["list"] else str(match["set"])
    items = Items(
        backend, caller, owner, name, f"{_base(request)}{path.rsplit('/', 1)[0] if match['item'] else path}"
    )
    if "/attachments" in path:
        return items.attachments(request, str(match["item"]), match["attachment"])
    item = match["item"]
    if item in ("delta", "delta()") and request.method == "GET":  # the SDKs write the function call
        return items.delta(request)
    if (name == "calendarView" or match["instances"]) and request.method != "GET":
        raise ApiError("method", f"{request.method} is not supported on {path}: it is read only")
    if name == "calendarView":
        return items.calendar_view(request, None)
    if match["instances"]:
        return items.calendar_view(request, item)
    if request.method == "GET":
        return items.read(request, item) if item else items.listing(request)
    if request.method == "POST" and not item:
        return items.create(request)
    if request.method == "PATCH" and item:
        return items.update(request, item)
    if request.method == "DELETE" and item:
        return items.delete(request, item)
    raise ApiError("bad-payload", f"{request.method} is not supported on {path}")


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{PREFIX}/"


def _user(user: User) -> dict[str, Any]:
    return {
        "id": user.systemuserid,
        "displayName": user.name,
        "mail": user.email,
        "userPrincipalName": user.email,
    }


def _owner(backend: Backend, caller: User, key: str | None) -> User:
    """The mailbox's owner: ``users/{id or address}``, or ``me``; only the caller's own mailbox."""
    if key is None:
        return caller
    owner = backend.world.user_by_id(key.lower()) or backend.world.user_by_email(key)
    if owner is None:
        raise ApiError(
            "not-found",
            f"User '{key}' does not exist or one of its queried reference-property objects are not present.",
        )
    if owner != caller:
        raise ApiError("privilege", "Access is denied. Check credentials and try again.")
    return owner


def _lists(request: Request, key: str | None) -> Any:
    """The mailbox's one To Do list, "Tasks": read, never made, renamed or deleted here."""
    if request.method != "GET":
        raise ApiError(
            "method",
            f"{request.method} todo/lists: the mailbox has one task list here, {TASK_LIST}, read only",
        )
    row = {
        "id": TASK_LIST,
        "displayName": TASK_LIST,
        "isOwner": True,
        "isShared": False,
        "wellknownListName": "defaultList",
    }
    if key:
        if key != TASK_LIST:
            raise ApiError("not-found", f"no task list {key!r}; the mailbox has one: {TASK_LIST}")
        return 200, row
    return 200, {"@odata.context": f"{_base(request)}$metadata#todoLists", "value": [row]}


def _computed(name: str, item: dict[str, Any]) -> dict[str, Any]:
    """What Exchange works out of an item's own properties: a contact's display name and folder,
    an event's body preview (its first 255 characters) and its locations (the one it has)."""
    if name == "contacts":
        named = " ".join(str(item.get(p) or "") for p in ("FirstName", "LastName")).strip()
        return {"displayName": item.get("FullName") or named, "parentFolderId": "Contacts"}
    if name in ("events", "calendarView"):
        where = [{"displayName": item["Location"]}] if item.get("Location") else []
        return {"bodyPreview": str(item.get("Body") or "")[:255], "locations": where}
    return {}


def _range(params: dict[str, str], what: str) -> tuple[datetime, datetime]:
    """The startDateTime and endDateTime a calendar view is asked for."""
    try:
        start, end = (odata.moment(params[key]) for key in ("startDateTime", "endDateTime"))
    except KeyError:
        raise ApiError("bad-query", f"{what} needs startDateTime and endDateTime") from None
    except ValueError as bad:
        raise ApiError("bad-query", f"{what}: {bad}") from None
    return start, end


def _window_names(params: dict[str, str]) -> dict[str, str]:
    """A calendar view's startDateTime and endDateTime however the client cased them (Graph's own
    pages write ``startdatetime``)."""
    named = {"startdatetime": "startDateTime", "enddatetime": "endDateTime"}
    return {named.get(key.lower(), key): value for key, value in params.items()}


def etag(box: Mailbox, entry_id: str) -> str:
    return f'W/"{box.version(entry_id)}"'


class Items:
    """One collection of one mailbox, as the caller sees it."""

    def __init__(self, backend: Backend, caller: User, owner: User, name: str, url: str) -> None:
        self.backend, self.caller, self.owner, self.name, self.url = backend, caller, owner, name, url
        self.collection = COLLECTIONS[name]
        self.box = backend.world.outlook(owner)

    def resource(self, item: dict[str, Any], expand: str = "") -> dict[str, Any]:
        entry_id = item["EntryID"]
        out = {
            "@odata.etag": etag(self.box, entry_id),
            "id": entry_id,
            "changeKey": str(self.box.version(entry_id)),
            "lastModifiedDateTime": item.get("LastModificationTime"),
            **self.collection.resource(item),
            **_computed(self.name, item),
        }
        if "singleValueExtendedProperties" in expand and self.name != "tasks":
            out["singleValueExtendedProperties"] = shapes.named_properties(item)
        return out

    def _all(self, expand: str) -> list[dict[str, Any]]:
        return [self.resource(item, expand) for item in self.box.find(self.collection.kind)]

    def listing(self, request: Request, records: list[dict[str, Any]] | None = None) -> tuple[int, Any]:
        """A page of the collection (or of ``records``, a calendar view's)."""
        params = dict(request.query_params)
        expand = params.get("$expand", "")
        records = self._all(expand) if records is None else records
        query = odata.parse(params, {key for record in records for key in record} or None)
        size = self._page_size(request, query.top)
        if "$skiptoken" not in params:  # Graph pages these collections by $skip
            query = replace(query, token={"skip": odata.whole(params, "$skip") or 0})
        found = odata.apply(replace(query, top=None), records)  # ($top is the page's size here)
        page = odata.page(query, found, size)
        body: dict[str, Any] = {
            "@odata.context": f"{self.url}",
            "value": [odata.selected(r, query, ("id",)) for r in page.records],
        }
        if page.next_skip is not None:
            following = {k: v for k, v in params.items() if k != "$skiptoken"} | {
                "$skip": str(page.next_skip)
            }
            body["@odata.nextLink"] = f"{self.url}?{urlencode(following, safe='$,()')}"
        return 200, body

    def _page_size(self, request: Request, top: int | None) -> int:
        prefer = request.headers.get("prefer", "")
        limit = self.backend.page_limit
        return odata.page_size(prefer, default=odata.GRAPH_PAGE, most=odata.GRAPH_MOST, limit=limit, top=top)

    def calendar_view(self, request: Request, series: str | None) -> tuple[int, Any]:
        """The events between ``startDateTime`` and ``endDateTime``: single events that overlap
        the range and each occurrence and exception of a series in it, as Graph's calendarView
        lists them; with ``series``, that series' occurrences only (``events/{id}/instances``).
        Occurrences are expanded from the series' pattern (harness/tools/formats/ical.py)."""
        params = _window_names(dict(request.query_params))
        window = _range(params, "calendarView and instances")
        items = [self._item(series)] if series is not None else self.box.find(self.collection.kind)
        rows = []
        for item in items:
            master = self.resource(item, params.get("$expand", ""))
            recurring = bool(item.get("RecurrencePattern"))
            if series is not None and not recurring:
                continue
            for occurrence in ical.occurrences(item, *window):
                rows.append(master if not recurring else self._instance(master, occurrence))
        rows.sort(key=lambda row: str((row.get("start") or {}).get("dateTime")))
        return self.listing(request, rows)

    @staticmethod
    def _instance(master: dict[str, Any], occurrence: ical.Occurrence) -> dict[str, Any]:
        """An occurrence of a series as Graph shows it: its own id, type and times, the series' id."""
        meant = occurrence.original_start.strftime("%Y%m%dT%H%M%SZ")
        return {
            **master,
            "id": f"{master['id']}_{meant}",
            "type": "exception" if occurrence.exception else "occurrence",
            "seriesMasterId": master["id"],
            "originalStart": occurrence.original_start,
            "start": shapes.zoned(occurrence.start),
            "end": shapes.zoned(occurrence.end),
            "subject": occurrence.subject if occurrence.subject is not None else master.get("subject"),
            "recurrence": None,
        }

    def delta(self, request: Request) -> tuple[int, Any]:
        """The whole collection then a delta link; from a delta link, what changed since. A
        calendar view's delta keeps to its time range (``startDateTime``, ``endDateTime``, carried
        in its links): an event outside it that changed comes as removed, as Graph sends it."""
        params = _window_names(dict(request.query_params))
        url = f"{self.url}/delta"
        expand = params.get("$expand", "")
        window = self._window(params)
        kept = {k: v for k, v in params.items() if k in ("startDateTime", "endDateTime")}
        link = f"{url}?{urlencode(kept)}&" if kept else f"{url}?"
        if "$deltatoken" in params:
            token = params["$deltatoken"]
            if not token.isdigit():
                raise ApiError("bad-query", f"$deltatoken {token!r} is not one this server gave")
            value = self._changes(int(token), expand, window)
            return 200, {
                "@odata.context": url,
                "@odata.deltaLink": f"{link}$deltatoken={self.box.changes.seq}",
                "value": value,
            }
        query = odata.parse({k: v for k, v in params.items() if k not in ("$expand", *kept)})
        since = int(query.token.get("track", self.box.changes.seq))
        records = [r for r in self._all(expand) if window is None or _within(r, window)]
        page = odata.page(query, records, self._page_size(request, query.top))
        body: dict[str, Any] = {
            "@odata.context": url,
            "value": [odata.selected(r, query, ("id",)) for r in page.records],
        }
        if page.next_skip is not None:
            body["@odata.nextLink"] = odata.next_link(url, params, page.next_skip, track=since)
        else:
            body["@odata.deltaLink"] = f"{link}$deltatoken={since}"
        return 200, body

    def _window(self, params: dict[str, str]) -> tuple[datetime, datetime] | None:
        """A calendar view's delta keeps to its range; the other collections' deltas have none."""
        return _range(params, "calendarView/delta") if self.name == "calendarView" else None

    def _changes(
        self, since: int, expand: str, window: tuple[datetime, datetime] | None
    ) -> list[dict[str, Any]]:
        """What changed since ``since`` in this collection: each item as it is now, or removed
        (deleted, or, for a calendar view, outside its range)."""
        value = []
        for entry_id in self.box.changed_since(since):
            item = self.box.peek(entry_id)
            if item is None:
                if self.box.kind_of_deleted(entry_id) == self.collection.kind:
                    value.append(self._removed(entry_id))
            elif item["MessageClass"] == self._message_class:
                resource = self.resource(self.box.get(entry_id), expand)
                value.append(
                    resource if window is None or _within(resource, window) else self._removed(entry_id)
                )
        return value

    def _removed(self, entry_id: str) -> dict[str, Any]:
        return {"@odata.type": self.collection.odata_type, "id": entry_id, "@removed": {"reason": "deleted"}}

    @property
    def _message_class(self) -> str:
        return MESSAGE_CLASS[self.collection.kind]

    def read(self, request: Request, entry_id: str) -> tuple[int, Any]:
        item = self._item(entry_id)
        query = odata.parse({k: v for k, v in request.query_params.items() if k != "$expand"})
        found = odata.selected(self.resource(item, request.query_params.get("$expand", "")), query, ("id",))
        return 200, {"@odata.context": self._entity_context, **found}

    @property
    def _entity_context(self) -> str:
        """What Graph's answer about one item says it is: ``$metadata#users('id')/events/$entity``."""
        base, _, _ = self.url.partition(PREFIX + "/")
        where = "todo/lists('Tasks')/tasks" if self.name == "tasks" else self.name
        return f"{base}{PREFIX}/$metadata#users('{self.owner.systemuserid}')/{where}/$entity"

    def create(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        props, tracked = self._properties(body_of(request))
        _in_order(props)
        entry_id = self.backend.write(
            self.caller, lambda: self.box.create(self.collection.kind, props, track=bool(tracked))
        )
        resource = self.resource(self.box.get(entry_id), "singleValueExtendedProperties")
        return (
            201,
            {"@odata.context": self._entity_context, **resource},
            {"Location": f"{self.url}/{entry_id}"},
        )

    def update(self, request: Request, entry_id: str) -> tuple[int, Any]:
        item = self._item(entry_id)
        self._matches(request, entry_id)
        props, tracked = self._properties(body_of(request))
        _in_order({**item, **props})

        def apply() -> None:
            if props:
                self.box.update(entry_id, props)
            if tracked is not None and tracked != (item.get("crmLinkState") == TRACKED):
                (self.box.track if tracked else self.box.untrack)(entry_id)

        self.backend.write(self.caller, apply)
        resource = self.resource(self.box.get(entry_id), "singleValueExtendedProperties")
        return 200, {"@odata.context": self._entity_context, **resource}

    def delete(self, request: Request, entry_id: str) -> tuple[int, None]:
        self._item(entry_id)
        self._matches(request, entry_id)
        self.backend.write(self.caller, lambda: self.box.delete(entry_id))
        return 204, None

    def _matches(self, request: Request, entry_id: str) -> None:
        wanted = request.headers.get("if-match")
        if wanted not in (None, "*") and wanted != etag(self.box, entry_id):
            raise ApiError(
                "stale",
                "The change key passed in the request does not match the current change key for the item.",
            )

    def _item(self, entry_id: str) -> dict[str, Any]:
        item = self.box.peek(entry_id)
        if item is None or item["MessageClass"] != self._message_class:
            raise ApiError("not-found", "The specified object was not found in the store.")
        return self.box.get(entry_id)

    def _properties(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool | None]:
        """Outlook properties from a resource, and whether it is to be tracked (None: not said)."""
        if self.name == "tasks":
            return shapes.task_properties(body)
        props = shapes.contact_properties(body) if self.name == "contacts" else shapes.event_properties(body)
        named = shapes.named_values(body)
        if "crmid" in named:
            props["crmid"] = named["crmid"] or None
        tracked = None if "crmLinkState" not in named else named["crmLinkState"] == str(TRACKED)
        return props, tracked

    # -- attachments ---------------------------------------------------------------------------

    def attachments(self, request: Request, entry_id: str, attachment: str | None) -> Any:
        if self.name != "events":
            raise ApiError("bad-payload", "attachments are supported on events only")
        self._item(entry_id)
        files = self.box.files(entry_id)
        if request.method == "GET" and attachment is None:
            rows = [_file(name, body) for name, body in sorted(files.items())]
            return 200, {"@odata.context": f"{self.url}/{entry_id}/attachments", "value": rows}
        if request.method == "POST" and attachment is None:
            name, content = _file_of(body_of(request))
            self.backend.write(self.caller, lambda: self.box.attach(entry_id, name, content))
            return 201, _file(name, content)
        name = _name_of(attachment or "")
        if name not in files:
            raise ApiError("not-found", "The specified object was not found in the store.")
        if request.method == "GET":
            return 200, _file(name, files[name])
        if request.method == "DELETE":
            self.backend.write(self.caller, lambda: self.box.detach(entry_id, name))
            return 204, None
        raise ApiError("bad-payload", f"{request.method} is not supported on an attachment")


def _in_order(props: dict[str, Any]) -> None:
    """Graph refuses an event that ends before it starts (or a task due before its start)."""
    for first, then in (("Start", "End"), ("StartDate", "DueDate")):
        begins, ends = props.get(first), props.get(then)
        if isinstance(begins, datetime) and isinstance(ends, datetime) and ends < begins:
            raise ApiError(
                "property",
                f"At least one property failed validation: {then} {ends.isoformat()} is before "
                f"{first} {begins.isoformat()}.",
            )


def _within(resource: dict[str, Any], window: tuple[datetime, datetime]) -> bool:
    """Whether an event overlaps a calendar view's range (times in UTC, as the resource gives them)."""
    start, end = (resource.get(key) or {} for key in ("start", "end"))
    if not start.get("dateTime") or not end.get("dateTime"):
        return False
    begins = odata.moment(start["dateTime"][:19] + "Z")
    ends = odata.moment(end["dateTime"][:19] + "Z")
    return begins < window[1] and ends > window[0]


def _file(name: str, content: bytes) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "id": base64.urlsafe_b64encode(name.encode()).decode().rstrip("="),
        "name": name,
        "contentType": "application/octet-stream",
        "size": len(content),
        "isInline": False,
        "contentBytes": base64.b64encode(content).decode(),
    }


def _name_of(attachment_id: str) -> str:
    try:
        return base64.urlsafe_b64decode(attachment_id + "=" * (-len(attachment_id) % 4)).decode()
    except (binascii.Error, ValueError):
        raise ApiError("not-found", "The specified object was not found in the store.") from None


def _file_of(body: dict[str, Any]) -> tuple[str, bytes]:
    if body.get("@odata.type") != "#microsoft.graph.fileAttachment":
        raise ApiError("bad-payload", "only #microsoft.graph.fileAttachment attachments are supported")
    name = str(body.get("name") or "")
    if not name:
        raise ApiError("bad-payload", "name: an attachment needs a name")
    try:
        return name, base64.b64decode(str(body.get("contentBytes", "")), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("bad-payload", "contentBytes: the file's bytes must be base64") from None
