"""The fake Outlook/Exchange mailbox: items keyed by Outlook object model property names.

Each item has an ``EntryID``, a ``MessageClass`` (IPM.Contact, IPM.Appointment, IPM.Task), a
``LastModificationTime`` from the simulated clock and ``crmLinkState`` (2 = tracked in CRM, 0 = not),
the property CRM for Outlook keeps on the items it tracks. ``MailingAddress*`` of a contact mirrors
the address its ``SelectedMailingAddress`` points to, as Outlook does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import repeat
from types import MappingProxyType
from typing import Any

from .. import mapping, schema, speed
from ..errors import NotFound
from ..schema import CRM_ID
from .changes import ChangeLog
from .runs import plainly_typed

MESSAGE_CLASS: Mapping[str, str] = MappingProxyType(
    {k.name: k.message_class for k in schema.ITEM_KINDS.values()}
)
TRACKED, NOT_TRACKED = 2, 0
#: The properties each item kind accepts, from the schema catalogue.
PROPERTIES: Mapping[str, frozenset[str]] = MappingProxyType(
    {name: frozenset(kind.properties) for name, kind in schema.ITEM_KINDS.items()}
)
_READ_ONLY = schema.OUTLOOK_SYSTEM
MAILING_ADDRESS_CHOICES = ("none", *schema.OUTLOOK_ADDRESSES)
_SELECTABLE = frozenset({None, *MAILING_ADDRESS_CHOICES})


class Mailbox:
    """One user's Outlook/Exchange store."""

    def __init__(
        self,
        owner: Any,
        *,
        now: Callable[[], datetime],
        new_entry_ids: Callable[[int], list[str]],
        on_track: Callable[[], None] | None = None,
    ) -> None:
        self.owner = owner
        #: called whenever the user tracks an item (server-side sync then syncs at once)
        self.on_track = on_track
        self._now = now
        self._new_entry_ids = new_entry_ids
        self._items: dict[str, dict[str, Any]] = {}
        self._files: dict[str, dict[str, bytes]] = {}
        self._versions: dict[str, int] = {}
        self._by_crm_id: dict[str, str] = {}
        #: by CRM id, the items stamped with it after the indexed one (users' copies), in order
        self._later: dict[str, list[str]] = {}
        #: EntryID -> kind of each deleted item, as Exchange keeps tombstones for delta sync
        self._gone: dict[str, str] = {}
        self.changes = ChangeLog()

    def create(self, kind: str, properties: dict[str, Any], *, track: bool = False) -> str:
        """Create an item (``track=True``: Track in CRM) from a copy of ``properties``; returns
        its EntryID."""
        return self.create_taking(kind, [dict(properties)], track=track)[0][0]  # (its EntryIDs, first)

    def create_taking(
        self, kind: str, dicts: Sequence[dict[str, Any]], *, track: bool = False
    ) -> tuple[list[str], list[int]]:
        """Create items of one kind (as :meth:`create`) in one pass (an initial cycle makes
        thousands), each dict of ``dicts`` taken as the item itself: no copy, the caller made it
        for the store and hands it over (and must not change it after). The store's own
        properties are added at its end. Returns the items' EntryIDs and versions, in order;
        nothing is made if any is refused."""
        _check_run(kind, dicts)
        message_class = MESSAGE_CLASS[kind]
        link_state, now = TRACKED if track else NOT_TRACKED, self._now()
        items, by_crm_id = self._items, self._by_crm_id
        entry_ids = self._new_entry_ids(len(dicts))
        for entry_id, item in zip(entry_ids, dicts, strict=True):
            items[entry_id] = item
            item["EntryID"] = entry_id
            item["MessageClass"] = message_class
            item["crmLinkState"] = link_state
            item["Attachments"] = []
            item["LastModificationTime"] = now
        stamps: list[Any] = list(map(dict.get, dicts, repeat(CRM_ID)))
        stamped = zip(stamps, entry_ids, strict=True)  # every item stamped, commonly (the engine's copies)
        if by_crm_id.keys().isdisjoint(stamps):  # the common case: no stamp is there already
            by_crm_id.update(
                stamped if all(stamps) else ((crm_id, entry) for crm_id, entry in stamped if crm_id)
            )
        else:  # a stamp on an item there already (a user's copy): the first item keeps the index
            for crm_id, entry_id in stamped:
                if crm_id:
                    self._index(crm_id, entry_id)
        versions = self.changes.record_run(entry_ids)
        self._versions.update(zip(entry_ids, versions, strict=True))
        if track and dicts and self.on_track:
            self.on_track()
        return entry_ids, versions

    def get(self, entry_id: str) -> dict[str, Any]:
        """A copy of the item, with the mailing address mirrored for contacts."""
        item = self._find(entry_id)
        copy = dict(item)
        copy["Attachments"] = [dict(a) for a in item["Attachments"]]
        if kind_of(item) == "contact":
            selected = mapping.mailing_address(item)
            if item.get("SelectedMailingAddress") not in (None, "none"):
                for field in mapping.address_fields(selected):
                    copy[field.replace(schema.OUTLOOK_ADDRESSES[selected], "Mailing", 1)] = item.get(field)
        return copy

    def update(self, entry_id: str, properties: dict[str, Any]) -> None:
        item = self._find(entry_id)
        _check(kind_of(item), properties)
        before = item.get(CRM_ID)
        if before and CRM_ID in properties and properties[CRM_ID] != before:
            self._unindex(before, entry_id)  # stamped again (a copy given a record of its own)
        item.update(properties)
        self._touch(item)

    def delete(self, entry_id: str) -> None:
        item = self._find(entry_id)
        self._unindex(item.get(CRM_ID) or "", entry_id)
        self._gone[entry_id] = kind_of(item)
        del self._items[entry_id]
        self._files.pop(entry_id, None)
        self._versions.pop(entry_id, None)
        self.changes.record(entry_id)

    def find(self, kind: str, **equals: Any) -> list[dict[str, Any]]:
        """Copies of the items of a kind whose properties equal the given values."""
        schema.item_kind(kind)
        unknown = sorted(set(equals) - PROPERTIES[kind] - set(_READ_ONLY))
        if unknown:
            raise ValueError(f"an Outlook {kind} has no property {', '.join(map(repr, unknown))}")
        return [
            self.get(entry_id)
            for entry_id, item in self._items.items()
            if kind_of(item) == kind and all(item.get(k) == v for k, v in equals.items())
        ]

    def count(self, kind: str) -> int:
        return sum(1 for item in self._items.values() if kind_of(item) == kind)

    def track(self, entry_id: str) -> None:
        self._set_link_state(entry_id, TRACKED)
        if self.on_track:
            self.on_track()

    def untrack(self, entry_id: str) -> None:
        self._set_link_state(entry_id, NOT_TRACKED)

    def is_tracked(self, entry_id: str) -> bool:
        return bool(self._find(entry_id)["crmLinkState"] == TRACKED)

    def assign(self, entry_id: str, *, to: list[str]) -> None:
        """Assign a task to one or more email addresses (Outlook sends them a task request)."""
        item = self._find(entry_id)
        if kind_of(item) != "task":
            raise ValueError(f"only tasks can be assigned; {entry_id!r} is a {kind_of(item)}")
        recipients = [to] if isinstance(to, str) else list(to)
        if not recipients:
            raise ValueError("assign a task to at least one email address")
        # a task received from someone stays "own" when passed on: Outlook calls that reassigning
        ownership = "own" if item.get("Ownership") == "own" else "delegated"
        item.update(
            Recipients=recipients, Delegator=self.owner.email, Owner=recipients[0], Ownership=ownership
        )
        self._touch(item)

    def decline(self, entry_id: str) -> None:
        """Decline a task someone assigned to this mailbox's user."""
        item = self._find(entry_id)
        if kind_of(item) != "task" or item.get("Ownership") != "own":
            raise ValueError(
                f"only a task assigned to {self.owner.name} can be declined; {entry_id!r} is not one"
            )
        item["ResponseState"] = "declined"
        self._touch(item)

    # -- attachments ---------------------------------------------------------------------------

    def attach(self, entry_id: str, filename: str, content: bytes) -> None:
        item = self._find(entry_id)
        if kind_of(item) != "appointment":
            raise ValueError(f"attachments go on appointments; {entry_id!r} is a {kind_of(item)}")
        files = self._files.setdefault(entry_id, {})
        files[filename] = bytes(content)
        item["Attachments"] = [{"FileName": n, "Size": len(b)} for n, b in sorted(files.items())]
        self._touch(item)

    def detach(self, entry_id: str, filename: str) -> None:
        item = self._find(entry_id)
        files = self._files.get(entry_id, {})
        if filename not in files:
            raise NotFound(f"item {entry_id!r} has no attachment {filename!r}")
        del files[filename]
        item["Attachments"] = [{"FileName": n, "Size": len(b)} for n, b in sorted(files.items())]
        self._touch(item)

    def attachment_content(self, entry_id: str, filename: str) -> bytes:
        self._find(entry_id)
        try:
            return self._files[entry_id][filename]
        except KeyError:
            raise NotFound(f"item {entry_id!r} has no attachment {filename!r}") from None

    def files(self, entry_id: str) -> dict[str, bytes]:
        """Attachment name -> bytes, for the engine."""
        return dict(self._files.get(entry_id, {}))

    # -- for the engine ------------------------------------------------------------------------

    def peek(self, entry_id: str) -> dict[str, Any] | None:
        """The live item, or None if it is gone: for the engine, which only reads it."""
        return self._items.get(entry_id)

    def version(self, entry_id: str) -> int:
        """The change-log sequence number of the item's last change."""
        return self._versions[entry_id]

    def changed_since(self, watermark: int) -> Iterator[str]:
        """EntryIDs of the items created, changed or deleted after ``watermark``."""
        return self.changes.since(watermark)  # type: ignore[return-value]

    def _find(self, entry_id: str) -> dict[str, Any]:
        item = self._items.get(entry_id)
        if item is None:
            raise NotFound(f"no Outlook item with EntryID {entry_id!r} in {self.owner.name}'s mailbox")
        return item

    def _set_link_state(self, entry_id: str, state: int) -> None:
        item = self._find(entry_id)
        item["crmLinkState"] = state
        self._touch(item)

    def kind_of_deleted(self, entry_id: str) -> str | None:
        """The kind of a deleted item (its tombstone), or None if no item of that EntryID was deleted."""
        return self._gone.get(entry_id)

    def entry_ids(self) -> list[str]:
        """Every item's EntryID, in the order the items were made."""
        return list(self._items)

    def find_crm_id(self, crm_id: str) -> str | None:
        """The EntryID of the item stamped with this CRM id, if any."""
        return self._by_crm_id.get(crm_id)

    def stamped(self) -> Mapping[str, str]:
        """Every stamped item's EntryID by its CRM id (:meth:`find_crm_id` for many): for the
        engine, which only reads it."""
        return self._by_crm_id

    def _touch(self, item: dict[str, Any]) -> None:
        if item.get(CRM_ID):
            self._index(item[CRM_ID], item["EntryID"])
        item["LastModificationTime"] = self._now()
        self._versions[item["EntryID"]] = self.changes.record(item["EntryID"])

    def _index(self, crm_id: str, entry_id: str) -> None:
        """Index an item by its stamp: the first item stamped with a record's id is the one
        :meth:`find_crm_id` finds; a later one (a user's copy, with every property of the
        original) waits, and takes the index if the first goes."""
        first = self._by_crm_id.setdefault(crm_id, entry_id)
        if first != entry_id and first in self._items and self._items[first].get(CRM_ID) == crm_id:
            later = self._later.setdefault(crm_id, [])
            if entry_id not in later:
                later.append(entry_id)
        elif first != entry_id:  # the indexed item went or was stamped again: this one is the first
            self._by_crm_id[crm_id] = entry_id

    def _unindex(self, crm_id: str, entry_id: str) -> None:
        later = self._later.get(crm_id)
        if later and entry_id in later:
            later.remove(entry_id)
        elif self._by_crm_id.get(crm_id) == entry_id:
            del self._by_crm_id[crm_id]
            while later:  # the next item stamped with it, if it still is
                nxt = later.pop(0)
                if nxt in self._items and self._items[nxt].get(CRM_ID) == crm_id:
                    self._by_crm_id[crm_id] = nxt
                    break
        if later is not None and not later:
            del self._later[crm_id]


def kind_of(item: Mapping[str, Any]) -> str:
    return schema.KIND_BY_MESSAGE_CLASS[item["MessageClass"]]


def _check_run(kind: str, runs: Sequence[dict[str, Any]]) -> None:
    """:func:`_check` for many items of one kind; with the fast paths on, at once (anything
    unusual: item by item)."""
    if speed.on():
        usual = plainly_typed(schema.item_kind(kind).properties, runs)
        selected = set(map(dict.get, runs, repeat("SelectedMailingAddress")))
        recurring = any(map(dict.get, runs, repeat("RecurrencePattern")))
        if usual and selected <= _SELECTABLE and not recurring:
            return
    for properties in runs:
        _check(kind, properties)


def _check(kind: str, properties: Mapping[str, Any]) -> None:
    """Names and value types against the schema; a ValueError names the bad one and the allowed."""
    declared = schema.item_kind(kind).properties
    unknown = [] if properties.keys() <= PROPERTIES[kind] else sorted(set(properties) - set(declared))
    if unknown:
        raise ValueError(
            f"an Outlook {kind} has no property {', '.join(map(repr, unknown))}; "
            f"its properties: {', '.join(sorted(declared))}"
        )
    for name, value in properties.items():  # the common case (a value of its type, no moment) costs no call
        if value is not None and (type(value) is not declared[name] or name in schema.MOMENT_NAMES):
            schema.check_value(kind, name, declared[name], value)
    pattern = properties.get("RecurrencePattern")
    if pattern:
        for part, part_type in schema.RECURRENCE_PARTS.items():
            schema.check_value(f"{kind}.RecurrencePattern", part, part_type, pattern.get(part))
    selected = properties.get("SelectedMailingAddress")
    if selected is not None and selected not in MAILING_ADDRESS_CHOICES:
        raise ValueError(
            f"SelectedMailingAddress {selected!r} is not allowed; "
            f"allowed: {', '.join(MAILING_ADDRESS_CHOICES)}"
        )
