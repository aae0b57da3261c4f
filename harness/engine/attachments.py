"""The attachment part of an appointment pair's work, written once over the two sides.

Files only on one side are copied across, or, when both sides agreed on those very bytes at the
last cycle that moved attachments, removed from the other side too (a file put back since with
other bytes is new, and copied). A file both sides agreed on and one side replaced since (other bytes under
the same name) is copied over the other side's; the same name with other bytes on both sides, with
no agreement to tell which changed, or changed on both, is a conflict (the side modified last wins,
its bytes replace the others, which are reported lost). The attachment guards
(off, turned off, recurring, service activity) stop the moves with a skip notice each; the limit
guards (size, blocked extension) stop single files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import rules as R
from .. import schema
from ..settings import SYNC_APPOINTMENT_ATTACHMENTS, Options
from .actions import FileOp, Files, Notice
from .execute import LossSpec
from .guards import AttachmentFacts, FileFacts, Guards
from .protocol import SyncContext
from .reconcile import conflict_winner
from .sides import Sides
from .state import Link, digest

Data = Mapping[str, Any]


class AttachmentPlanner:
    """Plans the attachment moves of one user's appointment pairs."""

    def __init__(self, context: SyncContext, guards: Guards, options: Options, sides: Sides) -> None:
        self.context, self.guards, self.options, self.sides = context, guards, options, sides
        self.user = context.user

    def plan(self, link: Link, data: dict[schema.Side, Data], *, new: schema.Side | None = None) -> Files:
        """Attachment moves of an appointment pair (``new``: the side about to be created, empty)."""
        files = {s.name: ({} if s.name == new else s.files(link)) for s in self.sides}
        crm, outlook = files[schema.CRM], files[schema.OUTLOOK]
        both = crm.keys() & outlook.keys()
        differing = {n for n in both if crm[n] != outlook[n]}
        replaced = {n: side for n in differing if (side := _replaced_on(link, n, files)) is not None}
        clashing = differing - replaced.keys()
        pending = (crm.keys() ^ outlook.keys()) | differing
        if not pending:  # what both sides hold, byte for byte, is what they agree on
            agreed = {n: digest(crm[n]) for n in both}
            return Files(after=agreed if agreed != link.attachments else None)
        names = ", ".join(sorted(pending))
        stops = self.guards.stops("attachments", self._attachment_facts(link, data, outlook))
        if stops:
            return Files(notices=tuple(self._attachment_skip(rule, why, names) for rule, why in stops))
        if self.options.sync_appointment_attachments and not self.guards.on(R.APPT_ATTACH_ON):
            return Files()
        ops = [op for side in schema.SIDES for op in self._moves(side, files, link.attachments)]
        ops += [FileOp("copy", side, name, files[side][name]) for name, side in sorted(replaced.items())]
        ops += [self._clash(name, files, data) for name in sorted(clashing)]
        ops, notices = self._within_limits(ops)
        return Files(tuple(ops), notices, after=_agreed_after(files, ops))

    def _within_limits(self, ops: list[FileOp]) -> tuple[list[FileOp], tuple[Notice, ...]]:
        """Copies the attachment-limit guards let through, and a skip notice for each they stop."""
        kept, notices = [], []
        for op in ops:
            facts = FileFacts(self.user, op.name, len(op.body), self.options)
            stops = self.guards.stops("file", facts) if op.op == "copy" else []
            notices += [self._attachment_skip(rule, why, op.name) for rule, why in stops]
            if not stops:
                kept.append(op)
        return kept, tuple(notices)

    def _attachment_facts(
        self, link: Link, data: dict[schema.Side, Data], outlook: dict[str, bytes]
    ) -> AttachmentFacts:
        on = self.options.sync_appointment_attachments
        return AttachmentFacts(
            self.user,
            link.entity,
            link.entity == "recurringappointmentmaster" or bool(data[schema.OUTLOOK].get("IsRecurring")),
            on,
            not on and SYNC_APPOINTMENT_ATTACHMENTS in self.context.ever_on,
            tuple(sorted(outlook)),
        )

    @staticmethod
    def _attachment_skip(rule: str, why: str, names: str) -> Notice:
        return Notice(rule, "skipped", "", detail=f"attachments not synced ({why}): {names}")

    @staticmethod
    def _moves(
        side: schema.Side, files: dict[schema.Side, dict[str, bytes]], agreed: Mapping[str, str]
    ) -> list[FileOp]:
        """Files only on ``side``: removed on the other side since both agreed on them (this side
        still holds the agreed bytes), or new here (never agreed on, or put here again since with
        other bytes: copied, so nothing the user added is taken)."""
        here = files[side]
        return [
            FileOp("remove", side, name)
            if agreed.get(name) == digest(here[name])
            else FileOp("copy", side, name, here[name])
            for name in sorted(here.keys() - files[schema.other(side)].keys())
        ]

    def _clash(
        self, name: str, files: dict[schema.Side, dict[str, bytes]], data: dict[schema.Side, Data]
    ) -> FileOp:
        """The same file name added on both sides with other bytes: the conflict policy decides."""
        winner = conflict_winner(self.sides, data)
        loser = schema.other(winner)
        won, lost = files[winner][name], files[loser][name]
        detail = (
            f"attachment {name}: CRM {len(files[schema.CRM][name])} bytes vs Outlook "
            f"{len(files[schema.OUTLOOK][name])} bytes; {winner} won"
        )
        loss = LossSpec(
            loser, f"Attachments[{name}]", f"{len(lost)} bytes", f"{len(won)} bytes", None, detail
        )
        return FileOp("copy", winner, name, won, (loss,))


def _replaced_on(link: Link, name: str, files: dict[schema.Side, dict[str, bytes]]) -> schema.Side | None:
    """The side that replaced a file both sides had agreed on (the other still holds the agreed
    bytes), or None: never agreed, or changed on both sides."""
    agreed = link.attachments.get(name)
    if agreed is None:
        return None
    unchanged = [side for side in schema.SIDES if digest(files[side][name]) == agreed]
    return schema.other(unchanged[0]) if len(unchanged) == 1 else None


def _agreed_after(files: dict[schema.Side, dict[str, bytes]], ops: list[FileOp]) -> dict[str, str]:
    """Name -> digest of what both sides hold once ``ops`` ran (files no operation touches and
    whose sides differ are left out: nothing is agreed on them)."""
    crm, outlook = dict(files[schema.CRM]), dict(files[schema.OUTLOOK])
    for op in ops:
        target = outlook if op.side == schema.CRM else crm
        source = crm if op.side == schema.CRM else outlook
        if op.op == "copy":
            target[op.name] = op.body
        else:
            source.pop(op.name, None)
    return {name: digest(crm[name]) for name in crm.keys() & outlook.keys() if crm[name] == outlook[name]}
