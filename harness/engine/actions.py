"""What a cycle does, as small actions the planner decided: each writes, reports, then remembers.

An action knows its writes, the events and losses it will report, and the bookkeeping it commits
into the user's :class:`~syncsim.harness.engine.state.UserState`. It commits only after its writes went
through: a fault raised by :meth:`Executor.send` leaves the state as it was, so the next cycle
decides again from the same differences (vdirsyncer's actions roll back their status the same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby, islice, repeat
from operator import itemgetter
from typing import Any, Literal, cast

from .. import schema
from ..mapping import OUTLOOK_KIND, FieldKey, FieldPair
from ..rules import APPT_ATTACH_ON
from ..stores.runs import Run
from .execute import Executor, LossSpec
from .sides import Side, Sides
from .state import NO_WRITES, Agreed, Link, Pending, UserState


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
class IgnoreCopy(Notice):
    """A user's Exchange copy of a linked item, ignored from now on (COPY-IGNORED): an event, and
    the copy noted, with no write."""

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        if self.entry_id:
            state.ignored_copies.add(self.entry_id)
        super().run(ex, state, sides)


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


@dataclass(frozen=True, eq=False)  # (known by identity: a batch of creates tells NO_ATTACHMENTS by it)
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


def _made(
    ex: Executor,
    state: UserState,
    sides: Sides,
    link: Link,
    files: Files,
    rule: str | None,
    detail: str,
) -> None:
    """Once a create is confirmed: remember the new pair, say so, then move its attachments."""
    state.add(link)
    ex.event(rule, "synced", link.entity, link.crm_id, link.entry_id, detail)
    files.run(ex, link, sides)
    remember_versions(link, sides, state)


class CopyToOutlook(tuple[str, str, Agreed, dict[str, Any], int, str]):
    """A CRM record the user's Outlook lacks, with nothing to do but copy it: make the item,
    stamped with the record's id.

    ``CopyToOutlook((entity, crm_id, synced, properties, version, owner))``: what the record and
    its copy will agree on, the copy's properties, and the record's versionnumber and ownerid as
    the planner read them (what a run remembers of the pair; sent alone, the copy reads them
    again once made). A tuple: an initial cycle decides a hundred thousand, made and read by C
    loops (a run reads its copies column by column)."""

    __slots__ = ()

    @property
    def entity(self) -> str:
        return self[0]

    @property
    def crm_id(self) -> str:
        return self[1]

    @property
    def properties(self) -> dict[str, Any]:
        return self[3]

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        entity, crm_id, synced, properties, _, owner = self
        link = Link(entity, crm_id, "", synced, owner=owner, origin="crm")
        _create_in_outlook(ex, state, sides, link, properties)


@dataclass(slots=True)
class CreateInOutlook:
    """A CRM record the user's Outlook lacks, with attachment work: make the item, stamped with
    the record's id, then move its attachments."""

    entity: str
    crm_id: str
    synced: Agreed
    files: Files
    properties: dict[str, Any]
    owner: str = ""

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        link = Link(self.entity, self.crm_id, "", self.synced, owner=self.owner, origin="crm")
        _create_in_outlook(ex, state, sides, link, self.properties, self.files)


def _create_in_outlook(
    ex: Executor,
    state: UserState,
    sides: Sides,
    link: Link,
    properties: dict[str, Any],
    files: Files | None = None,
) -> None:
    """Make one item (its EntryID then goes to ``link``), remembering what it will agree on first."""
    box, kind = sides.outlook.store, OUTLOOK_KIND[link.entity]
    state.pending[link.crm_id] = Pending("crm", link.synced, owner=link.owner)
    link.entry_id = ex.send(lambda: box.create(kind, properties, track=True), properties)
    _made(ex, state, sides, link, files or NO_ATTACHMENTS, None, "created in Outlook")


#: the attachment work of a record that has none
NO_ATTACHMENTS = Files()


@dataclass(slots=True)
class CreateRun:
    """Copies to Outlook, decided one by one: the initial cycle's thousands, as a batch
    (:func:`perform` makes it). The writes no fault can meet go as one run an entity, which ends as
    sending them one by one would (the same items, links, versions, bytes and events) at the
    cost of a link each; from the first write a fault may meet, each copy runs on its own. A
    fast path (speed.py)."""

    creates: list[CopyToOutlook]

    def run(self, ex: Executor, state: UserState, sides: Sides) -> None:
        creates = self.creates
        clear = ex.clear_run(len(creates))
        if clear:
            self._run_at_once(creates[:clear] if clear < len(creates) else creates, ex, state, sides)
        for create in creates[clear:]:
            create.run(ex, state, sides)

    @staticmethod
    def _run_at_once(creates: list[CopyToOutlook], ex: Executor, state: UserState, sides: Sides) -> None:
        entities, crm_ids, memories, properties, versions, owners = zip(*creates, strict=True)
        entity = entities[0]
        if entities.count(entity) != len(entities):  # copies of two entities (seldom): a run each
            for _, of_one in groupby(creates, _ENTITY):
                CreateRun._run_at_once(list(of_one), ex, state, sides)
            return
        written = Run(properties)  # counted by the network and checked by the store: read once
        ex.sent_run(written)
        entry_ids, outlook_versions = sides.outlook.store.create_taking(
            OUTLOOK_KIND[entity], written, track=True
        )
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
        state.add_run(links, (crm_ids, entry_ids), owners)
        ex.synced_run(entity, (crm_ids, entry_ids), "created in Outlook")


@dataclass(slots=True)
class CreateInCrm:
    """A tracked Outlook item CRM lacks: stamp it with the new record's id, then make the record.

    The stamp comes first, so a cycle interrupted between the two writes, or an item tracked
    again later, finds the record instead of making a second one.
    """

    entity: str
    crm_id: str
    #: what the new pair agrees on
    synced: Mapping[FieldKey, Any]
    files: Files
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
        state.pending[self.crm_id] = Pending("outlook", self.synced, self.entry_id)
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
        link = Link(self.entity, self.crm_id, self.entry_id, self.memory(), origin="outlook")
        _made(ex, state, sides, link, self.files, self.rule, self.detail)

    def memory(self) -> Agreed:
        """The planner's memory, which becomes the link's (the pending note it was is dropped)."""
        return Agreed.of(self.synced)


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


Action = Notice | UpdatePair | CopyToOutlook | CreateInOutlook | CreateInCrm | Unlink

#: the most creates a run carries
RUN = 1000
#: a copy's entity: the copies of one run share it
_ENTITY = itemgetter(0)


def perform(actions: Iterable[Action], ex: Executor, state: UserState, sides: Sides, *, runs: bool) -> None:
    """Run the actions in their order, each decided on its own (the planner decides each as it is
    asked for). With ``runs`` (the fast paths), the copies to Outlook of one entity that follow
    each other go in batches of up to ``RUN`` (:class:`CreateRun`); the copies of a batch, and
    the action after it, are decided before the batch goes, which is the same decision: a batch's
    writes touch only its own new items, which no later decision reads. The actions are grouped
    by C loops (``groupby``): no Python step an action."""
    if not runs:
        for action in actions:
            action.run(ex, state, sides)
        return
    for kind, stretch in groupby(actions, type):
        if kind is not CopyToOutlook:
            for action in stretch:
                action.run(ex, state, sides)
            continue
        copies = cast(Iterator[CopyToOutlook], stretch)
        while batch := list(islice(copies, RUN)):
            CreateRun(batch).run(ex, state, sides)
