"""The fake Dynamics CRM store: records keyed by their logical attribute names.

Every record carries its primary id (``contactid``; ``activityid`` for activities), ``ownerid``
(the owner's ``systemuserid``), ``createdon``/``modifiedon`` from the simulated clock and
``versionnumber`` (Dynamics' row version) from the store's change log.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .. import schema, speed
from ..errors import NotFound
from .changes import ChangeLog
from .runs import plainly_typed

#: The attributes each entity accepts, from the schema catalogue.
ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {name: frozenset(entity.attributes) for name, entity in schema.ENTITIES.items()}
)


def primary_key(entity: str) -> str:
    return schema.entity(entity).primary_key


class CrmStore:
    """One CRM organization's records, with a change log the engine reads incrementally."""

    def __init__(self, *, now: Callable[[], datetime], new_id: Callable[[], str]) -> None:
        self._now = now
        self._new_id = new_id
        self._records: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in ATTRIBUTES}
        self._entity_of: dict[str, str] = {}
        self._attachments: dict[str, dict[str, dict[str, Any]]] = {}
        self.changes = ChangeLog()
        #: by owner (systemuserid), the changes of the records they own or owned until the change:
        #: a user's cycle reads its own, not the whole organization's (numbered as ``changes``)
        self._by_owner: dict[str, ChangeLog] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes that all happen or none do (Dataverse's change sets and bulk actions): if the
        block raises, the store is put back as it was, its change logs too (in place: whoever holds
        the store's tables or logs sees them restored)."""
        saved = copy.deepcopy({name: value for name, value in vars(self).items() if not callable(value)})
        try:
            yield
        except BaseException:
            for name, value in saved.items():
                kept = getattr(self, name)
                if isinstance(kept, dict):
                    kept.clear()
                    kept.update(value)
                elif hasattr(kept, "__dict__"):
                    vars(kept).clear()
                    vars(kept).update(vars(value))
                else:
                    setattr(self, name, value)
            raise

    # -- records -------------------------------------------------------------------------------

    def create(
        self,
        entity: str,
        fields: dict[str, Any],
        *,
        owner: Any,
        record_id: str | None = None,
        created_by: Any = None,
    ) -> str:
        """Create a record owned by ``owner`` (a user, or a ``systemuserid``); returns its id.

        Like Dynamics, the caller may choose the id; a sync engine does, so that a create whose
        response was lost can be recognised instead of repeated. ``createdby`` is ``created_by``
        (default: the owner), as when one user assigns a task to another.
        """
        made = self.create_run(entity, [fields], owner=owner, record_ids=[record_id], created_by=created_by)
        return made[0]

    def create_run(
        self,
        entity: str,
        runs: list[dict[str, Any]],
        *,
        owner: Any,
        record_ids: Sequence[str | None] | None = None,
        created_by: Any = None,
    ) -> list[str]:
        """Create records of one entity owned by ``owner`` (as :meth:`create`), in one pass (a
        population of a million); returns their ids. ``record_ids``: the id each record is given
        (None: a new one). Nothing is written if any record is refused."""
        self._check_run(entity, runs, [record_id for record_id in record_ids or () if record_id is not None])
        key, owner_id, now, new_id = primary_key(entity), _owner_id(owner), self._now(), self._new_id
        creator = owner_id if created_by is None else _owner_id(created_by)
        composed = entity == "contact"
        made = []
        for n, fields in enumerate(runs):
            # as create's update: a key of ``fields`` keeps its place, the value given here wins
            record = {
                key: (record_ids[n] if record_ids else None) or new_id(),
                "statecode": 0,
                **fields,
                "ownerid": owner_id,
                "createdby": creator,
                "createdon": now,
                "modifiedon": now,
            }
            if composed and ("firstname" in record or "lastname" in record):
                record["fullname"] = _full_name(record)
            made.append(record)
        keys = [(entity, record[key]) for record in made]
        seqs = self.changes.record_run(keys)
        records, entity_of = self._records[entity], self._entity_of
        for record, seq in zip(made, seqs, strict=True):
            record["versionnumber"] = seq
            records[record[key]] = record
            entity_of[record[key]] = entity
        self._owned(owner_id).note_run(seqs, keys)
        return [record[key] for record in made]

    def _check_run(self, entity: str, runs: list[dict[str, Any]], chosen: list[str]) -> None:
        """The values against the schema (as :func:`_check`), and chosen ids new, each once."""
        if not speed.on() or not plainly_typed(schema.entity(entity).attributes, runs):
            for fields in runs:
                _check(entity, fields)
        taken = [record_id for record_id in chosen if record_id in self._entity_of]
        if taken or len(set(chosen)) < len(chosen):
            twice = taken or [record_id for record_id, times in Counter(chosen).items() if times > 1]
            raise ValueError(f"a CRM record with id {twice[0]!r} exists already")

    def get(self, entity: str, record_id: str) -> dict[str, Any]:
        """A copy of the record."""
        return dict(self._find(entity, record_id))

    def update(self, entity: str, record_id: str, fields: dict[str, Any]) -> None:
        _check(entity, fields)
        record = self._find(entity, record_id)
        previous = record.get("ownerid")
        record.update(fields)
        record["modifiedon"] = self._now()
        self._touch(entity, record, previous)

    def delete(self, entity: str, record_id: str) -> None:
        record = self._find(entity, record_id)
        del self._records[entity][record_id]
        del self._entity_of[record_id]
        self._attachments.pop(record_id, None)
        self._owned(record.get("ownerid")).note(self.changes.record((entity, record_id)), (entity, record_id))

    def query(self, entity: str, **equals: Any) -> list[dict[str, Any]]:
        """Copies of the records whose attributes equal the given values (an Advanced Find)."""
        _check(entity, {})
        unknown = sorted(set(equals) - ATTRIBUTES[entity])
        if unknown:
            raise ValueError(f"{entity} has no attribute {', '.join(map(repr, unknown))}")
        return [
            dict(record)
            for record in self._records[entity].values()
            if all(record.get(name) == value for name, value in equals.items())
        ]

    def count(self, entity: str) -> int:
        return len(self._records[_known(entity)])

    def peek(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """The live record, or None if it is gone: for the engine, which only reads it."""
        return self._records[entity].get(record_id)

    def records(self, entity: str) -> Mapping[str, dict[str, Any]]:
        """The live records of an entity by id (:meth:`peek` for many): for the engine, which
        only reads them."""
        return self._records[entity]

    def find(self, record_id: str) -> tuple[str, dict[str, Any]] | None:
        """(entity, live record) of any record with this id, or None: for the engine."""
        entity = self._entity_of.get(record_id)
        return None if entity is None else (entity, self._records[entity][record_id])

    def entity_of(self, record_id: str) -> str:
        try:
            return self._entity_of[record_id]
        except KeyError:
            raise NotFound(f"no CRM record with id {record_id!r}") from None

    def ids(self, entity: str) -> list[str]:
        """Every record id of an entity, in the order they were made (a full scan: rare work)."""
        return list(self._records[_known(entity)])

    def changed_since(self, watermark: int, *, owner: str | None = None) -> Iterator[tuple[str, str]]:
        """(entity, id) of every record created, changed or deleted after ``watermark``; with
        ``owner`` (a systemuserid), of those that user owned at the change or just before it."""
        log = self.changes if owner is None else self._by_owner.get(owner)
        return iter(()) if log is None else log.since(watermark)  # type: ignore[return-value]

    # -- attachments (activitymimeattachment) ----------------------------------------------------

    def attach(self, activity_id: str, filename: str, body: bytes, mimetype: str = "") -> str:
        """Attach a file to an appointment; returns the activitymimeattachmentid."""
        entity = self.entity_of(activity_id)
        if entity not in schema.APPOINTMENT_ENTITIES:
            raise ValueError(
                f"attachments go on appointments ({', '.join(schema.APPOINTMENT_ENTITIES)}), "
                f"not on a {entity}"
            )
        record = self._find(entity, activity_id)
        row_id = self._new_id()
        rows = self._attachments.setdefault(activity_id, {})
        rows[filename] = {
            "activitymimeattachmentid": row_id,
            "objectid": activity_id,
            "filename": filename,
            "filesize": len(body),
            "mimetype": mimetype or "application/octet-stream",
            "body": bytes(body),
        }
        record["modifiedon"] = self._now()
        self._touch(entity, record)
        return row_id

    def detach(self, activity_id: str, filename: str) -> None:
        rows = self._attachments.get(activity_id, {})
        if filename not in rows:
            raise NotFound(f"appointment {activity_id!r} has no attachment {filename!r}")
        del rows[filename]
        entity = self.entity_of(activity_id)
        self._touch(entity, self._find(entity, activity_id))

    def attachments(self, activity_id: str) -> list[dict[str, Any]]:
        """The activitymimeattachment rows of an appointment, by filename."""
        self._find(self.entity_of(activity_id), activity_id)
        return [dict(row) for _, row in sorted(self._attachments.get(activity_id, {}).items())]

    # -- internals -----------------------------------------------------------------------------

    def _find(self, entity: str, record_id: str) -> dict[str, Any]:
        record = self._records[_known(entity)].get(record_id)
        if record is None:
            raise NotFound(f"no {entity} with id {record_id!r}")
        return record

    def _touch(self, entity: str, record: dict[str, Any], previous_owner: Any = None) -> None:
        if entity == "contact" and ("firstname" in record or "lastname" in record):
            record["fullname"] = _full_name(record)
        key = (entity, record[primary_key(entity)])
        seq = record["versionnumber"] = self.changes.record(key)
        owner = record.get("ownerid")
        self._owned(owner).note(seq, key)
        if previous_owner is not None and previous_owner != owner:  # it leaves that user's records
            self._owned(previous_owner).note(seq, key)

    def _owned(self, owner: Any) -> ChangeLog:
        log = self._by_owner.get(owner)
        if log is None:
            log = self._by_owner[owner] = ChangeLog()
        return log


def _full_name(record: Mapping[str, Any]) -> str:
    """Dynamics composes it; a record known by its full name alone keeps that."""
    return " ".join(filter(None, (record.get("firstname"), record.get("lastname"))))


def _known(entity: str) -> str:
    return schema.entity(entity).name


def _check(entity: str, fields: Mapping[str, Any]) -> None:
    """Names and value types against the schema; a ValueError names the bad one and the allowed."""
    declared = schema.entity(entity).attributes
    unknown = [] if fields.keys() <= declared.keys() else sorted(set(fields) - set(declared))
    if unknown:
        raise ValueError(
            f"{entity} has no attribute {', '.join(map(repr, unknown))}; "
            f"its attributes: {', '.join(sorted(declared))}"
        )
    for name, value in fields.items():  # the common case (a value of its type, no moment) costs no call
        if value is not None and (type(value) is not declared[name] or name in schema.MOMENT_NAMES):
            schema.check_value(entity, name, declared[name], value)


def _owner_id(owner: Any) -> str:
    return owner if isinstance(owner, str) else owner.systemuserid
