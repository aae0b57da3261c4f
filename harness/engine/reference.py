"""The reference sync engine: one cycle for one user, every decision recorded as an event.

A cycle reads what changed on both sides since the user's last cycle, applies the documented
rules of the catalogue (each decision carries its rule ID), maps fields through
:mod:`harness.mapping`, resolves conflicts by the policy in :mod:`harness.interpretations`, writes
both sides, and reports every value it overwrote that the other side never saw as a loss.

``disabled`` switches single rules off: the engine then does what a naive engine would do in that
spot. It exists for the mutation check, which proves every rule has a scenario that notices.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from harness import interpretations, mapping
from harness import rules as R
from harness.engine.links import Link, UserState
from harness.mapping import FieldPair, blank
from harness.report import CycleReport, Event, Loss
from harness.sim.network import NetworkFault
from harness.stores.crm import primary_key
from harness.stores.outlook import CRM_ID, kind_of

if TYPE_CHECKING:
    from harness.model import User
    from harness.world import World

_ABSENT = object()
#: Namespace of the CRM ids the engine gives records it creates from Outlook items.
_IDS = uuid.UUID("7d1c0a52-5f0e-4a55-9a8c-2b1f0c9e6a11")
T = TypeVar("T")


@dataclass
class _Plan:
    """What reconciling one linked pair will do; remembered and reported only once written."""

    to_crm: dict[str, Any] = field(default_factory=dict)
    to_outlook: dict[str, Any] = field(default_factory=dict)
    agreed: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: (field, old, new, rule, side where the value is lost, conflict detail or None)
    losses: list[tuple[str, Any, Any, str | None, str, str | None]] = field(default_factory=list)


class ReferenceEngine:
    name = "reference"
    #: A loss is reported (report.losses and a "lost" event); the naive engine turns this off.
    reports_losses = True

    def __init__(self, disabled: Iterable[str] = ()) -> None:
        self.disabled = frozenset(R.rule(rule_id).id for rule_id in disabled)

    def cycle(self, world: World, user: User, report: CycleReport) -> None:
        _Cycle(self, world, user, report).run()


class _Cycle:
    """The work of one cycle for one user."""

    def __init__(self, engine: ReferenceEngine, world: World, user: User, report: CycleReport):
        self.engine = engine
        self.world = world
        self.user = user
        self.report = report
        self.org = world.organization(user.organization)
        self.crm = self.org.crm
        self.box = world.outlook(user)
        self.state: UserState = world.sync_state(user)
        self.bytes = 0
        self.attachment_bytes = 0
        self.writes = 0

    # -- the cycle -----------------------------------------------------------------------------

    def run(self) -> None:
        """One cycle. A network fault ends it early: the watermarks stay where they were, so the
        next cycle reads the same changes again; links written so far make that repeat harmless."""
        self.settings = self._effective_settings()
        crm_keys = list(self.crm.changed_since(self.state.crm_watermark))
        entry_ids = list(self.box.changed_since(self.state.outlook_watermark))
        try:
            for link in self._forced_by_settings_change() + self._revisits():
                self._sync_pair(link, forced=True)
            for entity, crm_id in crm_keys:
                self._crm_changed(entity, crm_id)
            for entry_id in entry_ids:
                self._outlook_changed(entry_id)
        except NetworkFault as fault:
            self._event(None, "warning", "-", detail=f"cycle ended by a network fault: {fault}")
        else:
            self.state.crm_watermark = self.crm.changes.seq
            self.state.outlook_watermark = self.box.changes.seq
            self.state.settings_seen = dict(self.settings)
            self.state.revisit.clear()
        self._account_time()

    def enforces(self, rule_id: str) -> bool:
        return rule_id not in self.engine.disabled

    def _effective_settings(self) -> dict[str, Any]:
        """The tab's options as they act for this user (CLIENT-LATEST: old clients get defaults)."""
        if not self.enforces(R.CLIENT_LATEST):
            return self.org.settings.as_dict()
        if self.user.outdated_client():
            self._event(
                R.CLIENT_LATEST,
                "warning",
                "-",
                detail=f"CRM for Outlook {self.user.client_version} is older than "
                f"{interpretations.ORGANIZATION_VERSION}; the Synchronization options act at "
                "their defaults for this user",
            )
        return self.world.effective_settings(self.user)

    def _revisits(self) -> list[Link]:
        return [self.state.by_crm[i] for i in sorted(self.state.revisit) if i in self.state.by_crm]

    def _forced_by_settings_change(self) -> list[Link]:
        """Linked items to revisit because an option that shapes them changed."""
        seen = self.state.settings_seen
        if not seen:
            return []
        kinds: tuple[str, ...] = ()
        if seen["contact_address_sync"] != self.settings["contact_address_sync"]:
            kinds += ("contact",)
        if seen["sync_appointment_attachments"] != self.settings["sync_appointment_attachments"]:
            kinds += mapping.APPOINTMENT_ENTITIES
        return self.state.linked(kinds) if kinds else []  # no scan of every link on a quiet cycle

    # -- what changed --------------------------------------------------------------------------

    def _crm_changed(self, entity: str, crm_id: str) -> None:
        link = self.state.by_crm.get(crm_id)
        if link is not None:
            self._sync_pair(link)
            return
        record = self.crm.peek(entity, crm_id)
        if record is not None and record.get("ownerid") == self.user.systemuserid:
            self._create_in_outlook(entity, record)

    def _outlook_changed(self, entry_id: str) -> None:
        link = self.state.by_entry.get(entry_id)
        if link is not None:
            self._sync_pair(link)
            return
        item = self.box.peek(entry_id)
        if item is not None and self.box.is_tracked(entry_id):
            self._create_in_crm(item)

    # -- linked pairs --------------------------------------------------------------------------

    def _sync_pair(self, link: Link, *, forced: bool = False) -> None:
        record = self.crm.peek(link.entity, link.crm_id)
        item = self.box.peek(link.entry_id)
        if record is None:
            if item is not None:
                self._send(lambda: self.box.delete(link.entry_id))
            self._unlink(link, "deleted in CRM; removed from Outlook")
            return
        if item is None or not self.box.is_tracked(link.entry_id):
            self._unlink(link, "deleted or untracked in Outlook; the CRM record stays")
            return
        unchanged = (
            record["versionnumber"] == link.crm_version
            and self.box.version(link.entry_id) == link.outlook_version
        )
        if unchanged and not forced:
            return
        self._reconcile_fields(link, record, item)
        if link.entity in mapping.APPOINTMENT_ENTITIES:
            self._sync_attachments(link, self.crm.peek(link.entity, link.crm_id), item)
        self._remember_versions(link)

    def _unlink(self, link: Link, why: str) -> None:
        self.state.drop(link)
        self._event(None, "synced", link.entity, link.crm_id, link.entry_id, why)

    def _reconcile_fields(self, link: Link, record: dict[str, Any], item: dict[str, Any]) -> None:
        plan = _Plan()
        for pair in self._pairs(link.entity, item):
            crm_value = blank(record.get(pair.crm))
            outlook_value = blank(pair.to_crm(blank(mapping.read(item, pair.outlook))))
            last = link.synced.get(pair.key, _ABSENT)
            if last is _ABSENT:
                plan.agreed[pair.key] = self._new_pair(plan, pair, crm_value, outlook_value, item)
            else:
                plan.agreed[pair.key] = self._known_pair(
                    plan, pair, last, crm_value, outlook_value, record, item
                )
        self._apply(link, plan)

    def _new_pair(
        self, plan: _Plan, pair: FieldPair, crm_value: Any, outlook_value: Any, item: dict[str, Any]
    ) -> Any:
        """A pair that starts to sync for a linked item: the address mapping changed.

        CRM is the source (interpretations.REMAP_SOURCE): its value, empty or not, goes to
        Outlook. What Outlook held there is lost and reported (CONTACT-ADDRESS-REMAP-LOSS); an
        empty Outlook side simply receives the data (CONTACT-ADDRESS-ONE-SIDED).
        """
        if crm_value == outlook_value:
            return crm_value
        if not self.enforces(R.CONTACT_ADDRESS_ONE_SIDED):
            return crm_value  # naive: take the pair as agreed and move nothing
        mapping.write(plan.to_outlook, item, pair.outlook, pair.to_outlook(crm_value))
        if outlook_value is not None and self.enforces(R.CONTACT_ADDRESS_REMAP_LOSS):
            plan.losses.append(
                (pair.outlook, outlook_value, crm_value, R.CONTACT_ADDRESS_REMAP_LOSS, "outlook", None)
            )
        return crm_value

    def _known_pair(
        self,
        plan: _Plan,
        pair: FieldPair,
        last: Any,
        crm_value: Any,
        outlook_value: Any,
        record: dict[str, Any],
        item: dict[str, Any],
    ) -> Any:
        crm_changed = crm_value != last and pair.direction != "outlook-to-crm"
        outlook_changed = outlook_value != last and pair.direction != "crm-to-outlook"
        if crm_changed and outlook_changed and crm_value != outlook_value:
            winner = self._conflict_winner(record, item)
            won, lost = (crm_value, outlook_value) if winner == "crm" else (outlook_value, crm_value)
            conflict = (
                f"{pair.crm}/{pair.outlook}: CRM {crm_value!r} vs Outlook {outlook_value!r}; {winner} won"
            )
            if winner == "crm":
                plan.losses.append((pair.outlook, lost, won, None, "outlook", conflict))
                mapping.write(plan.to_outlook, item, pair.outlook, pair.to_outlook(won))
            else:
                plan.losses.append((pair.crm, lost, won, None, "crm", conflict))
                plan.to_crm[pair.crm] = won
            return won
        if crm_changed and not outlook_changed:
            mapping.write(plan.to_outlook, item, pair.outlook, pair.to_outlook(crm_value))
            return crm_value
        if outlook_changed and not crm_changed:
            plan.to_crm[pair.crm] = outlook_value
            return outlook_value
        return crm_value

    @staticmethod
    def _conflict_winner(record: dict[str, Any], item: dict[str, Any]) -> str:
        crm_time, outlook_time = record["modifiedon"], item["LastModificationTime"]
        if crm_time == outlook_time:
            return interpretations.CONFLICT_TIE_WINNER
        return "crm" if crm_time > outlook_time else "outlook"

    def _apply(self, link: Link, plan: _Plan) -> None:
        """Write both sides, then remember: a write that fails leaves the link as it was, so the
        next cycle sees the same differences and decides again. A side's losses are reported
        as soon as its write is applied, even if the confirmation is lost."""
        writes = (
            ("crm", plan.to_crm, lambda: self.crm.update(link.entity, link.crm_id, plan.to_crm)),
            ("outlook", plan.to_outlook, lambda: self.box.update(link.entry_id, plan.to_outlook)),
        )
        for side, fields, write in writes:
            if not fields:
                continue
            try:
                self._send(write, fields)
            except NetworkFault as fault:
                if fault.applied:
                    self._report_losses(link, plan, side)
                raise
            self._report_losses(link, plan, side)
        link.synced.update(plan.agreed)
        if plan.to_crm or plan.to_outlook:
            names = sorted(set(plan.to_crm) | set(plan.to_outlook))
            direction = " and ".join(
                side for side, data in (("to CRM", plan.to_crm), ("to Outlook", plan.to_outlook)) if data
            )
            detail = f"updated {direction}: {', '.join(names)}"
            self._event(None, "synced", link.entity, link.crm_id, link.entry_id, detail)

    def _report_losses(self, link: Link, plan: _Plan, written: str) -> None:
        for field_name, old, new, rule, side, conflict in plan.losses:
            if side == written:
                if conflict:
                    self._event(None, "conflict", link.entity, link.crm_id, link.entry_id, conflict)
                self._loss(link, field_name, old, new, rule, side=side)

    # -- new items -----------------------------------------------------------------------------

    def _create_in_outlook(self, entity: str, record: dict[str, Any]) -> None:
        crm_id = record[primary_key(entity)]
        existing = self.box.find_crm_id(crm_id)
        if existing is not None:  # made by a cycle whose confirmation was lost, or untracked
            if self.box.is_tracked(existing):
                self._adopt(entity, record, existing)
            return
        kind = mapping.OUTLOOK_KIND[entity]
        properties: dict[str, Any] = {}
        pairs = self._pairs(entity, None)
        for pair in pairs:
            value = blank(record.get(pair.crm))
            if value is not None and pair.direction != "outlook-to-crm":
                mapping.write(properties, {}, pair.outlook, pair.to_outlook(value))
        if entity == "contact":
            properties["SelectedMailingAddress"] = mapping.DEFAULT_MAILING_ADDRESS
        if kind == "appointment":
            properties["IsRecurring"] = entity == "recurringappointmentmaster"
        properties[CRM_ID] = crm_id
        entry_id = self._send(lambda: self.box.create(kind, properties, track=True), properties)
        link = Link(entity, crm_id, entry_id)
        link.synced = {pair.key: blank(record.get(pair.crm)) for pair in pairs}
        self.state.add(link)
        self._event(None, "synced", entity, link.crm_id, entry_id, "created in Outlook")
        if entity in mapping.APPOINTMENT_ENTITIES:
            self._sync_attachments(link, record, self.box.peek(entry_id))
        self._remember_versions(link)

    def _create_in_crm(self, item: dict[str, Any]) -> None:
        """A tracked Outlook item without a link: find its CRM record, or make one.

        The item is stamped with the new record's id (``crmid``, as CRM for Outlook does) before
        the record is made, so a cycle interrupted between the two writes, or an item tracked
        again later, finds the record instead of making a second one.
        """
        entry_id = item["EntryID"]
        crm_id = item.get(CRM_ID) or str(uuid.uuid5(_IDS, f"{self.user.systemuserid}:{entry_id}"))
        found = self.crm.find(crm_id)
        if found is not None:
            self._adopt(*found, entry_id)
            return
        entity = _crm_entity(item)
        owner = self._owner_for(entity, item)
        if owner is None:
            return
        if item.get(CRM_ID) != crm_id:
            self._send(lambda: self.box.update(entry_id, {CRM_ID: crm_id}))
        pairs = self._pairs(entity, item)
        fields: dict[str, Any] = {}
        for pair in pairs:
            value = blank(pair.to_crm(blank(mapping.read(item, pair.outlook))))
            if value is not None and pair.direction != "crm-to-outlook":
                fields[pair.crm] = value
        self._send(
            lambda: self.crm.create(entity, fields, owner=owner.systemuserid, record_id=crm_id), fields
        )
        link = Link(entity, crm_id, item["EntryID"])
        link.synced = {pair.key: fields.get(pair.crm) for pair in pairs}
        self.state.add(link)
        rule = R.TASK_ASSIGNED_ON if owner is not self.user else None
        detail = "created in CRM" + (f", owned by {owner.name}" if owner is not self.user else "")
        self._event(rule, "synced", entity, crm_id, item["EntryID"], detail)
        if entity in mapping.APPOINTMENT_ENTITIES:
            self._sync_attachments(link, self.crm.peek(entity, crm_id), item)
        self._remember_versions(link)

    def _adopt(self, entity: str, record: dict[str, Any], entry_id: str) -> None:
        """Link a pair a cycle created before its confirmation was lost; then sync it as usual.

        The Outlook item carries the CRM id (``crmid``), and a CRM record made from an Outlook
        item has an id derived from the EntryID, so the repeat finds the first copy and never
        makes a second one.
        """
        crm_id = record[primary_key(entity)]
        link = Link(entity, crm_id, entry_id)
        item = self.box.peek(entry_id)
        link.synced = {p.key: blank(record.get(p.crm)) for p in self._pairs(entity, item)}
        self.state.add(link)
        self._event(None, "synced", entity, crm_id, entry_id, "linked to the copy an interrupted cycle made")
        self._sync_pair(link, forced=True)

    def _owner_for(self, entity: str, item: dict[str, Any]) -> User | None:
        """Who owns the CRM record of a new tracked item; None when a task rule keeps it out."""
        if entity != "task":
            return self.user
        outlook_client = self.user.channel == R.OUTLOOK
        if item.get("IsRecurring") and outlook_client and self.enforces(R.TASK_RECURRING):
            return self._skip(R.TASK_RECURRING, item, "recurring tasks do not sync")
        recipients = item.get("Recipients") or []
        if not recipients:
            return self.user
        if not outlook_client and self.enforces(R.TASK_OUTLOOK_ONLY):
            return self._skip(
                R.TASK_OUTLOOK_ONLY,
                item,
                "assigned tasks are synced by CRM for Outlook only; server-side sync leaves "
                "them in Exchange whatever the option says",
            )
        if not self.settings["sync_assigned_tasks"]:
            if self.enforces(R.TASK_ASSIGNED_OFF):
                return self._skip(R.TASK_ASSIGNED_OFF, item, "assigned-task sync is off")
        elif not self.enforces(R.TASK_ASSIGNED_ON):
            return None
        if len(recipients) > 1 and self.enforces(R.TASK_ONE_ADDRESS):
            return self._skip(R.TASK_ONE_ADDRESS, item, f"assigned to {len(recipients)} addresses, not one")
        assignee = self.world.user_by_email(recipients[0])
        if assignee is None or assignee.organization != self.user.organization:
            if self.enforces(R.TASK_SAME_ORG):
                where = "no user of this organization" if assignee is None else assignee.organization
                return self._skip(R.TASK_SAME_ORG, item, f"assignee {recipients[0]} is in {where}")
            return self.user
        return assignee

    def _skip(self, rule_id: str, item: dict[str, Any], detail: str) -> None:
        self._event(rule_id, "skipped", _crm_entity(item), None, item["EntryID"], detail)
        return None

    # -- attachments ---------------------------------------------------------------------------

    def _sync_attachments(self, link: Link, record: dict[str, Any] | None, item: Any) -> None:
        if record is None or item is None:
            return
        crm_files = {row["filename"]: row["body"] for row in self.crm.attachments(link.crm_id)}
        outlook_files = self.box.files(link.entry_id)
        on = self.settings["sync_appointment_attachments"]
        turned_off = not on and "sync_appointment_attachments" in self.org.settings.ever_on
        if turned_off and link.attachments and not self.enforces(R.APPT_ATTACH_TURNED_OFF):
            self._remove_synced_copies(link, outlook_files)  # naive: mirror CRM's empty view
            return
        both = set(crm_files) & set(outlook_files)
        clashing = {n for n in both - link.attachments if crm_files[n] != outlook_files[n]}
        pending = (set(crm_files) ^ set(outlook_files)) | (link.attachments - both) | clashing
        if not pending:
            return
        names = ", ".join(sorted(pending))
        if link.entity == "serviceappointment" and self.enforces(R.APPT_ATTACH_SERVICE_ACTIVITY):
            self._attachment_event(R.APPT_ATTACH_SERVICE_ACTIVITY, link, names, "service activity")
            return
        recurring = link.entity == "recurringappointmentmaster" or item.get("IsRecurring")
        if recurring and self.enforces(R.APPT_ATTACH_RECURRING):
            self._attachment_event(R.APPT_ATTACH_RECURRING, link, names, "recurring appointment")
            return
        if not on:
            if turned_off and self.enforces(R.APPT_ATTACH_TURNED_OFF):
                kept = ", ".join(sorted(outlook_files)) or "none"
                self._attachment_event(
                    R.APPT_ATTACH_TURNED_OFF,
                    link,
                    names,
                    f"attachment sync was turned off (kept in Outlook: {kept})",
                )
                return
            if self.enforces(R.APPT_ATTACH_OFF):
                self._attachment_event(R.APPT_ATTACH_OFF, link, names, "attachment sync is off")
                return
        elif not self.enforces(R.APPT_ATTACH_ON):
            return
        self._move_attachments(link, crm_files, outlook_files)
        for name in sorted(clashing):
            self._attachment_conflict(link, name, crm_files[name], outlook_files[name], record, item)

    def _attachment_event(self, rule_id: str, link: Link, names: str, why: str) -> None:
        self._event(
            rule_id,
            "skipped",
            link.entity,
            link.crm_id,
            link.entry_id,
            f"attachments not synced ({why}): {names}",
        )

    def _move_attachments(
        self, link: Link, crm_files: dict[str, bytes], outlook_files: dict[str, bytes]
    ) -> None:
        """Two-way: new files go across, files removed on one side since the last cycle go too."""
        for name in sorted(set(crm_files) - set(outlook_files)):
            if name in link.attachments:
                self._send(lambda n=name: self.crm.detach(link.crm_id, n))
                self._attachment_moved(link, name, 0, "removed from CRM (removed in Outlook)")
            else:
                self._send(lambda n=name: self.box.attach(link.entry_id, n, crm_files[n]))
                self._attachment_moved(link, name, len(crm_files[name]), "copied to Outlook")
        for name in sorted(set(outlook_files) - set(crm_files)):
            if name in link.attachments:
                self._send(lambda n=name: self.box.detach(link.entry_id, n))
                self._attachment_moved(link, name, 0, "removed from Outlook (removed in CRM)")
            else:
                self._send(lambda n=name: self.crm.attach(link.crm_id, n, outlook_files[n]))
                self._attachment_moved(link, name, len(outlook_files[name]), "copied to CRM")
        both = {row["filename"] for row in self.crm.attachments(link.crm_id)}
        link.attachments = frozenset(both & set(self.box.files(link.entry_id)))

    def _attachment_conflict(
        self, link: Link, name: str, in_crm: bytes, in_outlook: bytes, record: dict, item: dict
    ) -> None:
        """The same file name added on both sides with other bytes: the conflict policy decides."""
        winner = self._conflict_winner(record, item)
        if winner == "crm":
            self._send(lambda: self.box.attach(link.entry_id, name, in_crm))
            lost, won, side = in_outlook, in_crm, "outlook"
        else:
            self._send(lambda: self.crm.attach(link.crm_id, name, in_outlook))
            lost, won, side = in_crm, in_outlook, "crm"
        self.attachment_bytes += len(won)
        link.attachments = link.attachments | {name}
        detail = (
            f"attachment {name}: CRM {len(in_crm)} bytes vs Outlook {len(in_outlook)} bytes; {winner} won"
        )
        self._event(None, "conflict", link.entity, link.crm_id, link.entry_id, detail)
        self._loss(link, f"Attachments[{name}]", f"{len(lost)} bytes", f"{len(won)} bytes", None, side=side)

    def _attachment_moved(self, link: Link, name: str, size: int, what: str) -> None:
        self.attachment_bytes += size
        detail = f"attachment {name} ({size} bytes) {what}"
        self._event(R.APPT_ATTACH_ON, "synced", link.entity, link.crm_id, link.entry_id, detail)

    def _remove_synced_copies(self, link: Link, outlook_files: dict[str, bytes]) -> None:
        for name in sorted(link.attachments & set(outlook_files)):
            self._send(lambda n=name: self.box.detach(link.entry_id, n))
            self._loss(link, f"Attachments[{name}]", name, None, None)
        link.attachments = frozenset()

    # -- bookkeeping ---------------------------------------------------------------------------

    def _pairs(self, entity: str, item: dict[str, Any] | None) -> tuple[FieldPair, ...]:
        mode = self.settings["contact_address_sync"]
        if mode == "mailing-only" and not self.enforces(R.CONTACT_ADDRESS_MAILING_ONLY):
            mode = "all-three"
        elif mode == "all-three" and not self.enforces(R.CONTACT_ADDRESS_ALL_THREE):
            mode = "mailing-only"
        return mapping.pairs_for(entity, mode, item)

    def _remember_versions(self, link: Link) -> None:
        link.crm_version = self.crm.peek(link.entity, link.crm_id)["versionnumber"]
        link.outlook_version = self.box.version(link.entry_id)

    def _send(self, write: Callable[[], T], fields: dict[str, Any] | None = None) -> T:
        """Every write goes over the simulated network (where a fault may be injected)."""
        self.writes += 1
        self.bytes += len(json.dumps(fields, default=str)) if fields else 0
        return self.world.network.send(self.world.clock.now(), write)

    def _account_time(self) -> None:
        link = self.user.link
        seconds = link.seconds(self.bytes, interpretations.READ_ROUND_TRIPS + self.writes)
        if self.attachment_bytes and self.enforces(R.APPT_ATTACH_SLOW_LINK):
            attachment_seconds = link.seconds(self.attachment_bytes, round_trips=0)
            seconds += attachment_seconds
            if attachment_seconds > interpretations.SLOW_LINK_WARNING_SECONDS:
                self._event(
                    R.APPT_ATTACH_SLOW_LINK,
                    "warning",
                    "appointment",
                    detail=f"{self.attachment_bytes} attachment bytes took "
                    f"{attachment_seconds:.1f} s on a {link.bandwidth_kbps:g} kbps link",
                )
        self.report.durations[self.user.name] = seconds
        self.report.writes += self.writes

    def _event(
        self,
        rule: str | None,
        outcome: str,
        entity: str,
        crm_id: str | None = None,
        entry_id: str | None = None,
        detail: str = "",
    ) -> None:
        self.report.events.append(Event(rule, outcome, self.user.name, entity, crm_id, entry_id, detail))

    def _loss(
        self,
        link: Link,
        field: str,
        old: Any,
        new: Any,
        rule: str | None,
        *,
        side: str = "outlook",
    ) -> None:
        if not self.engine.reports_losses:
            return
        ids = (link.crm_id, link.entry_id)
        self.report.losses.append(Loss(self.user.name, link.entity, ids, field, old, new, rule, side))
        self._event(rule, "lost", link.entity, *ids, f"{side} {field}: {old!r} -> {new!r}")


def _crm_entity(item: dict[str, Any]) -> str:
    kind = kind_of(item)
    if kind == "appointment":
        return "recurringappointmentmaster" if item.get("IsRecurring") else "appointment"
    return kind
