"""What a delete or an untrack on one side does to the other, per entity, owner and date.

Microsoft's page "Deleting records that have been tracked" (DEL in rules.SOURCES) states the
rules, the same for CRM for Outlook and server-side sync:

* appointments: deleted in Outlook -> deleted in CRM; deleted in CRM -> leaves Outlook only if it
  is present or future and the user owns or organizes it; untracked -> CRM for Outlook asks, and
  deletes the record on yes if it is present or future and the user owns it;
* contacts: deleted in Outlook -> stays in CRM; deleted in CRM -> stays in its owner's Outlook,
  leaves everyone else's; untracked -> the owner is asked, for anyone else CRM deletes it;
* tasks: deleted in Outlook -> deleted in CRM; deleted in CRM -> leaves Outlook while current;
  untracked -> CRM for Outlook asks.

Service activities are appointments on that page's terms, but every one of their fields syncs one
way, CRM to Outlook (the field table, WF), and Microsoft's sync-logic page describes them in that
direction only: deleting or untracking one in Outlook leaves its CRM record (SERVICE-ONE-WAY).

Where CRM for Outlook asks, the user's option ``delete_in_crm_on_untrack`` answers. A server-side
user untracks by removing the tracking category, which keeps the record. Whatever a delete takes
with it that the other side never saw (an edit not yet synced) is reported lost, with the rule.
A copy that stays is untracked, since its record is gone. With a rule's guard off, the engine does
what the guard table says (the behaviour before these rules were modelled).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import mapping, schema
from .. import rules as R
from ..mapping import FieldPair
from .actions import Unlink
from .execute import LossSpec
from .guards import Guards
from .protocol import SyncContext
from .state import Link, digest

Data = Mapping[str, Any]
_ABSENT = object()

_IN_CRM = {
    "contact": R.DELETE_CONTACT_IN_CRM,
    "appointment": R.DELETE_APPT_IN_CRM,
    "task": R.DELETE_TASK_IN_CRM,
}
_UNTRACK = {"contact": R.UNTRACK_CONTACT, "appointment": R.UNTRACK_APPT, "task": R.UNTRACK_TASK}


class Deletes:
    """Decides one pair whose record or item is gone, or whose item was untracked."""

    def __init__(self, context: SyncContext, guards: Guards, pairs: Any) -> None:
        self.context, self.guards, self._pairs = context, guards, pairs
        self.user = context.user

    # -- deleted in CRM --------------------------------------------------------------------------

    def deleted_in_crm(self, link: Link, item: Data | None) -> Unlink:
        if item is None or not self.context.mailbox.is_tracked(link.entry_id):
            return Unlink(link, "deleted in CRM; the Outlook item was gone or untracked")
        kind = schema.entity(link.entity).outlook_kind
        if kind == "appointment" and self._sync_logic(R.DELETE_APPT_IN_CRM_ORGANIZER):
            return self._deleted_in_crm_sl(link, item)
        rule = _IN_CRM[kind]
        if not self.guards.on(rule):
            return self._before_the_rules(link, item)
        stays = self._stays_in_outlook(kind, link, item)
        if stays:
            return Unlink(
                link, f"deleted in CRM; stays in Outlook, untracked ({stays})", "untrack", rule=rule
            )
        losses = self.unsynced(link, schema.OUTLOOK, item, rule)
        return Unlink(link, "deleted in CRM; removed from Outlook", "delete", rule=rule, losses=losses)

    def _stays_in_outlook(self, kind: str, link: Link, item: Data) -> str | None:
        """Why the Outlook copy of a record deleted in CRM stays, or None when it goes."""
        if kind == "contact":
            return "the user owns the contact" if self._owns(link) else None
        if kind == "task":
            return None if current_task(item) else "the task is not current"
        if not self._present_or_future(item.get("End")):
            return "the appointment is in the past"
        own = self._owns(link) or item.get("Organizer") in (self.user.email, self.user.name)
        return None if own else "the user neither owns nor organizes it"

    def _sync_logic(self, rule: str) -> bool:
        """Whether Microsoft's sync-logic page decides (SL): a server-side user of an organization
        that follows Dynamics 365, with ``rule`` switched on; else the delete page (DEL) does."""
        return (
            self.user.channel == R.SERVER_SIDE
            and self.context.options.profile == R.D365
            and self.guards.on(rule)
        )

    def _deleted_in_crm_sl(self, link: Link, item: Data) -> Unlink:
        """N25: the Exchange meeting goes only for its organizer, and only while it is in the future."""
        rule = R.DELETE_APPT_IN_CRM_ORGANIZER
        if not self._organizes(item.get("Organizer")):
            why = "the user does not organize it"
        elif not self._future(item.get("Start")):
            why = "it is not in the future"
        else:
            losses = self.unsynced(link, schema.OUTLOOK, item, rule)
            return Unlink(link, "deleted in CRM; removed from Exchange", "delete", rule=rule, losses=losses)
        return Unlink(link, f"deleted in CRM; stays in Exchange, unlinked ({why})", "untrack", rule=rule)

    def _organizes(self, organizer: Any, owner_id: str | None = None) -> bool:
        """Whether the user organizes a meeting: its organizer is the user (by address or name),
        or it names none and the user made it (an Exchange item: the mailbox's own; a CRM record:
        its owner's)."""
        if organizer:
            return str(organizer).lower() in (self.user.email.lower(), self.user.name.lower())
        return owner_id is None or owner_id == self.user.systemuserid

    def _future(self, start: Any) -> bool:
        return start is None or start > self.context.now()

    def _before_the_rules(self, link: Link, item: Data) -> Unlink:
        """With the guard off: the copy goes, unless it holds edits CRM never saw (kept, untracked)."""
        edited = [loss.field for loss in self.unsynced(link, schema.OUTLOOK, item, None)]
        if edited:
            detail = (
                f"deleted in CRM; kept in Outlook, untracked, with edits not yet synced: {', '.join(edited)}"
            )
            return Unlink(link, detail, outlook="untrack")
        return Unlink(link, "deleted in CRM; removed from Outlook", outlook="delete")

    # -- deleted or untracked in Outlook -----------------------------------------------------------

    def gone_from_outlook(self, link: Link, record: Data, item: Data | None) -> Unlink:
        kind = schema.entity(link.entity).outlook_kind
        if link.entity in mapping.CRM_TO_OUTLOOK_ONLY and self.guards.on(R.SERVICE_ONE_WAY):
            what = "deleted in Outlook" if item is None else "untracked in Outlook"
            return Unlink(
                link,
                f"{what}; the CRM record stays (a service activity syncs one way, CRM to Outlook)",
                keep_memory=item is not None,
                rule=R.SERVICE_ONE_WAY,
            )
        if item is None:
            sl = R.DELETE_IN_EXCHANGE_SL.get(kind)
            if sl is not None and self._sync_logic(sl):
                return self._deleted_in_exchange_sl(kind, link, record, sl)
            rule = R.DELETE_IN_OUTLOOK[kind]
            if kind == "contact" or not self.guards.on(rule):
                return self._record_stays(link, "deleted in Outlook", rule)
            return self._delete_record(link, record, "deleted in Outlook; deleted in CRM", rule)
        rule = _UNTRACK[kind]
        if self.user.channel != R.OUTLOOK or not self.guards.on(rule):
            return Unlink(link, "untracked in Outlook; the CRM record stays", keep_memory=True)
        deletes, why = self._untrack_deletes(kind, link, record)
        if deletes:
            return self._delete_record(link, record, f"untracked in Outlook; deleted in CRM ({why})", rule)
        return Unlink(
            link, f"untracked in Outlook; the CRM record stays ({why})", keep_memory=True, rule=rule
        )

    def _deleted_in_exchange_sl(self, kind: str, link: Link, record: Data, rule: str) -> Unlink:
        """N26 and N36: what a server-side user's Exchange delete does under Dynamics 365."""
        if kind == "contact":
            if not self._owns(link):
                return Unlink(
                    link, "deleted in Exchange; the CRM record stays (the user does not own it)", rule=rule
                )
            return self._delete_record(
                link, record, "deleted in Exchange; deleted in CRM (the user owns it)", rule
            )
        why = None
        if record.get("statecode") in (1, 2):  # Completed, Canceled
            why = "it is completed or canceled"
        elif not self._present_or_future(record.get("scheduledend")):
            why = "it is in the past"
        elif not self._organizes(record.get("organizer"), str(record.get("ownerid") or "")):
            why = "the user does not organize it"
        if why is not None:
            return Unlink(link, f"deleted in Exchange; the CRM record stays ({why})", rule=rule)
        return self._delete_record(link, record, "deleted in Exchange; deleted in CRM", rule)

    def _untrack_deletes(self, kind: str, link: Link, record: Data) -> tuple[bool, str]:
        """Whether untracking deletes the CRM record, and why (the user's answer, owner, date)."""
        answer = self.context.user_options.delete_in_crm_on_untrack
        said = "the user answered yes" if answer else "the user answered no"
        if kind == "contact":
            if not self._owns(link):
                return True, "the user does not own the contact"
            return answer, said
        if kind == "appointment" and answer:
            if not self._present_or_future(record.get("scheduledend")):
                return False, "the appointment is in the past"
            if not self._owns(link):
                return False, "the user does not own it"
        return answer, said

    def _record_stays(self, link: Link, what: str, rule: str) -> Unlink:
        rule_or_none = rule if self.guards.on(rule) else None
        return Unlink(link, f"{what}; the CRM record stays", rule=rule_or_none)

    def _delete_record(self, link: Link, record: Data, detail: str, rule: str) -> Unlink:
        losses = self.unsynced(link, schema.CRM, record, rule)
        return Unlink(link, detail, crm="delete", rule=rule, losses=losses)

    # -- shared ------------------------------------------------------------------------------------

    def unsynced(
        self, link: Link, side: schema.Side, data: Data, rule: str | None, other: Data | None = None
    ) -> tuple[LossSpec, ...]:
        """What deleting ``side`` would take with it that the other side never saw; ``other``: the
        other side as the cycle leaves it, when an update of it goes first (else as it is)."""
        item = data if side == schema.OUTLOOK else self.context.mailbox.peek(link.entry_id)
        if other is None:
            other = self.context.crm.peek(link.entity, link.crm_id) if side == schema.OUTLOOK else item
        losses = [
            LossSpec(side, pair.name(side), value, None, rule)
            for pair in self._field_pairs(link, item)
            if (value := pair.value(side, data)) is not None
            and _unseen(link, pair.key, value, pair.value(schema.other(side), other) if other else None)
        ]
        rows = self.context.crm.attachments(link.crm_id) if side == schema.CRM else None
        files = (
            {row["filename"]: row["body"] for row in rows}
            if rows is not None
            else self.context.mailbox.files(link.entry_id)
        )
        unseen = [n for n, body in sorted(files.items()) if link.attachments.get(n) != digest(body)]
        losses += [LossSpec(side, f"Attachments[{n}]", n, None, rule) for n in unseen]
        return tuple(losses)

    def _field_pairs(self, link: Link, item: Data | None) -> tuple[FieldPair, ...]:
        return self._pairs(link.entity, item)  # type: ignore[no-any-return]

    def _owns(self, link: Link) -> bool:
        return link.owner == self.user.systemuserid

    def _present_or_future(self, end: Any) -> bool:
        return end is None or end >= self.context.now()


def _unseen(link: Link, key: Any, value: Any, other: Any) -> bool:
    """Whether the other side may never have seen ``value``: it differs from what both last agreed
    on and from what the other side holds (``other``: both sides came to the same value), or,
    while a write of the field is unconfirmed, from either that or the value written; for a pair
    that never synced (the address option or the mailing address changed since), from what the
    other side holds."""
    last = link.synced.get(key, _ABSENT)
    for _, written in link.inflight.values():
        if key in written:
            return bool(value != last or value != written[key])
    return bool(value != other if last is _ABSENT else last != value and value != other)


def current_task(item: Data) -> bool:
    """A task is current while it is not completed (Outlook's Complete flag, or 100 % done)."""
    return not item.get("Complete") and (item.get("PercentComplete") or 0) < 100
