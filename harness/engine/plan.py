"""The planner: what one cycle for one user will do, decided before anything is written.

It reads what changed on both sides since the user's last cycle, the link table and the
Synchronization options, asks the guard table at each stage, and yields actions
(:mod:`syncsim.harness.engine.actions`). It writes nothing. The field part of an update is
planned by :mod:`syncsim.harness.engine.reconcile`, the attachment part by
:mod:`syncsim.harness.engine.attachments`, what a delete does by :mod:`syncsim.harness.engine.deletes`,
who owns an assigned task by :mod:`syncsim.harness.engine.tasks`; all of them written once over the
two sides (:mod:`syncsim.harness.engine.sides`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain, starmap
from typing import Any, NamedTuple

from .. import interpretations, mapping, schema
from .. import rules as R
from ..filters import DEFAULTS
from ..mapping import PairSet
from ..model import User
from ..settings import ALL_THREE, MAILING_ONLY, Options
from ..stores.outlook import kind_of
from .actions import (
    Action,
    CopyToOutlook,
    CreateInCrm,
    CreateInOutlook,
    Files,
    IgnoreCopy,
    Notice,
    Unlink,
    UpdatePair,
)
from .attachments import AttachmentPlanner
from .copies import OutlookCopier
from .deletes import Deletes
from .execute import LossSpec
from .guards import Guards, MailboxFacts, TaskFacts
from .protocol import SyncContext
from .reconcile import Reconciler
from .sides import Sides
from .state import Agreed, FieldRules, Link, UserState
from .tasks import TaskOwnership

_ABSENT = object()
#: Namespace of the CRM ids the engine gives records it creates from Outlook items.
_IDS = uuid.UUID("7d1c0a52-5f0e-4a55-9a8c-2b1f0c9e6a11")
Data = Mapping[str, Any]


def _owned(record: Data, userid: str) -> bool:
    """The record is the user's own."""
    return bool(record.get("ownerid") == userid)


def effective_options(context: SyncContext, guards: Guards) -> tuple[Options, list[Notice]]:
    """The tab's options as they act for this user (CLIENT-LATEST: an old client gets defaults)."""
    user = context.user
    if not user.outdated_client() or not guards.on(R.CLIENT_LATEST):
        return context.options, []
    warning = Notice(
        R.CLIENT_LATEST,
        "warning",
        "-",
        detail=f"CRM for Outlook {user.client_version} is older than "
        f"{interpretations.ORGANIZATION_VERSION}; the Synchronization options act at their defaults "
        "for this user",
    )
    return Options(), [warning]


def mailbox_stops(context: SyncContext, guards: Guards) -> list[Notice]:
    """Why this cycle syncs nothing for the user's mailbox (MAILBOX-ACT-READY: not approved, not
    set to server-side sync, not tested and enabled; MAILBOX-QUEUE-NO-ACT: a queue's), as the
    alerts the cycle records; empty when the mailbox syncs."""
    facts = MailboxFacts(context.user, context.options, context.mailbox_row)
    return [
        Notice(rule, "warning", "-", detail=f"nothing synced: {reason}")
        for rule, reason in guards.stops("mailbox", facts)
    ]


class Planner:
    """Decides one cycle for one user."""

    #: who plans the attachment part of a pair's work
    attachment_planner_class: type[AttachmentPlanner] = AttachmentPlanner

    def __init__(self, context: SyncContext, state: UserState, guards: Guards, options: Options) -> None:
        self.context = context
        self.user: User = context.user
        self.state = state
        self.guards = guards
        self.options = options
        self.sides = Sides(context.crm, context.mailbox)
        self.crm, self.box = context.crm, context.mailbox
        self.me = self.user.systemuserid
        self.claimed: set[str] = set()
        self._entities: dict[str, _NewRecords] = {}
        self._reach: dict[str, Callable[[Data, str], bool]] = {}
        #: the pairs as they sync for this user, by the entity's pairs (effective_pairs, once a cycle)
        self._effective: dict[PairSet, PairSet] = {}
        self._copiers: dict[str, OutlookCopier] = {}
        self.reconciler = Reconciler(guards, self.sides)
        self.attachments = self.attachment_planner_class(context, guards, options, self.sides)
        self.deletes = Deletes(context, guards, self._pairs)
        self.tasks = TaskOwnership(context, guards, options, self.deletes)

    # -- the cycle -----------------------------------------------------------------------------

    def plan(self, crm_changes: list[tuple[str, str]], outlook_changes: list[str]) -> Iterator[Action]:
        """Every action of the cycle: linked pairs to visit first, then new records, then new items.

        Lazy, as vdirsyncer's ``_get_actions``: each action is decided as it is asked for, before
        it is run, and a cycle over a hundred thousand records never holds them all at once. The
        actions of one cycle concern distinct items, so deciding the next after running the last
        is the same decision; what is visited, and what counts as new, is settled here, first."""
        visits: dict[str, tuple[Link, bool]] = {}
        for link in self._forced_by_options() + self._revisits():
            visits[link.crm_id] = (link, True)
        if self._filters_changed():  # every record may have entered or left the user's filters
            visits.update(
                (link.crm_id, (link, True)) for link in self.state.by_crm.values() if link.origin == "crm"
            )
            crm_changes = [*crm_changes, *((e, i) for e in schema.CRM_ENTITIES for i in self.crm.ids(e))]
        new_records = self._unlinked(crm_changes, visits)
        new_items: list[str] = []
        for entry_id in outlook_changes:
            known = self.state.by_entry.get(entry_id)
            if known is not None:
                visits.setdefault(known.crm_id, (known, False))
            else:
                new_items.append(entry_id)
        copies = [entry_id for entry_id in new_items if self._a_copy(entry_id)]  # (while links stand)
        for link, _ in visits.values():
            self.claimed |= {link.crm_id, link.entry_id}
        return chain(
            chain.from_iterable(map(self._copied, copies)),  # first: they write nothing, or no pair's
            chain.from_iterable(starmap(self._pair, visits.values())),
            self._new_records(new_records),
            chain.from_iterable(map(self._new_item, new_items)),
        )

    def _unlinked(
        self, crm_changes: list[tuple[str, str]], visits: dict[str, tuple[Link, bool]]
    ) -> list[tuple[str, str]]:
        """The changes of records with no link, in order; a linked record's change goes to
        ``visits`` (unless it is there already)."""
        by_crm = self.state.by_crm
        if not by_crm:  # nothing linked yet (the initial cycle): each change is a new record
            return crm_changes
        new_records = []
        for change in crm_changes:  # (entity, CRM id), kept as the log holds it: no new tuple
            known = by_crm.get(change[1])
            if known is not None:
                visits.setdefault(change[1], (known, False))
            else:
                new_records.append(change)
        return new_records

    def _forced_by_options(self) -> list[Link]:
        """Linked items to revisit because an option, a field's direction or the user's field
        security, all of which shape their pairs, changed."""
        entities = reshaped(self.state.options_seen, self.options) + fields_reshaped(
            self.state.fields_seen, field_rules(self.context)
        )
        return self.state.linked(entities) if entities else []  # no scan of every link on a quiet cycle

    def _filters_changed(self) -> bool:
        seen = self.state.filter_version_seen
        return seen is not None and seen != self.context.filter_version

    def _revisits(self) -> list[Link]:
        return [self.state.by_crm[i] for i in sorted(self.state.revisit) if i in self.state.by_crm]

    # -- linked pairs --------------------------------------------------------------------------

    def _pair(self, link: Link, forced: bool) -> list[Action]:
        record, item = self.crm.peek(link.entity, link.crm_id), self.box.peek(link.entry_id)
        if record is None:
            return [self.deletes.deleted_in_crm(link, item)]
        if item is None or not self.box.is_tracked(link.entry_id):
            return [self.deletes.gone_from_outlook(link, record, item)]
        if self._left_filters(link, record, item):
            losses = self.deletes.unsynced(link, schema.OUTLOOK, item, R.FILTER_LEAVE)
            detail = "no longer passes the user's sync filters: removed from Outlook"
            return [Unlink(link, detail, "delete", rule=R.FILTER_LEAVE, losses=losses)]
        unchanged = (
            record["versionnumber"] == link.crm_version
            and self.box.version(link.entry_id) == link.outlook_version
        )
        if unchanged and not forced:
            return []
        if link.entity == "task":
            assigned = self.tasks.actions(link, record, item, lambda: self._update(link, record, item))
            if assigned is not None:
                return assigned
        update = self._update(link, record, item)
        changes = update.fields.changes[schema.CRM]
        if self._leaves_with(link, record, item, changes):
            updated = {**record, **changes}
            losses = self.deletes.unsynced(link, schema.OUTLOOK, item, R.FILTER_LEAVE, other=updated)
            detail = "no longer passes the user's sync filters once updated: removed from Outlook"
            return [update, Unlink(link, detail, "delete", rule=R.FILTER_LEAVE, losses=losses)]
        return [update]

    def _update(
        self, link: Link, record: Data, item: Data, note: str | None = None, *, stale: bool = False
    ) -> UpdatePair:
        data: dict[schema.Side, Data] = {schema.CRM: record, schema.OUTLOOK: item}
        pairs = self._pairs(link.entity, item)
        if self._closed_keeps_crm(link.entity, record):
            pairs = mapping.from_crm_only(pairs, R.APPT_CLOSED_KEEPS_CRM)
        fields = self.reconciler.reconcile(link, data, pairs, stale=stale or link.stale)
        files = self.attachments.plan(link, data) if link.entity in schema.APPOINTMENT_ENTITIES else Files()
        pair = UpdatePair(link, fields, files, note)
        if self._completes(link.entity, record, item):
            fields.changes[schema.OUTLOOK]["Complete"] = True
            pair.done = (R.TASK_ACTUALEND_COMPLETES, "its actual end has passed: completed in Exchange")
        categories = self._categories(link.entity, record, item)
        if categories is not None:
            fields.changes[schema.OUTLOOK]["Categories"] = categories
            detail = f"{_state_word(record)} in CRM: Categories {categories or '(none)'}"
            pair.done = (R.CONTACT_INACTIVE, detail)
        return pair

    def _closed_keeps_crm(self, entity: str, record: Data) -> bool:
        """A Completed or Canceled meeting of a d365 organization's server-side user: Exchange's
        changes do not reach Dynamics (APPT-CLOSED-KEEPS-CRM, N30)."""
        return (
            mapping.closed_appointment(entity, record)
            and self.user.channel == R.SERVER_SIDE
            and self.options.profile == R.D365
            and self.guards.on(R.APPT_CLOSED_KEEPS_CRM)
        )

    def _categories(self, entity: str, record: Data, item: Data) -> str | None:
        """Outlook's Categories with the Inactive one added or removed as the contact's state asks,
        or None when they already agree (CONTACT-INACTIVE)."""
        if entity != "contact" or not self.guards.on(R.CONTACT_INACTIVE):
            return None
        if not _inactive(record) and not item.get("Categories"):
            return None  # the common case: an active contact with no category
        present = [c.strip() for c in str(item.get("Categories") or "").split(",") if c.strip()]
        wanted = [c for c in present if c != INACTIVE_CATEGORY]
        if _inactive(record):
            wanted.append(INACTIVE_CATEGORY)
        return ", ".join(wanted) if wanted != present else None

    def _left_filters(self, link: Link, record: Data, item: Data) -> bool:
        """A copy made from CRM whose record no longer passes the filters (FILTER-LEAVE), asked at
        every visit: a record sync itself changed may have left them (a cycle that ended before
        its copy went). The assigner's copy of a task sent on stays: the assigner keeps an
        updated copy (TT)."""
        if link.origin != "crm" or not self.guards.on(R.FILTER_LEAVE) or item.get("Ownership") == "delegated":
            return False
        return not self._reaches(link.entity, record)

    def _leaves_with(self, link: Link, record: Data, item: Data, changes: Mapping[str, Any]) -> bool:
        """Whether a copy made from CRM leaves the user's filters through the cycle's own update
        of its record (FILTER-LEAVE): an Outlook edit that takes the record out of them is known
        now, and no later cycle would look at a record only sync itself has changed since."""
        if not changes or link.origin != "crm" or not self.guards.on(R.FILTER_LEAVE):
            return False
        return item.get("Ownership") != "delegated" and not self._reaches(link.entity, {**record, **changes})

    def _reaches(self, entity: str, record: Data) -> bool:
        """Whether a CRM record passes the user's sync filters (the documented filter rules)."""
        return self._passes(entity)(record, self.user.systemuserid)

    def _passes(self, entity: str) -> Callable[[Data, str], bool]:
        """The test of a record and the user that :meth:`_reaches` asks, made once a cycle per
        entity (filters do not change during one): a loop over many records calls it directly."""
        test = self._reach.get(entity)
        if test is None:
            test = self._reach[entity] = self._reach_test(entity)
        return test

    def _reach_test(self, entity: str) -> Callable[[Data, str], bool]:
        """The filters' tests as one: the one filter's own test when it takes only the user's
        records (the default filters; its test checks the owner), else any of them passing, the
        owner checked first when every filter takes only the user's own."""
        filters = self.context.filters(entity)
        tests: tuple[Callable[[Data, str], bool], ...]
        if not filters:
            tests = () if self.guards.on(R.FILTER_NONE) else (_owned,)
        else:
            if not self.guards.on(R.FILTER_UNION):
                filters = filters[:1]
            default_rule = self.guards.on(R.FILTER_DEFAULT)
            tests = tuple(
                _owned if f is DEFAULTS.get(entity) and not default_rule else f.test for f in filters
            )
        owner_only = all(f.owner_only for f in filters) if filters else True
        if owner_only and len(tests) == 1:
            return tests[0]

        def passes(record: Data, userid: str) -> bool:
            if owner_only and record.get("ownerid") != userid:
                return False  # the common case in every other user's cycle: not theirs, no look further
            return any(test(record, userid) for test in tests)

        return passes

    # -- new records and items -----------------------------------------------------------------

    def _new_records(self, new_records: list[tuple[str, str]]) -> Iterator[Action]:
        """The actions for CRM records with no link, in order, each decided by :meth:`_new_record`
        (which may decide on none)."""
        return chain.from_iterable(starmap(self._new_record, new_records))

    def _new_record(self, entity: str, crm_id: str) -> Sequence[Action]:
        """What to do with a CRM record that has no link: nothing (gone, claimed already, or
        outside the user's filters), adopt the copy stamped with its id, or copy it to the owner's
        Outlook. The one decision for every new record of every entity."""
        new = self._entities.get(entity) or self._facts_of(entity)
        records, passes, copier, builds, made_before, attachments = new
        record = records.get(crm_id)
        if record is None or crm_id in self.claimed:
            return ()
        if not passes(record, self.me):
            return self._left_behind(entity, crm_id, made_before) if self.state.pending else ()
        self.claimed.add(crm_id)
        existing = made_before(crm_id) if made_before is not None else None
        if existing in self.state.ignored_copies:
            existing = None  # the user's copy of the item the record had (COPY-IGNORED): never adopted
        if self.state.pending and (gone := self._made_for_an_item_gone(entity, record, existing)):
            return gone
        if existing is not None:
            if existing in self.claimed or not self.box.is_tracked(existing):
                return ()
            return self._adopt(entity, record, existing)
        build = builds.get(tuple(record))  # (copier.copy, without a call: the hot path; speed.py)
        made = build(record, crm_id) if build is not None else None
        properties, synced = made if made is not None else copier.copy(record, crm_id)
        if record.get("statecode") or entity == "task":  # a deactivated contact's, or a task's
            self._dress(entity, record, properties)
        if attachments:
            link = Link(entity, crm_id, "")
            files = self.attachments.plan(link, {schema.CRM: record, schema.OUTLOOK: {}}, new=schema.OUTLOOK)
            if not files.empty:
                return (CreateInOutlook(entity, crm_id, synced, files, properties, record["ownerid"]),)
        return (
            CopyToOutlook((entity, crm_id, synced, properties, record["versionnumber"], record["ownerid"])),
        )

    def _made_for_an_item_gone(self, entity: str, record: Data, existing: str | None) -> Sequence[Action]:
        """A record a cycle made for a tracked Outlook item before the confirmation was lost,
        when the item has been deleted or untracked since: decided as for a linked pair whose
        item went (the delete and untrack rules), never copied back to Outlook."""
        crm_id = record[schema.entity(entity).primary_key]
        pending = self.state.pending.get(crm_id)
        if pending is None or pending.origin != "outlook" or existing not in (None, pending.entry_id):
            return ()
        item = self.box.peek(pending.entry_id)
        if item is not None and self.box.is_tracked(pending.entry_id):
            return ()  # still tracked: adopted as usual
        self.claimed.add(pending.entry_id)
        return (self.deletes.gone_from_outlook(pending.link(entity, crm_id), record, item),)

    def _left_behind(
        self, entity: str, crm_id: str, made_before: Callable[[str], str | None] | None
    ) -> Sequence[Action]:
        """The copy a cycle made of a record before the confirmation was lost, when the record
        has left the user's filters since: it goes, as a linked copy would (FILTER-LEAVE)."""
        pending = self.state.pending.get(crm_id)
        if pending is None or pending.origin != "crm" or made_before is None:
            return ()
        entry_id = made_before(crm_id)
        if entry_id is None or entry_id in self.claimed or not self.guards.on(R.FILTER_LEAVE):
            return ()
        item = self.box.peek(entry_id)
        if item is None or not self.box.is_tracked(entry_id):
            return ()
        self.claimed |= {crm_id, entry_id}
        link = pending.link(entity, crm_id, entry_id)
        losses = self.deletes.unsynced(link, schema.OUTLOOK, item, R.FILTER_LEAVE)
        detail = (
            "made by an interrupted cycle, and no longer passes the user's sync filters: removed from Outlook"
        )
        return (Unlink(link, detail, "delete", rule=R.FILTER_LEAVE, losses=losses),)

    def _facts_of(self, entity: str) -> _NewRecords:
        """What every new record of an entity needs, looked up once a cycle."""
        facts = self._entities.get(entity)
        if facts is None:
            copier = self._copier(entity)
            facts = self._entities[entity] = _NewRecords(
                self.crm.records(entity),
                self._passes(entity),
                copier,
                copier.builds,
                self._copies_made_before(),
                entity in schema.APPOINTMENT_ENTITIES,
            )
        return facts

    def _copies_made_before(self) -> Callable[[str], str | None] | None:
        """How to find a copy made before of a record: the EntryID of the item stamped with its
        id (made by a cycle whose confirmation was lost, or untracked since), or None. None when
        no item is stamped (the initial cycle: no look a record); the items this cycle stamps
        are copies of records it has claimed already."""
        stamped = self.box.stamped()
        return stamped.get if stamped else None

    def _dress(self, entity: str, record: Data, properties: dict[str, Any]) -> None:
        """What a new copy carries besides its fields: a deactivated contact's Inactive category,
        an assigned task's assigner."""
        if entity == "contact":
            if record.get("statecode"):  # (inactive) an active contact gets no category, the common case
                categories = self._categories(entity, record, {})
                if categories:
                    properties["Categories"] = categories
        elif mapping.OUTLOOK_KIND[entity] == "task":
            if self._completes(entity, record, {}):
                properties["Complete"] = True
            if record.get("createdby") == record.get("ownerid"):
                return
            creator = self.context.directory.user_by_id(str(record.get("createdby") or ""))
            if creator is not None and creator is not self.user:  # a task assigned to this user
                properties.update(Delegator=creator.email, Ownership="own")

    def _completes(self, entity: str, record: Data, item: Data) -> bool:
        """A task whose actual end is set and past, not yet Complete in Exchange: server-side sync
        completes it there (TASK-ACTUALEND-COMPLETES, N46; a d365 organization's server-side user)."""
        end = record.get("actualend")
        return (
            entity == "task"
            and end is not None
            and end < self.context.now()
            and not item.get("Complete")
            and self.user.channel == R.SERVER_SIDE
            and self.options.profile == R.D365
            and self.guards.on(R.TASK_ACTUALEND_COMPLETES)
        )

    def _adopt(self, entity: str, record: Data, entry_id: str) -> list[Action]:
        """Link a record and a tracked item stamped with its id, then sync them as usual (a task
        sent, passed on or declined meanwhile as the assigned-task rules say).

        An item tracked again resumes its dormant link: what both sides last agreed on, so edits
        made on both sides meanwhile meet as a conflict. A pair made by a create whose
        confirmation was lost takes what that create wrote as agreed. An item nothing was noted
        of (its link gone before a cycle saw it, another engine's copy) agrees on nothing: fields
        that differ meet as a conflict, the side changed last winning, the other value reported.
        """
        self.claimed.add(entry_id)
        crm_id = record[schema.entity(entity).primary_key]
        item = self.box.peek(entry_id) or {}
        dormant = self.state.dormant.get(entry_id)
        pending = self.state.pending.get(crm_id)
        stale = False
        note = "linked to the copy an interrupted cycle made"
        if dormant is not None and dormant.crm_id == crm_id:
            # the record edited while untracked: the memory may be stale, differing fields conflict
            link, stale = dormant, record["versionnumber"] != dormant.crm_version
            note = "tracked again; resumes from the last agreed values"
        elif pending is None:  # nothing noted (another engine's copy, an item whose link went
            # before a cycle saw it): no value is known agreed, so fields that differ conflict
            agreed = {p.key: p.crm_value(record) for p in self._pairs(entity, item)}
            link, stale = Link(entity, crm_id, entry_id, Agreed.of(agreed)), True
            note = "linked to an item stamped with its id, unknown to this engine; differing fields conflict"
        else:  # a copy made from CRM leaves with the filters (FILTER-LEAVE); one made from Outlook stays
            link = pending.link(entity, crm_id, entry_id)

        def update() -> UpdatePair:
            return self._update(link, record, item, note, stale=stale)

        assigned = self.tasks.actions(link, record, item, update) if entity == "task" else None
        return assigned if assigned is not None else [update()]

    def _new_item(self, entry_id: str) -> list[Action]:
        """A tracked Outlook item with no link: resume a dormant link, find its record, or make one."""
        item = self.box.peek(entry_id)
        if item is None or not self.box.is_tracked(entry_id) or entry_id in self.claimed:
            return []
        crm_id = item.get(schema.CRM_ID) or self._own_id(entry_id)
        found = self.crm.find(crm_id)
        if found is not None:
            return [] if crm_id in self.claimed else self._adopt(found[0], found[1], entry_id)
        self.claimed.add(entry_id)
        pending = self.state.pending.get(crm_id)
        if pending is not None and pending.origin == "crm":
            # a copy made from a record before the confirmation was lost, the record deleted since:
            # decided as for a linked pair (the delete rules), never made again from the copy
            return [self.deletes.deleted_in_crm(pending.link(crm_entity(item), crm_id, entry_id), item)]
        return self._create_in_crm(item, entry_id, crm_id)

    def _a_copy(self, entry_id: str) -> bool:
        """Whether a new tracked item is a copy the user made in Outlook of a linked item (its CRM
        properties and all): it carries the id of a record linked to another item, or it was
        told a copy before (ignored, or its own record's create noted); with no link for its id,
        no dormant link and no lost create of its own, it carries the id of an item still there
        (stamped earlier: tracked or not, the later one is the copy) or of a copy ignored before.
        Asked before the cycle's
        visits, while the links stand (the original may go in this very cycle)."""
        item = self.box.peek(entry_id)
        if item is None or not self.box.is_tracked(entry_id) or not item.get(schema.CRM_ID):
            return False
        own_id = self._own_id(entry_id)
        if entry_id in self.state.ignored_copies or (
            item[schema.CRM_ID] != own_id and own_id in self.state.pending
        ):
            return True
        link = self.state.by_crm.get(item[schema.CRM_ID])
        if link is not None:
            return link.entry_id != entry_id  # (the original there still, or deleted)
        if entry_id in self.state.dormant:
            return False  # tracked again: its own dormant link
        pending = self.state.pending.get(item[schema.CRM_ID])
        if pending is not None and (pending.origin == "crm" or pending.entry_id == entry_id):
            return False  # made by a cycle whose confirmation was lost (or its item's record)
        first = self.box.find_crm_id(item[schema.CRM_ID])  # (the first item stamped with the id)
        if first is not None and first != entry_id:
            return True  # a later item with the stamp of one still there, tracked or not: its copy
        return self._stamp_of_an_ignored_copy(item[schema.CRM_ID])

    def _stamp_of_an_ignored_copy(self, crm_id: str) -> bool:
        """Whether a copy ignored before carries this stamp: a new item with it (its original's
        link gone since) is a copy of that copy, never the record's own item."""
        return any((self.box.peek(e) or {}).get(schema.CRM_ID) == crm_id for e in self.state.ignored_copies)

    def _own_id(self, entry_id: str) -> str:
        """The CRM id of the record made for an item of this user's Outlook that has none."""
        return str(uuid.uuid5(_IDS, f"{self.user.systemuserid}:{entry_id}"))

    def _copied(self, entry_id: str) -> list[Action]:
        """A copy of a linked item: ignored for a server-side user while the organization's
        IgnoreCopiedItemsInSSSForMailbox is on (COPY-IGNORED), so no duplicate reaches CRM and the
        original keeps its link, from then on; otherwise (CRM for Outlook, the setting off, the
        rule switched off) a record of its own, its stale id stamp replaced. Never the original's
        link."""
        self.claimed.add(entry_id)
        item = self.box.peek(entry_id) or {}
        if entry_id in self.state.ignored_copies:
            return []
        ignored = (
            self.user.channel == R.SERVER_SIDE
            and self.options.ignore_copied_items_in_sss_for_mailbox
            and self.guards.on(R.COPY_IGNORED)
        )
        if ignored:
            why = "a copy of a linked item made in Exchange: ignored (IgnoreCopiedItemsInSSSForMailbox)"
            return [
                IgnoreCopy(R.COPY_IGNORED, "skipped", crm_entity(item), item[schema.CRM_ID], entry_id, why)
            ]
        own_id = self._own_id(entry_id)
        found = self.crm.find(own_id)  # made already, its confirmation lost: adopted as such
        return (
            self._adopt(found[0], found[1], entry_id)
            if found
            else self._create_in_crm(item, entry_id, own_id)
        )

    def _create_in_crm(self, item: Data, entry_id: str, crm_id: str) -> list[Action]:
        entity = crm_entity(item)
        owner, notices = self._owner(entity, item)
        if owner is None:
            return notices
        pairs = self._pairs(entity, item)
        fields, reverts = _crm_fields(pairs, item)
        synced = {pair.key: fields.get(pair.crm) for pair in pairs}
        files = Files()
        if entity in schema.APPOINTMENT_ENTITIES:
            link = Link(entity, crm_id, entry_id)
            files = self.attachments.plan(link, {schema.CRM: {}, schema.OUTLOOK: item}, new=schema.CRM)
        assigned = owner is not self.user
        rule = R.TASK_ASSIGNED_ON if assigned else None
        detail = "created in CRM" + (f", owned by {owner.name}" if assigned else "")
        stamp = item.get(schema.CRM_ID) != crm_id
        create = CreateInCrm(entity, crm_id, synced, files, entry_id, owner.systemuserid, fields, stamp)
        create.rule, create.detail, create.creator_id = rule, detail, self.user.systemuserid
        create.reverts, create.revert_losses = reverts
        return [create]

    def _owner(self, entity: str, item: Data) -> tuple[User | None, list[Action]]:
        """Who owns the CRM record of a new tracked item; None (with why) when a rule keeps it out."""
        if entity != "task":
            return self.user, []
        recipients = tuple(item.get("Recipients") or ())
        directory = self.context.directory
        facts = TaskFacts(
            self.user,
            self.options,
            bool(item.get("IsRecurring")),
            recipients,
            tuple(directory.user_by_email(address) for address in recipients),
        )
        stops = self.guards.stops("task", facts)
        if stops:
            return None, [Notice(rule, "skipped", entity, None, item["EntryID"], why) for rule, why in stops]
        if not recipients:
            return self.user, []
        if self.options.sync_assigned_tasks and not self.guards.on(R.TASK_ASSIGNED_ON):
            return None, []
        assignee = facts.assignees[0]
        same_org = assignee is not None and assignee.organization == self.user.organization
        return (assignee if same_org else self.user), []

    # -- mapping -------------------------------------------------------------------------------

    def _copier(self, entity: str) -> OutlookCopier:
        """How records of an entity are copied to Outlook, made on first use in a cycle (the pairs
        do not change during one)."""
        copier = self._copiers.get(entity)
        if copier is None:
            copier = OutlookCopier(self._pairs(entity, None), _COPY_EXTRAS.get(entity))
            self._copiers[entity] = copier
        return copier

    def _pairs(self, entity: str, item: Data | None) -> PairSet:
        """The field pairs that sync for this user (``mapping.effective_pairs``: the rules
        switched off, the administrator's field directions, the user's field security)."""
        pairs = mapping.pairs_for(entity, address_mode(self.options, self.guards), item)
        made = self._effective.get(pairs)
        if made is None:
            context = self.context
            made = self._effective[pairs] = mapping.effective_pairs(
                entity, pairs, context.field_directions, context.field_access, self.guards.on
            )
        return made


class _NewRecords(NamedTuple):
    """What every new record of one entity needs in a cycle."""

    records: Mapping[str, Data]
    passes: Callable[[Data, str], bool]
    copier: OutlookCopier
    #: the copier's function by key order (``OutlookCopier.builds``; empty with the fast paths off)
    builds: Mapping[tuple[str, ...], Callable[[Data, str], tuple[dict[str, Any], Agreed] | None] | None]
    made_before: Callable[[str], str | None] | None
    #: whether the entity's copies may carry attachments
    attachments: bool


def reshaped(seen: Options | None, options: Options) -> tuple[str, ...]:
    """The entities whose linked pairs sync otherwise under ``options`` than under ``seen`` (the
    options of the last clean cycle; none on the first cycle)."""
    if seen is None:
        return ()
    entities: tuple[str, ...] = ()
    if seen.contact_address_sync != options.contact_address_sync:
        entities += ("contact",)
    if seen.sync_appointment_attachments != options.sync_appointment_attachments:
        entities += schema.APPOINTMENT_ENTITIES
    return entities


def field_rules(context: SyncContext) -> FieldRules:
    """The field directions and the user's field security as this cycle sees them."""
    return (dict(context.field_directions), dict(context.field_access))


def fields_reshaped(seen: FieldRules | None, now: FieldRules) -> tuple[str, ...]:
    """The entities with a field whose direction or security differs between ``seen`` (the last
    clean cycle's; none on the first cycle) and ``now``: their linked pairs are looked at again
    (a field turned two-way again has values its sides held apart meanwhile)."""
    if seen is None:
        return ()
    changed = {
        key
        for before, after in zip(seen, now, strict=True)
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }
    return tuple(sorted({entity for entity, _ in changed}))


def _crm_fields(
    pairs: PairSet, item: Data
) -> tuple[dict[str, Any], tuple[dict[str, Any], tuple[LossSpec, ...]]]:
    """A new tracked item's values for its CRM record, and the Outlook values field security takes
    back at once (FIELD-SECURITY-UPDATE: the user may not write them to CRM), with their losses."""
    fields: dict[str, Any] = {}
    reverts: dict[str, Any] = {}
    losses: list[LossSpec] = []
    for pair in pairs:
        value = pair.outlook_value(item)
        if value is None:
            continue
        if pair.flows_from(schema.OUTLOOK):
            fields[pair.crm] = value
        elif pair.rule == R.FIELD_SECURITY_UPDATE:
            pair.put(schema.OUTLOOK, reverts, item, None)
            losses.append(LossSpec(schema.OUTLOOK, pair.outlook, value, None, R.FIELD_SECURITY_UPDATE))
    return fields, (reverts, tuple(losses))


#: the properties every new Outlook copy of an entity carries besides its mapped ones
_COPY_EXTRAS: dict[str, dict[str, Any]] = {
    "contact": {"SelectedMailingAddress": mapping.DEFAULT_MAILING_ADDRESS},
    **{
        entity: {"IsRecurring": entity == "recurringappointmentmaster"}
        for entity in schema.APPOINTMENT_ENTITIES
    },
}

#: The category CRM for Outlook gives a deactivated contact (Dynamics 365 writes "[Dynamics 365] Inactive").
INACTIVE_CATEGORY = "Inactive"


def _inactive(record: Data) -> bool:
    return bool(record.get("statecode"))


def _state_word(record: Data) -> str:
    return "deactivated" if _inactive(record) else "reactivated"


def address_mode(options: Options, guards: Guards) -> Any:
    """The address option as the mapping applies it (either mapping rule may be switched off)."""
    mode = options.contact_address_sync
    if mode == MAILING_ONLY and not guards.on(R.CONTACT_ADDRESS_MAILING_ONLY):
        return ALL_THREE
    if mode == ALL_THREE and not guards.on(R.CONTACT_ADDRESS_ALL_THREE):
        return MAILING_ONLY
    return mode


def crm_entity(item: Data) -> str:
    """The CRM entity a tracked Outlook item becomes."""
    kind = kind_of(item)
    if kind == "appointment":
        return "recurringappointmentmaster" if item.get("IsRecurring") else "appointment"
    return kind
