"""What the reference engine remembers between cycles, per user: links and the last synced state.

A link pairs a CRM record with an Outlook item (CRM id <-> EntryID). For each mapped field pair it
keeps the value both sides agreed on at the last cycle (in CRM's representation), so the next cycle
can tell which side changed, and which pairs are new because the mapping changed. Like vdirsyncer's
status table, it is the memory that makes a two-way sync decidable. A link whose Outlook item was
untracked is kept as *dormant*: tracked again, the item resumes from what both sides last agreed
on, so edits made on both sides meanwhile meet as a conflict, not as a silent overwrite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from syncsim.harness.schema import Side
from syncsim.harness.settings import Options

FieldKey = tuple[str, str]


#: one shared empty memory for the many links that never had an attachment
NO_FILES: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class Link:
    entity: str
    crm_id: str
    entry_id: str
    synced: dict[FieldKey, Any] = field(default_factory=dict)
    crm_version: int = 0
    outlook_version: int = 0
    #: the record's owner (systemuserid) at the last cycle: who owned it decides what a delete does
    owner: str = ""
    #: where the pair began: "crm" (copied to Outlook through the filters) or "outlook" (tracked)
    origin: str = "outlook"
    #: the attachments both sides agreed on at the last cycle that moved attachments: name -> the
    #: digest of their bytes (so a file replaced on one side since is told from one never synced)
    attachments: Mapping[str, str] = field(default_factory=lambda: NO_FILES)
    #: by side, field writes sent but never confirmed: (the side's version before the first of
    #: them, field pair -> value written). Cleared only once every write of a plan went through.
    #: The next cycle settles from the values and versions whether they were applied, and treats
    #: what it cannot settle as a change on both sides (a conflict, never a silent overwrite).
    inflight: dict[Side, tuple[int, dict[FieldKey, Any]]] = field(default_factory=dict)
    #: the memory cannot be trusted (the record changed while the item was untracked) until a
    #: plan's writes all went through: meanwhile every field whose sides differ is a conflict
    stale: bool = False


@dataclass
class UserState:
    """One user's links, read watermarks on both stores, and the options of the last cycle."""

    by_crm: dict[str, Link] = field(default_factory=dict)
    by_entry: dict[str, Link] = field(default_factory=dict)
    #: links of untracked items, by EntryID: what a re-track resumes from
    dormant: dict[str, Link] = field(default_factory=dict)
    crm_watermark: int = 0
    outlook_watermark: int = 0
    options_seen: Options | None = None
    #: the filter version of the last clean cycle (None: none yet)
    filter_version_seen: int | None = None
    #: CRM ids of linked pairs the next cycle must look at, changed or not
    revisit: set[str] = field(default_factory=set)
    #: by CRM id, the values a create is about to write, noted before it is sent: if its
    #: confirmation is lost, the copy found later is adopted with these as the agreed values
    pending: dict[str, dict[FieldKey, Any]] = field(default_factory=dict)

    def add(self, link: Link) -> None:
        self.dormant.pop(link.entry_id, None)
        self.pending.pop(link.crm_id, None)
        self.by_crm[link.crm_id] = link
        self.by_entry[link.entry_id] = link

    def drop(self, link: Link, *, keep_memory: bool = False) -> None:
        self.by_crm.pop(link.crm_id, None)
        self.by_entry.pop(link.entry_id, None)
        if keep_memory:
            self.dormant[link.entry_id] = link

    def linked(self, entities: tuple[str, ...]) -> list[Link]:
        return [link for link in self.by_crm.values() if link.entity in entities]


def digest(body: bytes) -> str:
    """What an attachment's bytes are remembered by."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()
