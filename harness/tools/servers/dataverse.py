"""The fake CRM as a Dataverse Web API v9.2 subset, at ``/api/data/v9.2/``.

Entity sets: contacts, appointments, recurringappointmentmasters, serviceappointments, tasks
(the records of the caller's organization, with Dataverse's logical names; lookups read as
``_ownerid_value`` and are written with ``ownerid@odata.bind``), activitymimeattachments,
systemusers, organizations (the Synchronization settings, as the organization table names them:
an administrator may PATCH them), mailboxes (each user's and queue's row of the mailbox table:
approval, the ACT method, Test & Enable's results; an administrator may PATCH what the mailbox
form changes, ``testemailconfigurationscheduled: true`` runs Test & Enable), and WhoAmI.

GET takes ``$select``, ``$filter``, ``$orderby``, ``$top``, ``$count``, ``Prefer:
odata.maxpagesize`` (``@odata.nextLink``) and ``Prefer: odata.track-changes`` (``@odata.deltaLink``;
following it gives what changed, deleted records as ``$deletedEntity``). POST creates (the id may
be chosen), PATCH updates or, for an id that does not exist, creates (an upsert, as Dataverse
does; ``If-Match: *`` forbids that), DELETE deletes; ``If-Match`` with a stale ``@odata.etag`` is
412. ``Prefer: return=representation`` returns the record. ``CreateMultiple``,
``UpdateMultiple`` and ``UpsertMultiple`` on an entity set write every target or none;
``BulkDelete`` deletes records named by their ids; ``$batch`` is :mod:`.batch`'s,
``EntityDefinitions`` and ``$metadata`` :mod:`.metadata`'s. Every write goes through the world's
network (:meth:`Backend.write`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ... import mailboxes, schema, settings
from ...model import User
from ...stores.crm import ATTRIBUTES, CrmStore, primary_key
from ..formats.crmfiles import ENTITY_SETS
from . import batch, metadata, odata
from .backend import Backend
from .errors import ApiError
from .web import body_of, endpoint

PREFIX = "/api/data/v9.2"
LOOKUPS = ("ownerid", "createdby")
#: attributes Dataverse keeps itself: a client may read them, never write them
READ_ONLY = frozenset({"versionnumber", "createdon", "modifiedon", "createdby", "fullname"})
#: the Synchronization settings as columns of the organization table (Microsoft's logical names)
ORGANIZATION_COLUMNS = {
    "isappointmentattachmentsyncenabled": settings.SYNC_APPOINTMENT_ATTACHMENTS,
    "iscontactmailingaddresssyncenabled": settings.CONTACT_ADDRESS_SYNC,
    "isassignedtaskssyncenabled": settings.SYNC_ASSIGNED_TASKS,
    "maxuploadfilesize": settings.ATTACHMENT_MAX_KB,
    "blockedattachments": settings.BLOCKED_EXTENSIONS,
}
USER_COLUMNS = ("systemuserid", "fullname", "internalemailaddress", "isdisabled")
FILE_COLUMNS = (
    "activitymimeattachmentid",
    "_objectid_value",
    "objecttypecode",
    "filename",
    "filesize",
    "mimetype",
    "body",
)
_SEGMENT = re.compile(
    r"^(\w+)(?:\((.*)\))?(?:/Microsoft\.Dynamics\.CRM\.(CreateMultiple|UpdateMultiple|UpsertMultiple))?$"
)
_BIND = re.compile(r"^/?(\w+)\(([0-9a-fA-F-]{36})\)$")


def routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/", service_document, methods=["GET"]),
        Route(f"{PREFIX}/{{segment:path}}", dispatch, methods=["GET", "POST", "PATCH", "DELETE"]),
    ]


@endpoint("dataverse")
def service_document(request: Request, backend: Backend) -> tuple[int, Any]:
    backend.user_of(request.headers.get("authorization"))
    sets = [*ENTITY_SETS, "activitymimeattachments", "systemusers", "organizations", "mailboxes"]
    value = [{"name": name, "kind": "EntitySet", "url": name} for name in sets]
    return 200, {"@odata.context": f"{_base(request)}$metadata", "value": value}


@endpoint("dataverse")
def dispatch(request: Request, backend: Backend) -> Any:
    if request.path_params["segment"].rstrip("/") == "$batch" and request.method == "POST":
        crm = backend.world.crm_of(backend.user_of(request.headers.get("authorization")))
        with backend.one_answer():
            return batch.run(request, request.state.raw, crm, lambda part: answer(part, backend), PREFIX)
    return answer(request, backend)


def answer(request: Request, backend: Backend) -> Any:
    """A request to the Web API (also each of a ``$batch``'s)."""
    user = backend.user_of(request.headers.get("authorization"))
    segment = request.path_params["segment"].rstrip("/")
    if segment == "$batch":
        raise ApiError("bad-payload", "$batch: POST it (a batch cannot hold another batch)")
    if segment == "$metadata" and request.method == "GET":
        return Response(metadata.csdl(), media_type="application/xml")
    if segment.startswith("EntityDefinitions"):
        if request.method != "GET":
            raise ApiError("bad-payload", "EntityDefinitions: the tables here are read-only (GET)")
        return 200, metadata.answer(segment, dict(request.query_params), _base(request))
    match = _SEGMENT.match(segment)
    if match is None:
        raise ApiError(
            "no-segment", f"Resource not found for the segment '{request.path_params['segment']}'."
        )
    name, key, action = match[1], match[2], match[3]
    method = request.method
    if action and name not in ENTITY_SETS:
        raise ApiError("no-segment", f"{action} is not bound to {name}; it is to {', '.join(ENTITY_SETS)}")
    if name == "BulkDelete" and method == "POST":
        return _bulk_delete(request, backend, user)
    if name in ("WhoAmI",) and method == "GET":
        return _who_am_i(request, backend, user)
    if name == "systemusers" and method == "GET":
        return _listing(request, "systemusers", "systemuserid", _users(backend, user), key, USER_COLUMNS)
    if name == "organizations":
        return _organization(request, backend, user, key)
    if name == "mailboxes":
        return _mailboxes(request, backend, user, key)
    if name == "activitymimeattachments":
        return _attachments(request, backend, user, key)
    entity = ENTITY_SETS.get(name)
    if entity is None:
        raise ApiError("no-segment", f"Resource not found for the segment '{name}'.")
    records = Records(backend, user, entity, name)
    record_id = records.key_of(key) if key else None
    if method == "GET":
        return records.read(request, record_id) if record_id else records.listing(request)
    if action:
        if method != "POST" or key:
            raise ApiError(
                "bad-payload", f"{action} is an action of the {name} collection: POST {name}/{action}"
            )
        return records.bulk(request, action)
    if method == "POST" and not key:
        return records.create(request)
    if method == "PATCH" and record_id:
        return records.update(request, record_id)
    if method == "DELETE" and record_id:
        return records.delete(request, record_id)
    raise ApiError("bad-payload", f"{method} is not supported on {name}{'(id)' if key else ''}")


def _bulk_delete(request: Request, backend: Backend, user: User) -> tuple[int, Any]:
    """``BulkDelete`` of records named by their primary ids, the query Microsoft's SDK sends for
    ``records.delete(table, [ids])``: each record deleted at once (Dataverse runs a system job
    later), through the network one by one; an id that names nothing is passed over, as a query
    that matches nothing deletes nothing. Other queries are refused, saying what is served."""
    query_set = body_of(request).get("QuerySet")
    if not isinstance(query_set, list) or not query_set:
        raise ApiError("bad-payload", "BulkDelete: QuerySet must be a non-empty list of QueryExpression")
    targets = [_bulk_delete_targets(query) for query in query_set]
    crm = backend.world.crm_of(user)
    with backend.one_answer():
        for entity, ids in targets:
            for record_id in ids:
                if crm.peek(entity, record_id) is not None:
                    backend.write(user, functools.partial(crm.delete, entity, record_id))
    context = f"{_base(request)}$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse"
    return 200, {"@odata.context": context, "JobId": str(uuid.uuid4())}


def _bulk_delete_targets(query: Any) -> tuple[str, list[str]]:
    """(entity, ids) of a QueryExpression whose criteria are "primary id In (...)" or "Equal"."""
    served = (
        "BulkDelete here takes a QueryExpression on a record table whose one condition is its "
        "primary id In (ids)"
    )
    entity = query.get("EntityName") if isinstance(query, dict) else None
    if entity not in ENTITY_SETS.values():
        raise ApiError("bad-payload", f"BulkDelete: EntityName {entity!r}: {served}")
    criteria = query.get("Criteria") or {}
    conditions = criteria.get("Conditions") if isinstance(criteria, dict) else None
    key = primary_key(str(entity))
    if (
        not isinstance(conditions, list)
        or len(conditions) != 1
        or not isinstance(conditions[0], dict)
        or conditions[0].get("AttributeName") != key
        or conditions[0].get("Operator") not in ("In", "Equal")
        or not isinstance(conditions[0].get("Values"), list)
    ):
        raise ApiError("bad-payload", f"BulkDelete: {served}")
    values = conditions[0]["Values"]
    return str(entity), [_id(str(v.get("Value") if isinstance(v, dict) else v)) for v in values]


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{PREFIX}/"


def _id(key: str) -> str:
    text = key.strip().strip("'").lower()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ApiError("bad-query", f"{key!r} is not a valid Guid") from None


def etag(record: dict[str, Any]) -> str:
    return f'W/"{record.get("versionnumber", 0)}"'


def shape(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the Web API writes it."""
    out: dict[str, Any] = {"@odata.etag": etag(record)}
    for name, value in record.items():
        out[f"_{name}_value" if name in LOOKUPS else name] = value
    return out


def fields_of(entity: str) -> frozenset[str]:
    """The names a query may use on an entity set."""
    return frozenset(f"_{n}_value" if n in LOOKUPS else n for n in ATTRIBUTES[entity])


class Records:
    """One entity set of the caller's organization."""

    def __init__(self, backend: Backend, user: User, entity: str, name: str) -> None:
        self.backend, self.user, self.entity, self.name = backend, user, entity, name
        self.crm: CrmStore = backend.world.crm_of(user)
        self.key = primary_key(entity)

    def listing(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        params = dict(request.query_params)
        prefer = request.headers.get("prefer", "")
        query = odata.parse(params, fields_of(self.entity))
        if "$deltatoken" in params:
            return self._changes(request, params, query)
        tracked = odata.prefers(prefer, "odata.track-changes") or "track" in query.token
        if tracked:
            for option in ("$filter", "$orderby", "$top", "$expand"):
                if option in params:
                    raise ApiError(
                        "bad-query",
                        f'The "{option}" query parameter isn\'t supported when Change Tracking is enabled.',
                    )
        since = int(query.token.get("track", self.crm.changes.seq))
        live = [self.crm.peek(self.entity, record_id) or {} for record_id in self.crm.ids(self.entity)]
        shaped = query.filter is not None or bool(query.orderby)  # else only the page is shaped
        found = odata.apply(query, [shape(r) for r in live] if shaped else live)
        size = odata.page_size(
            prefer, default=odata.DATAVERSE_PAGE, most=odata.DATAVERSE_PAGE, limit=self.backend.page_limit
        )
        page = odata.page(query, found, size)
        body: dict[str, Any] = {"@odata.context": self._context(request, query)}
        if query.count:
            body["@odata.count"] = len(found)
        rows = page.records if shaped else [shape(r) for r in page.records]
        body["value"] = [odata.selected(r, query, (self.key,)) for r in rows]
        headers = {"Preference-Applied": "odata.track-changes"} if tracked else {}
        url = f"{_base(request)}{self.name}"
        if page.next_skip is not None:
            carried = {"track": since} if tracked else {}
            body["@odata.nextLink"] = odata.next_link(url, params, page.next_skip, **carried)
        elif tracked:
            body["@odata.deltaLink"] = self._delta_link(url, params, since)
        return 200, body, headers

    def _changes(
        self, request: Request, params: dict[str, str], query: odata.Query
    ) -> tuple[int, Any, dict[str, str]]:
        token = params["$deltatoken"]
        if not token.isdigit():
            raise ApiError("bad-query", f"$deltatoken {token!r} is not one this server gave")
        value: list[dict[str, Any]] = []
        for entity, record_id in self.crm.changed_since(int(token)):
            if entity != self.entity:
                continue
            record = self.crm.peek(entity, record_id)
            if record is None:
                context = f"{_base(request)}$metadata#{self.name}/$deletedEntity"
                value.append({"@odata.context": context, "id": record_id, "reason": "deleted"})
            else:
                value.append(odata.selected(shape(record), query, (self.key,)))
        url = f"{_base(request)}{self.name}"
        body = {
            "@odata.context": f"{_base(request)}$metadata#{self.name}/$delta",
            "@odata.deltaLink": self._delta_link(url, params, self.crm.changes.seq),
            "value": value,
        }
        return 200, body, {}

    @staticmethod
    def _delta_link(url: str, params: dict[str, str], seq: int) -> str:
        kept = {k: v for k, v in params.items() if k in ("$select",)}
        select = f"$select={kept['$select']}&" if kept else ""
        return f"{url}?{select}$deltatoken={seq}"

    def _context(self, request: Request, query: odata.Query) -> str:
        columns = f"({','.join(query.select)})" if query.select else ""
        return f"{_base(request)}$metadata#{self.name}{columns}"

    def read(self, request: Request, record_id: str) -> Any:
        query = odata.parse(dict(request.query_params), fields_of(self.entity))
        record = self._record(record_id)
        if request.headers.get("if-none-match") == etag(record):  # a conditional retrieval
            return 304, None, {"ETag": etag(record)}
        body = {"@odata.context": f"{self._context(request, query)}/$entity"}
        body.update(odata.selected(shape(record), query, (self.key,)))
        return 200, body

    def create(self, request: Request) -> Any:
        return self._written(request, self.create_one(body_of(request)), 201)

    def create_one(self, body: dict[str, Any]) -> str:
        """Create the record a body describes (its id, if it names one); its id."""
        fields, owner = self._fields(body)
        chosen = fields.pop(self.key, None)
        if chosen is not None and self.crm.peek(self.entity, chosen) is not None:
            raise ApiError("duplicate", f"A record with matching key values already exists ({chosen}).")
        record_id: str = self.backend.write(
            self.user,
            lambda: self.crm.create(self.entity, fields, owner=owner or self.user, record_id=chosen),
        )
        return record_id

    def update(self, request: Request, record_id: str) -> Any:
        headers = request.headers
        status = self.update_one(
            record_id, body_of(request), headers.get("if-match"), headers.get("if-none-match")
        )
        return self._written(request, record_id, status)

    def update_one(
        self, record_id: str, body: dict[str, Any], match: str | None = None, none_match: str | None = None
    ) -> int:
        """Update the record, or create it with this id (an upsert; ``If-Match: *`` forbids that,
        ``If-None-Match: *`` forbids the update): 201 when it was created, 200 when updated."""
        fields, owner = self._fields(body)
        fields.pop(self.key, None)
        if owner:
            fields["ownerid"] = owner
        record = self.crm.peek(self.entity, record_id)
        if record is None:
            if match == "*":  # update only: no upsert
                raise _missing(self.entity, record_id)
            self.backend.write(
                self.user,
                lambda: self.crm.create(self.entity, fields, owner=owner or self.user, record_id=record_id),
            )
            return 201
        if none_match == "*":  # an upsert that may create, never update
            raise ApiError("exists", "A record with matching key values already exists.")
        if match not in (None, "*") and match != etag(record):
            raise ApiError(
                "stale", "The version of the existing record doesn't match the RowVersion property provided."
            )
        self.backend.write(self.user, lambda: self.crm.update(self.entity, record_id, fields))
        return 200

    def bulk(self, request: Request, action: str) -> Any:
        """``CreateMultiple``, ``UpdateMultiple`` and ``UpsertMultiple`` on this entity set: every
        target is written, or none is (one failure undoes the others, as for a standard table)."""
        targets = self._targets(body_of(request), action)
        context = f"{_base(request)}$metadata#Microsoft.Dynamics.CRM.{action}Response"
        with self.backend.one_answer(), self.crm.transaction():
            if action == "CreateMultiple":
                return 200, {"@odata.context": context, "Ids": [self.create_one(t) for t in targets]}
            if action == "UpdateMultiple":
                for target in targets:
                    self.update_one(self._target_id(target, action), target, match="*")
                return 204, None
            results = []
            for target in targets:
                record_id = self._target_id(target, action)
                created = self.update_one(record_id, target) == 201
                reference = {"@odata.type": f"#Microsoft.Dynamics.CRM.{self.entity}", self.key: record_id}
                results.append({"RecordCreated": created, "Target": reference})
            return 200, {"@odata.context": context, "Results": results}

    def _targets(self, body: dict[str, Any], action: str) -> list[dict[str, Any]]:
        targets = body.get("Targets")
        if not isinstance(targets, list) or not targets or not all(isinstance(t, dict) for t in targets):
            raise ApiError(
                "bad-payload", f"{action}: Targets must be a non-empty list of {self.entity} records"
            )
        for target in targets:
            kind = str(target.get("@odata.type", self.entity)).lstrip("#").rpartition(".")[2]
            if kind != self.entity:
                raise ApiError(
                    "bad-payload",
                    f"{action} on {self.name}: every target must be a {self.entity}, not a {kind} "
                    "(one table per request)",
                )
        return targets

    def _target_id(self, target: dict[str, Any], action: str) -> str:
        """The id a target names: its primary key, or an ``@odata.id`` of this set by that key."""
        named = target.get(self.key)
        reference = target.get("@odata.id")
        if named is None and isinstance(reference, str):
            match = re.fullmatch(rf"(?:.*/)?{self.name}\((.*)\)", reference)
            if match is None:
                raise ApiError(
                    "bad-payload", f"{action}: @odata.id {reference!r} is not a record of {self.name}"
                )
            return self.key_of(match[1])
        if not isinstance(named, str):
            raise ApiError("bad-payload", f"{action}: every target needs its {self.key}")
        return _id(named)

    def key_of(self, key: str) -> str:
        """The id a key segment names: ``(id)`` or ``(contactid=id)``; no alternate key is defined
        on these tables, so a key of other columns names nothing."""
        name, equals, value = key.partition("=")
        if equals and name.strip() != self.key:
            raise ApiError(
                "bad-payload",
                f"The key ({key}) is not an alternate key of {self.entity}: no alternate keys are defined "
                f"here; name a record by its {self.key}",
            )
        return _id(value if equals else key)

    def delete(self, request: Request, record_id: str) -> tuple[int, None]:
        record = self._record(record_id)
        match = request.headers.get("if-match")
        if match not in (None, "*") and match != etag(record):
            raise ApiError(
                "stale", "The version of the existing record doesn't match the RowVersion property provided."
            )
        self.backend.write(self.user, lambda: self.crm.delete(self.entity, record_id))
        return 204, None

    def _written(self, request: Request, record_id: str, status: int) -> Any:
        url = f"{_base(request)}{self.name}({record_id})"
        headers = {"OData-EntityId": url}
        if "return=representation" in request.headers.get("prefer", ""):
            record = self._record(record_id)
            headers["ETag"] = etag(record)
            body = {"@odata.context": f"{_base(request)}$metadata#{self.name}/$entity", **shape(record)}
            return status, body, headers
        return 204, None, headers

    def _record(self, record_id: str) -> dict[str, Any]:
        record = self.crm.peek(self.entity, record_id)
        if record is None:
            raise _missing(self.entity, record_id)
        return record

    def _fields(self, body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The attributes of a request body (typed by the schema) and an owner it binds."""
        fields: dict[str, Any] = {}
        owner = None
        for name, value in body.items():
            if name.endswith("@odata.bind"):
                owner = self._bound(name.partition("@")[0], value)
            elif name.startswith("@") or "@" in name:
                continue
            elif name in LOOKUPS:
                raise ApiError(
                    "bad-payload",
                    f"{name} is a lookup: it is set with {name}@odata.bind to /systemusers(id), "
                    "never as a plain value",
                )
            elif name not in ATTRIBUTES[self.entity] or name in READ_ONLY:
                raise ApiError(
                    "bad-payload",
                    f"The property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{self.entity}' or "
                    "cannot be written. Make sure to only use property names that are defined by the type.",
                )
            else:
                fields[name] = json_value(self.entity, name, value)
        return fields, owner

    def _bound(self, name: str, value: Any) -> str:
        """The systemuserid an ``ownerid@odata.bind`` names: a user of the caller's organization
        (one of another organization does not exist here, as in Dataverse)."""
        match = _BIND.match(str(value))
        if name != "ownerid" or match is None or match[1] != "systemusers":
            raise ApiError(
                "bad-payload", f"{name}@odata.bind: only ownerid@odata.bind to /systemusers(id) is supported"
            )
        user = self.backend.world.user_by_id(match[2].lower())
        if user is None or user.organization != self.user.organization:
            raise _missing("systemuser", match[2])
        return user.systemuserid


#: the moments Dataverse keeps: from its earliest, 1753-01-01, to the end of 9999 (in UTC)
EARLIEST = datetime(1753, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
#: each value type's name in the OData model (what Dataverse's error messages call it)
EDM_TYPES = {str: "Edm.String", int: "Edm.Int32", bool: "Edm.Boolean", datetime: "Edm.DateTimeOffset"}
INT32 = range(-(2**31), 2**31)


def json_value(entity: str, name: str, raw: Any) -> Any:
    """A JSON value as the attribute holds it, checked as Dataverse's reader checks it: of the
    attribute's own JSON type (no number or boolean read as text, no text as a number), a whole
    number within Int32 and, for an option set, one of its values; a moment as ISO 8601 text
    within what Dataverse keeps, read as UTC when it gives no offset (Dataverse keeps UTC)."""
    if raw is None:
        return None
    kind = schema.FIELD_TYPES[name]
    if schema.is_moment(kind):
        return _moment(name, raw)
    if type(raw) is not kind or (kind is int and raw not in INT32):
        raise _unconverted(name, raw, EDM_TYPES.get(kind, kind.__name__))
    allowed = schema.OPTION_VALUES.get(entity, {}).get(name)
    if allowed is not None and raw not in allowed:
        raise ApiError(
            "property",
            f"{name}: {raw} is not a value of the option set on {entity}; "
            f"its values: {', '.join(map(str, sorted(allowed)))}",
        )
    return raw


def _unconverted(name: str, raw: Any, edm: str) -> ApiError:
    message = f"Cannot convert the literal '{raw}' to the expected type '{edm}' ({name})."
    return ApiError("bad-payload", message)


def _moment(name: str, raw: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise _unconverted(name, raw, EDM_TYPES[datetime])
    try:
        in_utc = moment.replace(tzinfo=UTC) if schema.naive(moment) else moment.astimezone(UTC)
    except OverflowError:  # (an offset that takes it past year 1 or 9999)
        in_utc = None
    if in_utc is None or not EARLIEST <= in_utc <= LATEST:
        raise ApiError(
            "property", f"{name}: {raw} is outside what Dataverse keeps, 1753-01-01 to 9999-12-31 (UTC)"
        )
    return in_utc


def _missing(entity: str, record_id: str) -> ApiError:
    return ApiError("not-found", f"{entity} With Id = {record_id} Does Not Exist")


# -- the rest: WhoAmI, users, the organization, attachments -------------------------------------


def _organization_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"syncsim:organization:{name}"))


def _who_am_i(request: Request, backend: Backend, user: User) -> tuple[int, Any]:
    organization = _organization_id(user.organization)
    return 200, {
        "@odata.context": f"{_base(request)}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
        "BusinessUnitId": organization,
        "UserId": user.systemuserid,
        "OrganizationId": organization,
    }


def _users(backend: Backend, user: User) -> list[dict[str, Any]]:
    return [
        {
            "systemuserid": u.systemuserid,
            "fullname": u.name,
            "internalemailaddress": u.email,
            "isdisabled": False,
        }
        for u in backend.world.users
        if u.organization == user.organization and u.kind == "systemuser"
    ]


def _listing(
    request: Request,
    name: str,
    key: str,
    rows: list[dict[str, Any]],
    one: str | None,
    fields: tuple[str, ...],
) -> Any:
    query = odata.parse(dict(request.query_params), fields)
    if one:
        found = [row for row in rows if row[key] == _id(one)]
        if not found:
            raise _missing(name.rstrip("s"), one)
        return 200, {
            "@odata.context": f"{_base(request)}$metadata#{name}/$entity",
            **odata.selected(found[0], query),
        }
    value = [odata.selected(row, query, (key,)) for row in odata.apply(query, rows)]
    return 200, {"@odata.context": f"{_base(request)}$metadata#{name}", "value": value}


def _organization(request: Request, backend: Backend, user: User, key: str | None) -> Any:
    org = backend.world.organization(user.organization)
    if request.method == "PATCH" and key:
        backend.admin_only(user)
        changes = {}
        for column, value in body_of(request).items():
            if column not in ORGANIZATION_COLUMNS:
                allowed = ", ".join(ORGANIZATION_COLUMNS)
                raise ApiError(
                    "bad-payload", f"organizations: {column!r} cannot be changed here; these can: {allowed}"
                )
            changes[ORGANIZATION_COLUMNS[column]] = _setting_value(column, value)
        backend.write(user, lambda: backend.world.configure(by=user, **changes))
        return 204, None
    if request.method != "GET":
        raise ApiError("bad-payload", f"{request.method} is not supported on organizations")
    options = org.settings.options()
    row: dict[str, Any] = {"organizationid": _organization_id(org.name), "name": org.name}
    for column, name in ORGANIZATION_COLUMNS.items():
        value = getattr(options, name)
        if name == settings.CONTACT_ADDRESS_SYNC:
            value = value == settings.MAILING_ONLY
        elif name == settings.ATTACHMENT_MAX_KB:
            value = value * 1024
        row[column] = value
    return _listing(request, "organizations", "organizationid", [row], key, tuple(row))


def _mailboxes(request: Request, backend: Backend, user: User, key: str | None) -> Any:
    """Dataverse's mailbox table: an administrator reads every mailbox of the organization and
    changes what the mailbox form lets one change (Approve Email, the ACT method, Test & Enable
    by ``testemailconfigurationscheduled: true``); anyone else reads their own row only."""
    world = backend.world
    seen = [u for u in world.users if u.organization == user.organization and (user.is_admin or u is user)]
    rows = {world.mailbox_row(u)["mailboxid"]: (u, world.mailbox_row(u)) for u in seen}
    if request.method == "PATCH" and key:
        if not user.is_admin:
            raise ApiError(
                "privilege",
                f"{user.name} lacks the System Administrator role: only an administrator manages mailboxes",
            )
        owner, _ = rows.get(_id(key)) or (None, None)
        if owner is None:
            raise _missing("mailbox", key)
        changes = body_of(request)
        try:
            backend.write(user, lambda: world.change_mailbox(owner, by=user, **changes))
        except ValueError as bad:
            raise ApiError("bad-payload", str(bad)) from None
        return 204, None
    if request.method != "GET":
        raise ApiError("method", f"{request.method} is not supported on mailboxes")
    listed = [row for _, row in rows.values()]
    return _listing(request, "mailboxes", "mailboxid", listed, key, mailboxes.COLUMNS)


def _setting_value(column: str, value: Any) -> Any:
    """An organization column's value as the setting holds it."""
    name = ORGANIZATION_COLUMNS[column]
    if name == settings.CONTACT_ADDRESS_SYNC:
        if not isinstance(value, bool):
            raise ApiError("bad-payload", f"{column}: {value!r} is not true or false")
        return settings.MAILING_ONLY if value else settings.ALL_THREE
    if name == settings.ATTACHMENT_MAX_KB:
        if not isinstance(value, int) or value % 1024:
            raise ApiError("bad-payload", f"{column}: {value!r} is not a whole number of kilobytes, in bytes")
        return value // 1024
    return value


def _attachments(request: Request, backend: Backend, user: User, key: str | None) -> Any:
    crm = backend.world.crm_of(user)
    rows = [
        {
            "activitymimeattachmentid": row["activitymimeattachmentid"],
            "_objectid_value": row["objectid"],
            "objecttypecode": crm.entity_of(row["objectid"]),
            "filename": row["filename"],
            "filesize": row["filesize"],
            "mimetype": row["mimetype"],
            "body": base64.b64encode(row["body"]).decode(),
        }
        for entity in schema.APPOINTMENT_ENTITIES
        for activity in crm.ids(entity)
        for row in crm.attachments(activity)
    ]
    if request.method == "GET":
        return _listing(
            request, "activitymimeattachments", "activitymimeattachmentid", rows, key, FILE_COLUMNS
        )
    if request.method == "DELETE" and key:
        found = [row for row in rows if row["activitymimeattachmentid"] == _id(key)]
        if not found:
            raise _missing("activitymimeattachment", key)
        target = found[0]
        backend.write(user, lambda: crm.detach(target["_objectid_value"], target["filename"]))
        return 204, None
    if request.method == "POST" and not key:
        return _attach(request, backend, user, crm)
    raise ApiError("bad-payload", f"{request.method} is not supported on activitymimeattachments")


def _attach(request: Request, backend: Backend, user: User, crm: CrmStore) -> Any:
    body = body_of(request)
    binds = [(k, v) for k, v in body.items() if k.startswith("objectid_") and k.endswith("@odata.bind")]
    match = _BIND.match(str(binds[0][1])) if binds else None
    if match is None:
        raise ApiError(
            "bad-payload", "objectid_appointment@odata.bind: /appointments(id) names the appointment"
        )
    activity = match[2].lower()
    crm.entity_of(activity)  # NotFound when it is not there
    try:
        content = base64.b64decode(str(body.get("body", "")), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("bad-payload", "body: the file's bytes must be base64") from None
    filename = str(body.get("filename") or "")
    if not filename:
        raise ApiError("bad-payload", "filename: a name is required")
    mimetype = str(body.get("mimetype") or "")
    row_id = backend.write(user, lambda: crm.attach(activity, filename, content, mimetype))
    url = f"{_base(request)}activitymimeattachments({row_id})"
    return 204, None, {"OData-EntityId": url}
