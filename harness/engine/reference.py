"""The reference sync engine: plan a cycle, then execute it, every decision recorded as an event.

A cycle reads what changed on both sides since the user's last cycle, and the planner
(:mod:`syncsim.harness.engine.plan`) turns that into actions, asking the guard table
(:mod:`syncsim.harness.engine.guards`) wherever a documented rule stops or shapes one. The actions then run
one by one through the executor (:mod:`syncsim.harness.engine.execute`); a network fault ends the cycle
at that one boundary, with the watermarks left where they were, so the next cycle reads the same
changes again and the links written so far make that repeat harmless.

``disabled`` switches single rules off: the engine then does what its guard declares for that
case. It exists for the mutation check, which proves every rule has a scenario that notices.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import mapping, schema, speed
from .. import rules as R
from ..report import CycleReport
from ..sim.network import NetworkFault
from .actions import perform
from .execute import Executor
from .guards import Guards
from .plan import (
    Planner,
    address_mode,
    effective_options,
    field_rules,
    fields_reshaped,
    mailbox_stops,
    reshaped,
)
from .protocol import SyncContext
from .sides import Sides
from .state import Agreed, Link, UserState


class ReferenceEngine:
    name = "reference"
    #: who decides a cycle (a subclass may decide otherwise: tests/zoo.py)
    planner_class: type[Planner] = Planner

    def __init__(self, disabled: Iterable[str] = ()) -> None:
        self.guards = Guards(disabled)
        self._states: dict[str, UserState] = {}

    @property
    def disabled(self) -> frozenset[str]:
        return self.guards.disabled

    def state(self, systemuserid: str) -> UserState:
        """What this engine remembers of one user (links, watermarks); made on first use."""
        state = self._states.get(systemuserid)
        if state is None:
            state = self._states[systemuserid] = UserState(me=systemuserid)
        return state

    def executor(self, context: SyncContext, report: CycleReport) -> Executor:
        """The executor a cycle writes through (a hook: the naive engine reports no loss)."""
        return Executor(context, report, self.guards)

    def cycle(self, context: SyncContext, report: CycleReport) -> None:
        state = self.state(context.user.systemuserid)
        ex = self.executor(context, report)
        stops = mailbox_stops(context, self.guards)
        if stops:  # the mailbox does not sync: the alerts, nothing read or written
            perform(stops, ex, state, Sides(context.crm, context.mailbox), runs=False)
            ex.account_time()
            return
        options, notices = effective_options(context, self.guards)
        crm_changes = self.crm_changes(context, state)
        outlook_changes = list(context.mailbox.changed_since(state.outlook_watermark))
        planned = self.planner_class(context, state, self.guards, options).plan(crm_changes, outlook_changes)
        sides = Sides(context.crm, context.mailbox)
        try:
            perform(notices, ex, state, sides, runs=False)
            perform(planned, ex, state, sides, runs=speed.on())
        except NetworkFault as fault:
            ex.event(None, "warning", "-", detail=f"cycle ended by a network fault: {fault}")
            report.failed.add(context.user.name)
            # links revisited under these options remember pairs shaped by them, while the options
            # seen stay those of the last clean cycle: the next cycle revisits them, whatever the
            # options are by then (set back, a revisit is all that tells it the memory moved)
            reshaped_now = reshaped(state.options_seen, options) + fields_reshaped(
                state.fields_seen, field_rules(context)
            )
            if reshaped_now:
                state.revisit.update(link.crm_id for link in state.linked(reshaped_now))
            if state.options_seen is None:  # no clean cycle yet: every link was shaped by these
                state.options_seen, state.fields_seen = options, field_rules(context)
        else:
            state.crm_watermark = context.crm.changes.seq
            state.outlook_watermark = context.mailbox.changes.seq
            state.options_seen = options
            state.fields_seen = field_rules(context)
            state.filter_version_seen = context.filter_version
            state.revisit.clear()
        ex.account_time()

    def crm_changes(self, context: SyncContext, state: UserState) -> list[tuple[str, str]]:
        """The CRM records to look at: those changed since the user's watermark. When every
        filter of the user takes only records the user owns, the changes of the user's own
        records, and of the linked records someone else owns that changed since: a cycle's cost
        follows the user's own changes, not the whole organization's."""
        since = state.crm_watermark
        if not self._owned_only(context):
            return list(context.crm.changed_since(since))
        changes = list(context.crm.changed_since(since, owner=state.me))
        for crm_id in sorted(state.foreign):
            link = state.by_crm[crm_id]
            record = context.crm.peek(link.entity, crm_id)
            if record is None or record["versionnumber"] > since:
                changes.append((link.entity, crm_id))
        return changes

    def _owned_only(self, context: SyncContext) -> bool:
        """Whether the user's filters, with the filter rules as they stand, take only records
        the user owns (a filter change is read in full by the planner itself)."""
        rules = (R.FILTER_DEFAULT, R.FILTER_NONE, R.FILTER_UNION)
        if not all(self.guards.on(rule) for rule in rules):
            return False
        for entity in schema.CRM_ENTITIES:
            filters = context.filters(entity)
            if not filters or not all(f.owner_only for f in filters):
                return False
        return True

    def link(self, context: SyncContext, entity: str, crm_id: str, entry_id: str) -> None:
        """Take a CRM record and an Outlook item (stamped with its id) as an earlier sync left them.

        Each mapped field counts as last synced with Outlook's value: where CRM differs, that
        reads as a CRM edit not yet synced, so CRM (where the source document advises keeping the
        full data) leads on the next cycle. The watermarks move past the data loaded so far.
        """
        self.link_run(context, entity, [(crm_id, entry_id)])

    def link_run(self, context: SyncContext, entity: str, pairs: list[tuple[str, str]]) -> None:
        """:meth:`link` for many pairs of one entity (an export of a hundred thousand)."""
        state = self.state(context.user.systemuserid)
        options, _ = effective_options(context, self.guards)
        mode = address_mode(options, self.guards)
        crm, box = context.crm, context.mailbox
        links: list[Link] = []
        revisit: list[str] = []
        for crm_id, entry_id in pairs:
            record, item = crm.peek(entity, crm_id), box.peek(entry_id)
            if record is None or item is None:
                raise ValueError(f"cannot link {entity} {crm_id} to {entry_id}: one side is missing")
            field_pairs = mapping.pairs_for(entity, mode, item)
            agreed = field_pairs.values(schema.OUTLOOK, item)
            version, owner = record["versionnumber"], str(record["ownerid"])
            memory = Agreed(field_pairs.index, agreed)
            links.append(Link(entity, crm_id, entry_id, memory, version, box.version(entry_id), owner, "crm"))
            if agreed != field_pairs.values(schema.CRM, record):
                revisit.append(crm_id)
        state.add_run(links)
        state.revisit.update(revisit)
        state.crm_watermark, state.outlook_watermark = crm.changes.seq, box.changes.seq
        state.options_seen = options
        state.fields_seen = field_rules(context)
        state.filter_version_seen = context.filter_version
