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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from ..mapping import FieldKey, KeyIndex
from ..schema import Side
from ..settings import Options

#: (field directions, field access) as a cycle saw them: what shapes each entity's pairs beside
#: the options
FieldRules = tuple[Mapping[tuple[str, str], Any], Mapping[tuple[str, str], Any]]


class _Empty(Mapping[Any, Any]):
    """An empty mapping that cannot change: one shared default for millions of links."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __hash__(self) -> int:  # immutable: a dataclass takes it as a default as it is
        return 0

    def __repr__(self) -> str:
        return "{}"


#: the layout of a memory of no pairs
NO_KEYS = KeyIndex.of(())
#: one shared empty memory for the many links that never had an attachment
NO_FILES: Mapping[str, str] = _Empty()
#: one shared "no write unconfirmed" for the many links that have none
NO_WRITES: Mapping[Side, tuple[int, dict[FieldKey, Any]]] = _Empty()
_MISSING = object()


class Agreed(Mapping[FieldKey, Any]):
    """What both sides of a pair last agreed on, by field pair.

    A link remembers a value for each of its entity's field pairs (36 for a contact); as a dict
    that is over a kilobyte a link. Here the values sit in a sequence in the order of a key index
    shared by every link of the same pairs, and keys outside it (rare: pairs of another address
    mode) in a small dict of their own. Read like a dict; ``update`` writes like one.

    The values may be a tuple, and shorter than the index: a new link's memory is the tuple of
    the values its record holds, the pairs it lacks placed past the end (None). The first write
    makes it a list of every pair's value.
    """

    __slots__ = ("_index", "_values", "_extra")

    def __init__(self, index: KeyIndex, values: Sequence[Any]) -> None:
        self._index, self._values = index, values
        self._extra: dict[FieldKey, Any] | None = None

    @classmethod
    def of(cls, data: Mapping[FieldKey, Any]) -> Agreed:
        """A memory holding ``data``, in its key order."""
        if isinstance(data, Agreed):
            return data.copy()
        return cls(KeyIndex.of(tuple(data)), list(data.values()))

    def parts(self) -> tuple[KeyIndex, Sequence[Any]] | None:
        """The key index and the values, for a hot loop to read without a call per key (None
        when some keys lie outside the index: read with ``get`` then)."""
        if self._extra:
            return None
        if len(self._values) < len(self._index):
            self._whole()
        return self._index, self._values

    def copy(self) -> Agreed:
        values = self._values
        made = Agreed(self._index, values if type(values) is tuple else list(values))
        made._extra = dict(self._extra) if self._extra else None
        return made

    def get(self, key: FieldKey, default: Any = None) -> Any:
        n = self._index.get(key)
        if n is not None:
            try:
                return self._values[n]
            except IndexError:  # a pair the record lacked: placed past the end
                return None
        return self._extra.get(key, default) if self._extra else default

    def __getitem__(self, key: FieldKey) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key, _MISSING) is not _MISSING  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[FieldKey]:
        yield from self._index
        yield from self._extra or ()

    def __len__(self) -> int:
        return len(self._index) + len(self._extra or ())

    def update(self, pairs: Mapping[FieldKey, Any] | Iterable[tuple[FieldKey, Any]]) -> None:
        index, values, extra = self._index, self._whole(), self._extra
        # (a dict, the common case, is told without the ABC's check)
        for key, value in pairs.items() if type(pairs) is dict or isinstance(pairs, Mapping) else pairs:
            n = index.get(key)
            if n is not None:
                values[n] = value
            else:
                if extra is None:
                    extra = self._extra = {}
                extra[key] = value

    def _whole(self) -> list[Any]:
        """The values as a list of one per key of the index (made so once)."""
        values = self._values
        if type(values) is not list or len(values) < len(self._index):
            values = self._values = [*values, *[None] * (len(self._index) - len(values))]
        return values

    def __repr__(self) -> str:
        return f"Agreed({dict(self)!r})"


@dataclass(slots=True)
class Link:
    entity: str
    crm_id: str
    entry_id: str
    synced: Agreed = field(default_factory=lambda: Agreed(NO_KEYS, []))
    crm_version: int = 0
    outlook_version: int = 0
    #: the record's owner (systemuserid) at the last cycle: who owned it decides what a delete does
    owner: str = ""
    #: where the pair began: "crm" (copied to Outlook through the filters) or "outlook" (tracked)
    origin: str = "outlook"
    #: the attachments both sides agreed on at the last cycle that moved attachments: name -> the
    #: digest of their bytes (so a file replaced on one side since is told from one never synced)
    attachments: Mapping[str, str] = NO_FILES
    #: by side, field writes sent but never confirmed: (the side's version before the first of
    #: them, field pair -> value written). Cleared only once every write of a plan went through.
    #: The next cycle settles from the values and versions whether they were applied, and treats
    #: what it cannot settle as a change on both sides (a conflict, never a silent overwrite).
    inflight: Mapping[Side, tuple[int, dict[FieldKey, Any]]] = NO_WRITES
    #: the memory cannot be trusted (the record changed while the item was untracked) until a
    #: plan's writes all went through: meanwhile every field whose sides differ is a conflict
    stale: bool = False


#: a link's owner, read by a C loop
_OWNER = attrgetter("owner")


class Pending(NamedTuple):
    """A create about to be sent: the side its item or record is a copy of, the values it
    writes (what both sides will first agree on), the item a record is made for, and the owner
    of the record a copy is made of."""

    origin: str
    synced: Mapping[FieldKey, Any]
    entry_id: str = ""
    owner: str = ""

    def link(self, entity: str, crm_id: str, entry_id: str = "") -> Link:
        """The pair the create made, as a link: what it wrote agreed on, its origin and owner."""
        memory = Agreed.of(self.synced)
        return Link(entity, crm_id, entry_id or self.entry_id, memory, owner=self.owner, origin=self.origin)


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
    #: the field directions and the user's field security of the last clean cycle (None: none yet)
    fields_seen: FieldRules | None = None
    #: the filter version of the last clean cycle (None: none yet)
    filter_version_seen: int | None = None
    #: CRM ids of linked pairs the next cycle must look at, changed or not
    revisit: set[str] = field(default_factory=set)
    #: by CRM id, a create about to be sent, noted before it goes: if its confirmation is
    #: lost, the copy found later is adopted with its values as the agreed ones
    pending: dict[str, Pending] = field(default_factory=dict)
    #: the user (systemuserid), and the CRM ids of linked records someone else owns: a cycle
    #: reads the changes of the user's own records, and looks at these by their versions
    me: str = ""
    foreign: set[str] = field(default_factory=set)
    #: EntryIDs of the user's Exchange copies of linked items, ignored once and from then on
    #: (COPY-IGNORED: a copy stays a copy when its original goes or it is tracked again)
    ignored_copies: set[str] = field(default_factory=set)

    def add(self, link: Link) -> None:
        self.add_run((link,))

    def add_run(
        self,
        links: Sequence[Link],
        ids: tuple[Sequence[str], Sequence[str]] | None = None,
        owners: Sequence[str] | None = None,
    ) -> None:
        """Remember new links (a dormant link or a pending note of the same item goes);
        ``ids``: their CRM ids and EntryIDs, and ``owners``, when the caller holds them already."""
        dormant, pending = self.dormant, self.pending
        if dormant or pending:
            for link in links:
                dormant.pop(link.entry_id, None)
                pending.pop(link.crm_id, None)
        crm_ids, entry_ids = ids or ([link.crm_id for link in links], [link.entry_id for link in links])
        self.by_crm.update(zip(crm_ids, links, strict=True))
        self.by_entry.update(zip(entry_ids, links, strict=True))
        self._note_owners(links, owners)

    def owned_by(self, link: Link, owner: str) -> None:
        """The link's record is owned by ``owner`` now."""
        link.owner = owner
        self._note_owners((link,))

    def _note_owners(self, links: Sequence[Link], owners: Sequence[str] | None = None) -> None:
        """Which of these links' records someone else owns: the cycle looks at those by their
        versions, as it reads only the changes of the user's own."""
        me, foreign = self.me, self.foreign
        owners = list(map(_OWNER, links)) if owners is None else owners
        mine = owners.count(me)  # all, commonly: no look at each link
        others = [] if mine == len(links) else [link.crm_id for link in links if link.owner != me]
        if foreign and mine:
            foreign.difference_update([link.crm_id for link in links if link.owner == me])
        foreign.update(others)

    def drop(self, link: Link, *, keep_memory: bool = False) -> None:
        self.by_crm.pop(link.crm_id, None)
        self.by_entry.pop(link.entry_id, None)
        self.foreign.discard(link.crm_id)
        self.pending.pop(link.crm_id, None)
        if keep_memory:
            self.dormant[link.entry_id] = link

    def linked(self, entities: tuple[str, ...]) -> list[Link]:
        return [link for link in self.by_crm.values() if link.entity in entities]


def digest(body: bytes) -> str:
    """What an attachment's bytes are remembered by."""
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()
