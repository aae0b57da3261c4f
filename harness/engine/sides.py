"""The two sides of a pair, bound once, so the sync algorithm never says "CRM" or "Outlook".

A :class:`Side` reads and writes one system's half of a linked pair (a CRM record or an Outlook
item), addressed through the pair's :class:`~syncsim.harness.engine.state.Link`. The planner and the
actions are written once over ``(side, other)``, as vdirsyncer's ``_StorageInfo`` binds "a" and
"b"; the two implementations below are the only places that know which store is which.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .. import schema
from ..stores.crm import CrmStore
from ..stores.outlook import Mailbox
from .state import Link


class Side:
    """One system's half of every pair."""

    name: schema.Side
    #: how events name the side ("CRM", "Outlook")
    label: str

    def read(self, link: Link) -> Mapping[str, Any] | None:
        raise NotImplementedError

    def files(self, link: Link) -> dict[str, bytes]:
        raise NotImplementedError

    def modified(self, data: Mapping[str, Any]) -> datetime:
        raise NotImplementedError

    def version(self, link: Link) -> int:
        raise NotImplementedError

    def update(self, link: Link, changes: dict[str, Any]) -> None:
        raise NotImplementedError

    def attach(self, link: Link, name: str, body: bytes) -> None:
        raise NotImplementedError

    def detach(self, link: Link, name: str) -> None:
        raise NotImplementedError


class CrmSide(Side):
    name, label = schema.CRM, "CRM"

    def __init__(self, crm: CrmStore) -> None:
        self.store = crm

    def read(self, link: Link) -> Mapping[str, Any] | None:
        return self.store.peek(link.entity, link.crm_id)

    def files(self, link: Link) -> dict[str, bytes]:
        return {row["filename"]: row["body"] for row in self.store.attachments(link.crm_id)}

    def modified(self, data: Mapping[str, Any]) -> datetime:
        return data["modifiedon"]  # type: ignore[no-any-return]

    def version(self, link: Link) -> int:
        record = self.store.peek(link.entity, link.crm_id)
        return int(record["versionnumber"]) if record else 0

    def update(self, link: Link, changes: dict[str, Any]) -> None:
        self.store.update(link.entity, link.crm_id, changes)

    def attach(self, link: Link, name: str, body: bytes) -> None:
        self.store.attach(link.crm_id, name, body)

    def detach(self, link: Link, name: str) -> None:
        self.store.detach(link.crm_id, name)


class OutlookSide(Side):
    name, label = schema.OUTLOOK, "Outlook"

    def __init__(self, mailbox: Mailbox) -> None:
        self.store = mailbox

    def read(self, link: Link) -> Mapping[str, Any] | None:
        return self.store.peek(link.entry_id)

    def files(self, link: Link) -> dict[str, bytes]:
        return self.store.files(link.entry_id)

    def modified(self, data: Mapping[str, Any]) -> datetime:
        return data["LastModificationTime"]  # type: ignore[no-any-return]

    def version(self, link: Link) -> int:
        return self.store.version(link.entry_id) if self.store.peek(link.entry_id) else 0

    def update(self, link: Link, changes: dict[str, Any]) -> None:
        self.store.update(link.entry_id, changes)

    def attach(self, link: Link, name: str, body: bytes) -> None:
        self.store.attach(link.entry_id, name, body)

    def detach(self, link: Link, name: str) -> None:
        self.store.detach(link.entry_id, name)


class Sides:
    """Both sides of one user's sync, by name."""

    def __init__(self, crm: CrmStore, mailbox: Mailbox) -> None:
        self.crm, self.outlook = CrmSide(crm), OutlookSide(mailbox)
        self.by_name: dict[schema.Side, Side] = {schema.CRM: self.crm, schema.OUTLOOK: self.outlook}

    def __getitem__(self, name: schema.Side) -> Side:
        return self.by_name[name]

    def __iter__(self) -> Any:
        return iter((self.crm, self.outlook))

    def other(self, side: Side) -> Side:
        return self.outlook if side is self.crm else self.crm
