"""Who owns an assigned task, as Microsoft's "Track Outlook tasks" page (TT) tells it.

CRM for Outlook only (TASK-OUTLOOK-ONLY keeps server-side sync out of assignments):

* **sent**: when the assigner's copy of a tracked task goes to its assignee (Outlook's
  ``Ownership`` = delegated), the CRM task passes to the assignee, also when it was tracked before
  it was assigned; the assigned-task rules of the seed page still apply (option on, one address,
  same organization);
* **reassigned**: an assignee who passes a received task on (``Ownership`` = own, with recipients)
  untracks it, and CRM deletes it;
* **declined**: a received task the assignee declines returns to its assigner in CRM, and the
  assignee's copy is untracked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .. import rules as R
from .. import schema
from ..settings import Options
from .actions import Action, Fields, Files, Notice, Unlink, UpdatePair
from .deletes import Deletes
from .guards import Guards, TaskFacts
from .protocol import SyncContext
from .state import Link

Data = Mapping[str, Any]


class TaskOwnership:
    """Decides what assigning, reassigning or declining a linked task does to its CRM record."""

    def __init__(self, context: SyncContext, guards: Guards, options: Options, deletes: Deletes) -> None:
        self.context, self.guards, self.options, self.deletes = context, guards, options, deletes
        self.user = context.user

    def actions(
        self, link: Link, record: Data, item: Data, update: Callable[[], UpdatePair]
    ) -> list[Action] | None:
        """The actions an assignment calls for (``update`` plans the pair's usual sync), or None
        when the pair syncs as usual."""
        if link.entity != "task" or self.user.channel != R.OUTLOOK:
            return None
        received = item.get("Ownership") == "own"
        if received and item.get("ResponseState") == "declined" and self.guards.on(R.TASK_DECLINE_RETURNS):
            return self._declined(link, record, item)
        if received and item.get("Recipients") and self.guards.on(R.TASK_REASSIGN_UNTRACKS):
            losses = self.deletes.unsynced(link, schema.CRM, record, R.TASK_REASSIGN_UNTRACKS)
            detail = "passed on by its assignee: untracked, and deleted from CRM"
            return [
                Unlink(link, detail, "untrack", crm="delete", rule=R.TASK_REASSIGN_UNTRACKS, losses=losses)
            ]
        if item.get("Ownership") == "delegated" and self.guards.on(R.TASK_OWNER_ON_SEND):
            return self._sent(link, record, item, update)
        return None

    def _sent(
        self, link: Link, record: Data, item: Data, update: Callable[[], UpdatePair]
    ) -> list[Action] | None:
        """The pair's usual sync, with the CRM task passing to the assignee (or why it cannot)."""
        recipients = tuple(item.get("Recipients") or ())
        assignees = tuple(self.context.directory.user_by_email(a) for a in recipients)
        facts = TaskFacts(self.user, self.options, bool(item.get("IsRecurring")), recipients, assignees)
        stops = self.guards.stops("task", facts)
        assignee = assignees[0] if assignees else None
        if stops:
            notices = [
                Notice(rule, "skipped", link.entity, link.crm_id, link.entry_id, why) for rule, why in stops
            ]
            return [*notices, update()]
        if assignee is None or record.get("ownerid") == assignee.systemuserid:
            return None
        pair = update()
        pair.fields.changes[schema.CRM]["ownerid"] = assignee.systemuserid
        pair.done = (R.TASK_OWNER_ON_SEND, f"sent to {assignee.name}: the CRM task passes to the assignee")
        return [pair]

    def _declined(self, link: Link, record: Data, item: Data) -> list[Action]:
        assigner = self.context.directory.user_by_email(str(item.get("Delegator") or ""))
        actions: list[Action] = []
        if assigner is not None and record.get("ownerid") != assigner.systemuserid:
            fields = Fields(stale=link.stale)
            fields.changes[schema.CRM]["ownerid"] = assigner.systemuserid
            note = f"declined: the CRM task returns to {assigner.name}"
            actions.append(UpdatePair(link, fields, Files(), done=(R.TASK_DECLINE_RETURNS, note)))
        actions.append(
            Unlink(link, "declined: the copy is untracked", "untrack", rule=R.TASK_DECLINE_RETURNS)
        )
        return actions
