"""What a cycle does, as small actions the planner decided: each writes, reports, then remembers.

An action knows its writes, the events and losses it will report, and the bookkeeping it commits
into the user's :class:`~syncsim.harness.engine.state.UserState`. It commits only after its writes went
through: a fault raised by :meth:`Executor.send` leaves the state as it was, so the next cycle
decides again from the same differences (vdirsyncer's actions roll back their status the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal

from .. import schema
from ..mapping import FieldPair
from ..rules import APPT_ATTACH_ON
from .execute import Executor, LossSpec
from .sides import Side, Sides
from .state import NO_WRITES, Agreed, FieldKey, Link, UserState


@dataclass(frozen=True)
class Notice:
    """An event with no write: a skip, a warning."""

    rule: str | None
    outcome: str
    entity: str
    crm_id: str | None = None
    entry_id: str | None = None
    detail: str = ""

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        ex.event(self.rule, self.outcome, self.entity, self.crm_id, self.entry_id, self.detail)


@dataclass(frozen=True)
class FileOp:
    """Copy an attachment from ``side`` to the other side, or remove it from ``side``."""

    op: Literal["copy", "remove"]
    side: schema.Side
    name: str
    body: bytes = b""
    losses: tuple[LossSpec, ...] = ()

    def run(self, ex: Executor, link: Link, sides: Sides) -> None:
        source = sides[self.side]
        target = sides.other(source)
        if self.op == "copy":
            self._send(ex, link, lambda: target.attach(link, self.name, self.body))
            what = f"copied to {target.label}"
            ex.attachment_bytes += len(self.body)
        else:
            self._send(ex, link, lambda: source.detach(link, self.name))
            what = f"removed from {source.label} (removed in {target.label})"
        if not self.losses:  # a conflict's copy is reported as the conflict and its loss
            size = len(self.body)
            detail = f"attachment {self.name} ({size} bytes) {what}"
            ex.event(APPT_ATTACH_ON, "synced", link.entity, link.crm_id, link.entry_id, detail)

    def _send(self, ex: Executor, link: Link, write: Any) -> None:
        ex.send(write, ids=(link.crm_id, link.entry_id), entity=link.entity, losses=self.losses)


@dataclass(frozen=True)
class Files:
    """The attachment part of a pair's work: file operations, or the notices why none happen."""

    ops: tuple[FileOp, ...] = ()
    notices: tuple[Notice, ...] = ()
    #: name -> digest of the files on both sides once the operations are done (None: a guard
    #: stopped them, keep the memory)
    after: dict[str, str] | None = None

    @property
    def empty(self) -> bool:
        """No file to move, nothing to say, no memory to change."""
        return not self.ops and not self.notices and self.after is None

    def run(self, ex: Executor, link: Link, sides: Sides) -> None:
        for notice in self.notices:
            ex.event(notice.rule, notice.outcome, link.entity, link.crm_id, link.entry_id, notice.detail)
        for op in self.ops:
            op.run(ex, link, sides)
        if self.after is not None:
            link.attachments = self.after


@dataclass
class Fields:
    """The field part of a pair's work: per side, the changes to write and the losses they cause."""

    changes: dict[schema.Side, dict[str, Any]] = field(default_factory=lambda: {s: {} for s in schema.SIDES})
    losses: dict[schema.Side, list[LossSpec]] = field(default_factory=lambda: {s: [] for s in schema.SIDES})
    #: field pair -> what both sides agree on once the writes went through, for every pair whose
    #: values or memory moved (an unchanged pair is left as the link remembers it)
    agreed: dict[FieldKey, Any] = field(default_factory=dict)
    #: per side, field pair -> value this plan writes there
    written: dict[schema.Side, dict[FieldKey, Any]] = field(
        default_factory=lambda: {s: {} for s in schema.SIDES}
    )
    #: (rule, detail) of each edit a one-way field keeps from moving
    skipped: list[tuple[str | None, str]] = field(default_factory=list)
    #: planned on a memory that cannot be trusted: the link stays marked so until the writes went through
    stale: bool = False

    def put(self, pair: FieldPair, side: schema.Side, data: Any, value: Any) -> None:
        """Plan to write ``value`` (in CRM's terms) for ``pair`` on ``side``."""
        pair.put(side, self.changes[side], data, value)
        self.written[side][pair.key] = value

    def run(self, ex: Executor, link: Link, sides: Sides) -> None:
        to_write = self.written[schema.CRM].keys() | self.written[schema.OUTLOOK].keys()
        # what both sides hold already needs no write: remembered now, whatever the writes do
        link.synced.update((key, value) for key, value in self.agreed.items() if key not in to_write)
        link.stale = self.stale
        for side in sides:
            changes = self.changes[side.name]
            if changes:
                self._note_unconfirmed(link, side)
                ex.send(
                    lambda s=side, c=changes: s.update(link, c),  # type: ignore[misc]
                    changes,
                    ids=(link.crm_id, link.entry_id),
                    entity=link.entity,
                    losses=self.losses[side.name],
                )
        link.inflight = NO_WRITES  # every write went through: this plan settled what was left open
        link.stale = False
        link.synced.update(self.agreed)
        for rule, detail in self.skipped:
            ex.event(rule, "skipped", link.entity, link.crm_id, link.entry_id, detail)
        written = [(side.label, self.changes[side.name]) for side in sides]
        names = sorted({n for _, changes in written for n in changes})
        if names:
            direction = " and ".join(f"to {label}" for label, changes in written if changes)
            detail = f"updated {direction}: {', '.join(names)}"
            ex.event(None, "synced", link.entity, link.crm_id, link.entry_id, detail)

    def _note_unconfirmed(self, link: Link, side: Side) -> None:
        """Note a write before it is sent, on top of what an earlier unconfirmed write left open:
        until this plan's writes all went through, neither is settled (the older version counts)."""
        version, written = link.inflight.get(side.name) or (side.version(link), {})
        link.inflight = {**link.inflight, side.name: (version, {**written, **self.written[side.name]})}


def remember_versions(link: Link, sides: Sides, state: UserState) -> None:
    """Once a pair's writes went through: its versions on both sides, and who owns the record."""
    record = sides.crm.read(link)
    link.outlook_version = sides.outlook.version(link)
    if record is not None:
        link.crm_version = int(record["versionnumber"])
        state.owned_by(link, str(record["ownerid"]))
    else:
        link.crm_version = 0


@dataclass
class UpdatePair:
    """Reconcile a linked pair.

    ``linked``: the pair is (re)linked by this action (adopting a copy, a re-track), said first;
    ``done``: (rule, detail) a rule's own account of what the writes do, said once they went through.
    """

    link: Link
    fields: Fields
    files: Files
    linked: str | None = None
    done: tuple[str, str] | None = None

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        link = self.link
        if self.linked:
            state.add(link)
            ex.event(None, "synced", link.entity, link.crm_id, link.entry_id, self.linked)
        self.fields.run(ex, link, sides)
        if self.done:
            ex.event(self.done[0], "synced", link.entity, link.crm_id, link.entry_id, self.done[1])
        self.files.run(ex, link, sides)
        remember_versions(link, sides, state)


@dataclass(slots=True)
class _Create:
    """What both creates share: the new pair's ids, what it agrees on, and its attachments."""

    entity: str
    crm_id: str
    synced: Mapping[FieldKey, Any]
    files: Files

    def memory(self) -> Agreed:
        """The planner's memory, which becomes the link's (the pending note it was is dropped)."""
        return self.synced if isinstance(self.synced, Agreed) else Agreed.of(self.synced)

    def _made(
        self, ex: Executor, state: UserState, sides: Sides, entry_id: str, rule: str | None, detail: str
    ) -> None:
        """Once the create is confirmed: remember the pair, say so, then move its attachments."""
        origin = "crm" if isinstance(self, CreateInOutlook) else "outlook"
        link = Link(self.entity, self.crm_id, entry_id, self.memory(), origin=origin)
        state.add(link)
        ex.event(rule, "synced", self.entity, self.crm_id, entry_id, detail)
        self.files.run(ex, link, sides)
        remember_versions(link, sides, state)


@dataclass(slots=True)
class CreateInOutlook(_Create):
    """A CRM record the user's Outlook lacks: make the item, stamped with the record's id."""

    kind: str = "contact"
    properties: dict[str, Any] = field(default_factory=dict)

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        box = sides.outlook.store
        state.pending[self.crm_id] = self.synced
        entry_id = ex.send(lambda: box.create(self.kind, self.properties, track=True), self.properties)
        self._made(ex, state, sides, entry_id, None, "created in Outlook")


#: the attachment work of a record that has none
NO_ATTACHMENTS = Files()
#: one copy of a run: (CRM id, the item's properties, what both then agree on, the record's
#: versionnumber and ownerid as the planner read them)
Copy = tuple[str, dict[str, Any], Agreed, int, str]


@dataclass(slots=True)
class CreateRun:
    """Copies of CRM records, of one entity and with no attachments, the user's Outlook lacks:
    the initial cycle's thousands of creates. The writes no fault can meet go as one run, which
    ends as sending them one by one would (the same items, links, versions, bytes and events)
    at the cost of a dict copy and a link each; from the first write a fault may meet, they go
    one by one (each a :class:`CreateInOutlook`)."""

    entity: str
    kind: str
    copies: list[Copy] = field(default_factory=list)

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        copies = self.copies
        clear = ex.clear_run(len(copies))
        if clear:
            self._run_at_once(copies[:clear] if clear < len(copies) else copies, ex, state, sides)
        for crm_id, properties, synced, _, _ in copies[clear:]:
            create = CreateInOutlook(self.entity, crm_id, synced, NO_ATTACHMENTS, self.kind, properties)
            create.run(ex, state, sides)

    def _run_at_once(self, copies: list[Copy], ex: Executor, state: UserState, sides: Sides) -> None:
        crm_ids, properties, memories, versions, owners = zip(*copies, strict=True)
        written = schema.Run(properties)  # counted by the network and checked by the store: read once
        ex.sent_run(written)
        made = sides.outlook.store.create_run(self.kind, written, track=True)
        entity, (entry_ids, outlook_versions) = self.entity, zip(*made, strict=True)
        links = list(
            map(
                Link,
                repeat(entity),
                crm_ids,
                entry_ids,
                memories,
                versions,
                outlook_versions,
                owners,
                repeat("crm"),
            )
        )
        state.add_run(links, (crm_ids, entry_ids))
        ex.synced_run(entity, (list(crm_ids), list(entry_ids)), "created in Outlook")


@dataclass(slots=True)
class CreateInCrm(_Create):
    """A tracked Outlook item CRM lacks: stamp it with the new record's id, then make the record.

    The stamp comes first, so a cycle interrupted between the two writes, or an item tracked
    again later, finds the record instead of making a second one.
    """

    entry_id: str = ""
    owner_id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    stamp: bool = True
    rule: str | None = None
    detail: str = "created in CRM"
    #: who made the record (the assigner, for a task assigned to its owner)
    creator_id: str | None = None
    #: Outlook values field security takes back as the record is made, and what that loses
    reverts: dict[str, Any] = field(default_factory=dict)
    revert_losses: tuple[LossSpec, ...] = ()

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        if self.stamp or self.reverts:
            changes = {schema.CRM_ID: self.crm_id, **self.reverts} if self.stamp else self.reverts
            ex.send(
                lambda: sides.outlook.store.update(self.entry_id, changes),
                self.reverts or None,
                ids=(self.crm_id, self.entry_id),
                entity=self.entity,
                losses=self.revert_losses,
            )
        crm = sides.crm.store
        state.pending[self.crm_id] = self.synced
        ex.send(
            lambda: crm.create(
                self.entity,
                self.fields,
                owner=self.owner_id,
                record_id=self.crm_id,
                created_by=self.creator_id,
            ),
            self.fields,
        )
        self._made(ex, state, sides, self.entry_id, self.rule, self.detail)


@dataclass
class Unlink:
    """Let go of a pair, after deleting or untracking what is left of it where a rule says so.

    ``losses``: what the delete takes with it that the other side never saw (edits not yet
    synced), reported as soon as the delete is applied.
    """

    link: Link
    detail: str
    #: "delete": remove the Outlook item; "untrack": keep it, untracked; None: leave it alone
    outlook: Literal["delete", "untrack"] | None = None
    keep_memory: bool = False
    #: "delete": delete the CRM record too
    crm: Literal["delete"] | None = None
    rule: str | None = None
    losses: tuple[LossSpec, ...] = ()

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        link, box, crm = self.link, sides.outlook.store, sides.crm.store
        ids = (link.crm_id, link.entry_id)
        if self.outlook == "delete":
            ex.send(
                lambda: box.delete(link.entry_id), ids=ids, entity=link.entity, losses=self._on("outlook")
            )
        elif self.outlook == "untrack":
            ex.send(lambda: box.untrack(link.entry_id))
        if self.crm == "delete":
            ex.send(
                lambda: crm.delete(link.entity, link.crm_id),
                ids=ids,
                entity=link.entity,
                losses=self._on("crm"),
            )
        state.drop(link, keep_memory=self.keep_memory)
        ex.event(self.rule, "synced", link.entity, link.crm_id, link.entry_id, self.detail)

    def _on(self, side: schema.Side) -> tuple[LossSpec, ...]:
        return tuple(loss for loss in self.losses if loss.side == side)


Action = Notice | UpdatePair | CreateInOutlook | CreateRun | CreateInCrm | Unlink
