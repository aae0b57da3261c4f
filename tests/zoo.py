"""A zoo of deliberately broken engines: each one small change to the reference engine that a real
sync program could make. explore must find every one, alone and against the reference engine
(``syncsim explore --against reference``; tests/tools/explore/test_search.py); ``FOUND_BY`` says
which invariants each may break first. Against the reference engine, a difference from it may
come first.

Load one by name: ``syncsim explore --engine zoo:IgnoresRetryAfter`` with tests/ on the path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC
from typing import Any, TypeVar

from syncsim.harness import mapping, schema
from syncsim.harness import rules as R
from syncsim.harness.engine.actions import Notice
from syncsim.harness.engine.attachments import AttachmentPlanner
from syncsim.harness.engine.execute import Executor, LossSpec
from syncsim.harness.engine.plan import Planner, address_mode, crm_entity, reshaped
from syncsim.harness.engine.reconcile import Reconciler
from syncsim.harness.engine.reference import ReferenceEngine
from syncsim.harness.engine.state import Agreed, Link
from syncsim.harness.mapping import PairSet
from syncsim.harness.schema import is_moment
from syncsim.harness.sim.network import PreconditionFailed, RetryLater

T = TypeVar("T")


def _executor(kind: type[Executor]) -> Callable[[ReferenceEngine, Any, Any], Executor]:
    def executor(self: ReferenceEngine, context: Any, report: Any) -> Executor:
        return kind(context, report, self.guards)

    return executor


# -- the network ---------------------------------------------------------------------------------


class _Impatient(Executor):
    def _send_waiting(self, write: Callable[[], T]) -> T:
        for _ in range(3):
            try:
                return self.context.network.send(self.context.now(), write, self.user)
            except RetryLater:  # sent again at once: the bug
                self.writes += 1
        return self.context.network.send(self.context.now(), write, self.user)


class IgnoresRetryAfter(ReferenceEngine):
    """Retries a throttled (429) or busy (503) write at once instead of after its Retry-After."""

    name = "ignores-retry-after"
    executor = _executor(_Impatient)  # type: ignore[assignment]


class _Trusting(Executor):
    def send(self, write: Callable[[], T], fields: Any = None, **kw: Any) -> T:
        try:
            return super().send(write, fields, **kw)
        except PreconditionFailed:  # taken as done though nothing was written: the bug
            return None  # type: ignore[return-value]


class TrustsRefusedWrites(ReferenceEngine):
    """Takes a write refused with 412 (a stale version) as done and remembers it as synced."""

    name = "trusts-refused-writes"
    executor = _executor(_Trusting)  # type: ignore[assignment]


class ForgetsFaults(ReferenceEngine):
    """After a cycle ended by a network fault, moves its watermarks on all the same: the changes
    the cycle did not get to are never read again."""

    name = "forgets-faults"

    def cycle(self, context: Any, report: Any) -> None:
        state = self.state(context.user.systemuserid)
        crm_seq, outlook_seq = context.crm.changes.seq, context.mailbox.changes.seq
        super().cycle(context, report)
        if context.user.name in report.failed:  # the bug: as if the cycle had finished
            state.crm_watermark = max(state.crm_watermark, crm_seq)
            state.outlook_watermark = max(state.outlook_watermark, outlook_seq)


class GoesOnAfterFaults(ReferenceEngine):
    """Meets a failed write in a batch, shrugs, and goes on with the next action, then moves the
    watermarks as if every write had gone through."""

    name = "goes-on-after-faults"

    def cycle(self, context: Any, report: Any) -> None:
        state = self.state(context.user.systemuserid)
        super().cycle(context, report)
        if context.user.name in report.failed:
            report.failed.discard(context.user.name)
            state.crm_watermark, state.outlook_watermark = (
                context.crm.changes.seq,
                context.mailbox.changes.seq,
            )
            state.revisit.clear()


# -- losses --------------------------------------------------------------------------------------


class _Quiet(Executor):
    hidden: Callable[[LossSpec], bool] = staticmethod(lambda spec: False)  # type: ignore[assignment]

    def lost(self, entity: str, ids: Any, losses: Iterable[LossSpec]) -> None:
        super().lost(entity, ids, [spec for spec in losses if not type(self).hidden(spec)])


class _NoConflictLosses(_Quiet):
    hidden = staticmethod(lambda spec: spec.conflict is not None)


class _NoRemapLosses(_Quiet):
    hidden = staticmethod(lambda spec: spec.rule == R.CONTACT_ADDRESS_REMAP_LOSS)


class HidesConflictLosses(ReferenceEngine):
    """Decides a conflict by the policy but does not report the losing value as lost."""

    name = "hides-conflict-losses"
    executor = _executor(_NoConflictLosses)  # type: ignore[assignment]


class HidesRemapLosses(ReferenceEngine):
    """Re-maps contact addresses after the option changes without reporting what Outlook loses."""

    name = "hides-remap-losses"
    executor = _executor(_NoRemapLosses)  # type: ignore[assignment]


class _Backwards(AttachmentPlanner):
    def _clash(self, name: str, files: Any, data: Any) -> Any:
        fair = super()._clash(name, files, data)
        loser = "crm" if fair.side == "outlook" else "outlook"  # the other side wins, the loss says not
        return type(fair)("copy", loser, name, files[loser][name], fair.losses)


class _BackwardsPlanner(Planner):
    attachment_planner_class = _Backwards


class DecidesAttachmentClashesBackwards(ReferenceEngine):
    """A file of one name added on both sides: copies the loser's bytes over the winner's, and
    reports the loss the other way round."""

    name = "decides-attachment-clashes-backwards"
    planner_class = _BackwardsPlanner


# -- pairing -------------------------------------------------------------------------------------


class _BusinessOnly(Planner):
    def _pairs(self, entity: str, item: Any) -> Any:
        return super()._pairs(entity, None)  # as if every contact's mailing address were Business


class IgnoresTheMailingAddress(ReferenceEngine):
    """Pairs CRM Address 1 with Outlook's Business address whatever the mailing address is."""

    name = "ignores-the-mailing-address"
    planner_class = _BusinessOnly


class _NoRevisits(Planner):
    def _forced_by_options(self) -> list[Link]:
        return []  # an option that reshapes the pairs changed: nothing revisited, the bug


class MissesOptionChanges(ReferenceEngine):
    """Does not revisit linked items when an option that reshapes them changes (the address option,
    attachment sync): they stay as they were until edited."""

    name = "misses-option-changes"
    planner_class = _NoRevisits


class _Amnesiac(Planner):
    def _copies_made_before(self) -> Callable[[str], str | None]:
        return lambda crm_id: None  # no look for a copy made before: the bug


class CopiesTwiceAfterALostResponse(ReferenceEngine):
    """Copies a CRM record to Outlook again when the first copy's response was lost, instead of
    finding the copy it made (stamped with the record's id)."""

    name = "copies-twice-after-a-lost-response"
    planner_class = _Amnesiac


class _KeepsGone(Planner):
    def _pair(self, link: Link, forced: bool) -> list[Any]:
        record, item = self.crm.peek(link.entity, link.crm_id), self.box.peek(link.entry_id)
        if record is not None and item is None:  # deleted in Outlook: ignored, the bug
            return [Notice(None, "skipped", link.entity, link.crm_id, link.entry_id, "gone from Outlook")]
        return super()._pair(link, forced)


class IgnoresOutlookDeletes(ReferenceEngine):
    """Does nothing when a tracked item is deleted in Outlook (the record and the link stay)."""

    name = "ignores-outlook-deletes"
    planner_class = _KeepsGone


class _NoRemovals(AttachmentPlanner):
    @staticmethod
    def _moves(side: Any, files: Any, agreed: Any) -> list[Any]:
        return [op for op in AttachmentPlanner._moves(side, files, agreed) if op.op != "remove"]


class _NoRemovalPlanner(Planner):
    attachment_planner_class = _NoRemovals


class NeverMirrorsRemovals(ReferenceEngine):
    """Copies attachments both ways but never removes one on the other side when it is removed."""

    name = "never-mirrors-removals"
    planner_class = _NoRemovalPlanner


class _Twice(Planner):
    def _create_in_crm(self, item: Any, entry_id: str, crm_id: str) -> list[Any]:
        """A record for a tracked item, and a second one no item will carry (a create sent twice,
        as a retry without an idempotency key does)."""
        actions = super()._create_in_crm(item, entry_id, crm_id)
        if actions:
            self.crm.create(crm_entity(item), {}, owner=self.user)
        return actions


class MakesTwoRecordsForOneItem(ReferenceEngine):
    """Makes two CRM records for a newly tracked item and links one: the other is left behind."""

    name = "makes-two-records-for-one-item"
    planner_class = _Twice


# -- what a field table, a security profile and a direction say ----------------------------------


class _Unshaped(Planner):
    """The field pairs without the administrator's directions, or the user's field security."""

    directions, security = True, True

    def _pairs(self, entity: str, item: Any) -> PairSet:
        pairs = mapping.pairs_for(entity, address_mode(self.options, self.guards), item)
        directions = self.context.field_directions if self.directions else {}
        access = self.context.field_access if self.security else {}
        return mapping.effective_pairs(entity, pairs, directions, access, self.guards.on)


class _NoDirections(_Unshaped):
    directions = False


class IgnoresFieldDirections(ReferenceEngine):
    """Syncs every field both ways, whatever direction the administrator set."""

    name = "ignores-field-directions"
    planner_class = _NoDirections


class _NoSecurity(_Unshaped):
    security = False


class IgnoresFieldSecurity(ReferenceEngine):
    """Syncs secured fields as if the user's profile granted everything."""

    name = "ignores-field-security"
    planner_class = _NoSecurity


class _OptionsOnly(Planner):
    def _forced_by_options(self) -> list[Link]:
        entities = reshaped(self.state.options_seen, self.options)
        return self.state.linked(entities) if entities else []


class MissesDirectionChanges(ReferenceEngine):
    """Looks at pairs again when an option changes, but not when a field's direction does."""

    name = "misses-direction-changes"
    planner_class = _OptionsOnly


class _WithoutAllDay(Planner):
    def _pairs(self, entity: str, item: Any) -> PairSet:
        pairs = super()._pairs(entity, item)
        return PairSet.of(tuple(p for p in pairs.pairs if p.crm != "isalldayevent"))


class DropsTheAllDayFlag(ReferenceEngine):
    """Syncs an appointment's times but not whether it lasts all day."""

    name = "drops-the-all-day-flag"
    planner_class = _WithoutAllDay


# -- values written otherwise than read ------------------------------------------------------------


class _Rewriting(Reconciler):
    """Writes each value through :meth:`rewrite` (the bug); reads values as they are."""

    @staticmethod
    def rewrite(name: str, value: Any) -> Any:
        return value

    def reconcile(self, link: Link, data: Any, pairs: PairSet, *, stale: bool = False) -> Any:
        plan = super().reconcile(link, data, pairs, stale=stale)
        for changes in plan.changes.values():
            changes.update({name: self.rewrite(name, value) for name, value in changes.items()})
        return plan


class _DropsOffsets(_Rewriting):
    @staticmethod
    def rewrite(name: str, value: Any) -> Any:  # the wall-clock time kept, its offset read as UTC
        return value.replace(tzinfo=UTC) if is_moment(type(value)) and value.utcoffset() else value


class _FoldsCase(_Rewriting):
    @staticmethod
    def rewrite(name: str, value: Any) -> Any:
        return value.lower() if isinstance(value, str) and "@" in value else value


class _Rewrites(Planner):
    reconciler_class: type[Reconciler] = Reconciler

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.reconciler = self.reconciler_class(self.guards, self.sides)


class _OffsetsDropped(_Rewrites):
    reconciler_class = _DropsOffsets


class DropsTimeZoneOffsets(ReferenceEngine):
    """Writes an updated time in the offset it was read in as if it were UTC (09:00+01:00 becomes
    09:00 UTC): a time written in another zone moves by its offset."""

    name = "drops-time-zone-offsets"
    planner_class = _OffsetsDropped


class _CaseFolded(_Rewrites):
    reconciler_class = _FoldsCase


class LowerCasesEmailAddresses(ReferenceEngine):
    """Writes e-mail addresses in lower case (addresses match without case, but the user's own
    spelling is a value like any other)."""

    name = "lower-cases-email-addresses"
    planner_class = _CaseFolded


# -- files, owners, deletes, assignees, watermarks --------------------------------------------------


class _RecurringFiles(AttachmentPlanner):
    def _attachment_facts(self, link: Link, data: Any, outlook: Any) -> Any:
        return replace(super()._attachment_facts(link, data, outlook), recurring=False)


class _RecurringFilesPlanner(Planner):
    attachment_planner_class = _RecurringFiles


class SyncsRecurringAttachments(ReferenceEngine):
    """Syncs the attachments of recurring series, which Microsoft's page says never sync."""

    name = "syncs-recurring-attachments"
    planner_class = _RecurringFilesPlanner


class _LowerNames(AttachmentPlanner):
    @staticmethod
    def _moves(side: Any, files: Any, agreed: Any) -> list[Any]:
        return [
            replace(op, name=op.name.lower()) if op.op == "copy" else op
            for op in AttachmentPlanner._moves(side, files, agreed)
        ]


class _LowerNamesPlanner(Planner):
    attachment_planner_class = _LowerNames


class LowerCasesFileNames(ReferenceEngine):
    """Copies a file under its name in lower case (Agenda.PDF arrives as agenda.pdf)."""

    name = "lower-cases-file-names"
    planner_class = _LowerNamesPlanner


class _StaysPut(Planner):
    def _left_filters(self, link: Link, record: Any, item: Any) -> bool:
        return False  # the bug: a record that left the user's filters keeps its copy


class KeepsCopiesThatLeftTheFilters(ReferenceEngine):
    """Leaves a copy in Outlook when its record no longer passes the user's filters (given to
    another owner, a contact deactivated)."""

    name = "keeps-copies-that-left-the-filters"
    planner_class = _StaysPut


class _ExactCase:
    def __init__(self, directory: Any) -> None:
        self._directory = directory

    def __getattr__(self, name: str) -> Any:
        return getattr(self._directory, name)

    def user_by_email(self, email: str) -> Any:
        found = self._directory.user_by_email(email)
        return found if found is not None and found.email == email else None


class _ExactCasePlanner(Planner):
    def __init__(self, context: Any, *args: Any) -> None:
        super().__init__(replace(context, directory=_ExactCase(context.directory)), *args)


class MatchesAddressesByCase(ReferenceEngine):
    """Finds the users a task is assigned to by their address as typed, case and all."""

    name = "matches-addresses-by-case"
    planner_class = _ExactCasePlanner


class SkipsTheFirstChange(ReferenceEngine):
    """Reads CRM's changes after the watermark, but one too far: the first change since is missed
    (``>`` where ``>=`` was meant)."""

    name = "skips-the-first-change"

    def crm_changes(self, context: Any, state: Any) -> list[tuple[str, str]]:
        return super().crm_changes(context, state)[1:]


class _ForgetsDormant(Planner):
    def _adopt(self, entity: str, record: Any, entry_id: str) -> Any:
        dormant = self.state.dormant.pop(entry_id, None)
        if dormant is None or dormant.crm_id != record[schema.entity(entity).primary_key]:
            return super()._adopt(entity, record, entry_id)
        # the bug: what was agreed before the untrack is gone; CRM as it is now counts as agreed
        self.claimed.add(entry_id)
        item = self.box.peek(entry_id) or {}
        agreed = {p.key: p.crm_value(record) for p in self._pairs(entity, item)}
        link = Link(entity, dormant.crm_id, entry_id, Agreed.of(agreed))
        return [self._update(link, record, item, "tracked again")]


class ForgetsWhatWasAgreedBeforeAnUntrack(ReferenceEngine):
    """Takes an item tracked again as a copy of CRM as it is now: an edit made in CRM while the
    item was untracked is overwritten by the Outlook value, unreported."""

    name = "forgets-what-was-agreed-before-an-untrack"
    planner_class = _ForgetsDormant


#: engine -> the invariants it may break first
FOUND_BY: dict[type[ReferenceEngine], tuple[str, ...]] = {
    IgnoresRetryAfter: ("retry-after",),
    TrustsRefusedWrites: ("convergence", "no-silent-loss", "no-duplicates"),
    ForgetsFaults: ("convergence", "outlook-delete"),
    GoesOnAfterFaults: ("convergence", "outlook-delete"),
    HidesConflictLosses: ("no-silent-loss",),
    HidesRemapLosses: ("no-silent-loss",),
    DecidesAttachmentClashesBackwards: ("no-silent-loss",),
    IgnoresTheMailingAddress: ("convergence", "no-silent-loss"),
    MissesOptionChanges: ("convergence",),
    CopiesTwiceAfterALostResponse: ("no-duplicates",),
    MakesTwoRecordsForOneItem: ("no-duplicates", "idempotency"),
    IgnoresFieldDirections: ("field-direction",),
    IgnoresFieldSecurity: ("field-direction",),
    MissesDirectionChanges: ("convergence",),
    DropsTheAllDayFlag: ("convergence",),
    DropsTimeZoneOffsets: ("convergence", "no-silent-loss", "idempotency"),
    LowerCasesEmailAddresses: ("convergence", "no-silent-loss", "idempotency"),
    SyncsRecurringAttachments: ("recurring-files",),
    LowerCasesFileNames: ("convergence", "idempotency"),
    KeepsCopiesThatLeftTheFilters: ("filter-leave",),
    MatchesAddressesByCase: ("task-assignee", "convergence"),  # (a task left with the wrong owner)
    SkipsTheFirstChange: ("convergence", "filter-leave"),
    ForgetsWhatWasAgreedBeforeAnUntrack: ("no-silent-loss",),
    IgnoresOutlookDeletes: ("outlook-delete",),
    NeverMirrorsRemovals: ("convergence",),
}
