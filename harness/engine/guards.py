"""Every catalogue rule as one declared guard: when it applies, what it does, and what the engine
does instead when the rule is switched off.

The planner reads this table at each stage of a cycle; the mutation check switches one guard off
at a time and proves a scenario notices; ``syncsim rules --json`` shows each rule's guard. A
*stop* guard keeps an item (or its attachments) from syncing and says why: every stop guard that
applies reports its own skip event, so a task assigned to two addresses in two organizations is
skipped for both reasons. The other guards change how an action is planned (the mapping, the
owner, the reconciliation of a new field pair, time accounting); the planner asks whether they
are on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from .. import mailboxes
from .. import rules as R
from ..model import User
from ..settings import Options

Stage = Literal[
    "settings",
    "options",
    "mapping",
    "pair",
    "task",
    "attachments",
    "file",
    "time",
    "delete",
    "filters",
    "mailbox",
]


@dataclass(frozen=True)
class TaskFacts:
    """What the task guards look at: a tracked Outlook task about to reach CRM."""

    user: User
    options: Options
    recurring: bool
    recipients: tuple[str, ...]
    #: the user each recipient address belongs to (None: nobody CRM knows)
    assignees: tuple[User | None, ...]


@dataclass(frozen=True)
class AttachmentFacts:
    """What the attachment guards look at: one appointment pair with files to move."""

    user: User
    entity: str
    recurring: bool
    on: bool
    turned_off: bool
    outlook_files: tuple[str, ...]


@dataclass(frozen=True)
class FileFacts:
    """What the attachment-limit guards look at: one file about to be copied."""

    user: User
    name: str
    size: int
    options: Options


@dataclass(frozen=True)
class MailboxFacts:
    """What the mailbox guards look at before a cycle: the user's mailbox row (Dataverse's)."""

    user: User
    options: Options
    row: Mapping[str, Any]


Facts = TaskFacts | AttachmentFacts | FileFacts | MailboxFacts


@dataclass(frozen=True)
class Guard:
    rule: str
    stage: Stage
    #: what the guard does, in words (when it applies and its effect)
    does: str
    #: what the engine does in its place when the rule is switched off
    disabled: str
    #: for a stop guard: the reason it stops the item, or None when it does not apply
    stops: Callable[[Any], str | None] | None = None


def _other_org(facts: TaskFacts) -> str | None:
    for address, assignee in zip(facts.recipients, facts.assignees, strict=True):
        if assignee is None:
            return f"assignee {address} is in no user of this organization"
        if assignee.organization != facts.user.organization:
            return f"assignee {address} is in {assignee.organization}"
    return None


_GUARDS = (
    Guard(
        R.SETTINGS_DEFAULTS,
        "settings",
        "a new organization's tab starts at the documented defaults",
        "every option starts at its other value",
    ),
    Guard(
        R.SETTINGS_ADMIN_ONLY,
        "settings",
        "only the organization's administrator may change the tab",
        "anyone may change it",
    ),
    Guard(
        R.CLIENT_LATEST,
        "options",
        "an outdated CRM for Outlook client is warned about, and the options act at their defaults for it",
        "an outdated client gets the organization's options and no warning",
    ),
    Guard(
        R.CONTACT_ADDRESS_MAILING_ONLY,
        "mapping",
        "under mailing-only, Address 1 pairs with Outlook's mailing address only",
        "mailing-only maps all three addresses",
    ),
    Guard(
        R.CONTACT_ADDRESS_ALL_THREE,
        "mapping",
        "under all-three, Address 1, 2, 3 pair with Business, Home, Other",
        "all-three maps the mailing address only",
    ),
    Guard(
        R.CONTACT_ADDRESS_ONE_SIDED,
        "pair",
        "a field pair new to a linked item takes the source side's value (REMAP_SOURCE)",
        "a new field pair is taken as agreed and nothing moves",
    ),
    Guard(
        R.CONTACT_ADDRESS_REMAP_LOSS,
        "pair",
        "what the receiving side held in a new field pair is reported lost",
        "the overwritten value is not reported",
    ),
    Guard(
        R.TASK_RECURRING,
        "task",
        "a recurring task does not reach CRM",
        "a recurring task reaches CRM",
        lambda f: "recurring tasks do not sync" if f.recurring else None,
    ),
    Guard(
        R.TASK_OUTLOOK_ONLY,
        "task",
        "server-side sync leaves assigned tasks in Exchange whatever the option says",
        "server-side sync treats assigned tasks as CRM for Outlook does",
        lambda f: (
            "assigned tasks are synced by CRM for Outlook only; server-side sync leaves "
            "them in Exchange whatever the option says"
            if f.recipients
            else None
        ),
    ),
    Guard(
        R.TASK_ASSIGNED_OFF,
        "task",
        "with the option off, an assigned task does not reach CRM",
        "an assigned task reaches CRM with the option off",
        lambda f: "assigned-task sync is off" if f.recipients and not f.options.sync_assigned_tasks else None,
    ),
    Guard(
        R.TASK_ONE_ADDRESS,
        "task",
        "a task assigned to more than one address does not reach CRM",
        "it reaches CRM, owned by the first assignee",
        lambda f: f"assigned to {len(f.recipients)} addresses, not one" if len(f.recipients) > 1 else None,
    ),
    Guard(
        R.TASK_SAME_ORG,
        "task",
        "a task assigned to someone outside the organization does not reach CRM",
        "it reaches CRM, owned by the assigner",
        lambda f: _other_org(f) if f.recipients else None,
    ),
    Guard(
        R.TASK_ASSIGNED_ON,
        "task",
        "with the option on, an assigned task reaches CRM owned by the assignee",
        "an assigned task does not reach CRM even with the option on",
    ),
    Guard(
        R.APPT_ATTACH_SERVICE_ACTIVITY,
        "attachments",
        "a service activity's attachments never sync",
        "they sync as any appointment's",
        lambda f: "service activity" if f.entity == "serviceappointment" else None,
    ),
    Guard(
        R.APPT_ATTACH_RECURRING,
        "attachments",
        "a recurring appointment's attachments never sync",
        "they sync as a single appointment's",
        lambda f: "recurring appointment" if f.recurring else None,
    ),
    Guard(
        R.APPT_ATTACH_TURNED_OFF,
        "attachments",
        "once the option was on and is off again, nothing moves and Outlook keeps its copies",
        "attachments keep moving both ways as if the option were on",
        lambda f: (
            f"attachment sync was turned off (kept in Outlook: {', '.join(f.outlook_files) or 'none'})"
            if f.turned_off
            else None
        ),
    ),
    Guard(
        R.APPT_ATTACH_OFF,
        "attachments",
        "with the option off (never on), attachments stay where they were made",
        "attachments move both ways as if the option were on",
        lambda f: "attachment sync is off" if not f.on and not f.turned_off else None,
    ),
    Guard(
        R.APPT_ATTACH_ON,
        "attachments",
        "with the option on, attachments are copied and removals mirrored both ways",
        "nothing moves, without a word",
    ),
    Guard(
        R.APPT_ATTACH_SLOW_LINK,
        "time",
        "attachment bytes cost time on the user's link, with a warning past the threshold",
        "attachment bytes cost no time",
    ),
    Guard(
        R.DELETE_APPT_IN_OUTLOOK,
        "delete",
        "an appointment deleted in Outlook is deleted in CRM, its unsynced CRM edits reported lost",
        "the CRM record stays",
    ),
    Guard(
        R.DELETE_APPT_IN_CRM,
        "delete",
        "an appointment deleted in CRM leaves Outlook only if present or future and owned or organized",
        "it leaves Outlook whatever its date and owner",
    ),
    Guard(
        R.UNTRACK_APPT,
        "delete",
        "untracking deletes the CRM appointment on yes, if present or future and owned",
        "the CRM record stays whatever the answer",
    ),
    Guard(
        R.DELETE_CONTACT_IN_OUTLOOK,
        "delete",
        "a contact deleted in Outlook stays in CRM",
        "it is deleted in CRM too",
    ),
    Guard(
        R.DELETE_CONTACT_IN_CRM,
        "delete",
        "a contact deleted in CRM stays in its owner's Outlook, leaves everyone else's",
        "it leaves every Outlook, its owner's too",
    ),
    Guard(
        R.UNTRACK_CONTACT,
        "delete",
        "untracking deletes the CRM contact on the owner's yes, and always for anyone else",
        "the CRM record stays whatever the answer",
    ),
    Guard(
        R.DELETE_TASK_IN_OUTLOOK,
        "delete",
        "a task deleted in Outlook is deleted in CRM, its unsynced CRM edits reported lost",
        "the CRM task stays",
    ),
    Guard(
        R.DELETE_TASK_IN_CRM,
        "delete",
        "a task deleted in CRM leaves Outlook only while it is current",
        "it leaves Outlook even when completed",
    ),
    Guard(
        R.UNTRACK_TASK,
        "delete",
        "untracking deletes the CRM task on yes",
        "the CRM task stays whatever the answer",
    ),
    Guard(
        R.TASK_OWNER_ON_SEND,
        "task",
        "a tracked task sent to its assignee passes to the assignee in CRM",
        "the CRM task keeps its owner",
    ),
    Guard(
        R.TASK_REASSIGN_UNTRACKS,
        "task",
        "a received task passed on is untracked and its CRM task deleted",
        "it keeps syncing, owner unchanged",
    ),
    Guard(
        R.TASK_DECLINE_RETURNS,
        "task",
        "a declined task returns to its assigner in CRM, the declined copy untracked",
        "nothing changes on decline",
    ),
    Guard(
        R.FILTER_DEFAULT,
        "filters",
        "the default filters take the active contacts and the appointments and tasks the user owns",
        "the defaults take every record the user owns, whatever its state",
    ),
    Guard(
        R.FILTER_UNION,
        "filters",
        "a record passing any filter of its entity syncs",
        "only the first filter of an entity counts",
    ),
    Guard(
        R.FILTER_NONE,
        "filters",
        "an entity with no enabled filter syncs nothing to Outlook",
        "an entity with no filter syncs the records the user owns",
    ),
    Guard(
        R.FILTER_LEAVE,
        "filters",
        "a copy made from CRM whose record left the filters leaves Outlook, unsynced edits reported lost",
        "the copy stays linked and keeps syncing",
    ),
    Guard(
        R.FILTER_SYSTEM_ADMIN,
        "settings",
        "only an administrator adds system filters; they apply to every user",
        "anyone may add a system filter",
    ),
    Guard(
        R.CONTACT_INACTIVE,
        "pair",
        "a deactivated contact gets the Inactive category in Outlook, and loses it when reactivated",
        "no category is set",
    ),
    Guard(
        R.TIMING_OUTLOOK_INTERVAL,
        "time",
        "a CRM for Outlook mailbox syncs every 15 minutes, or the user's longer interval",
        "the user's interval is taken as it is, shorter ones too",
    ),
    Guard(
        R.TIMING_SERVER_SIDE,
        "time",
        "a server-side mailbox is revisited 5 to 12 minutes (seeded) after its last cycle",
        "server-side mailboxes sync every 15 minutes, as CRM for Outlook does",
    ),
    Guard(
        R.TIMING_TRACK_NOW,
        "time",
        "tracking an item in a server-side mailbox syncs it at once",
        "a tracked item waits for the next cycle",
    ),
    Guard(
        R.TIMING_SSS_AFTER_CYCLE,
        "time",
        "under d365, a server-side mailbox's next cycle is counted from the end of its last one",
        "the next cycle is counted from the start of the last one",
    ),
    Guard(
        R.SSS_RETRY_DISABLE,
        "time",
        "a failing server-side mailbox is retried 10 times, 5 minutes apart, then disabled",
        "a failing mailbox is retried forever",
    ),
    Guard(
        R.ATTACH_MAX_SIZE,
        "file",
        "a file over the organization's maximum size is not copied",
        "files of any size are copied",
        lambda f: (
            f"{f.size // 1024} KB, over the {f.options.attachment_max_kb} KB maximum"
            if f.size > f.options.attachment_max_kb * 1024
            else None
        ),
    ),
    Guard(
        R.ATTACH_BLOCKED,
        "file",
        "a file with a blocked extension is not copied",
        "files of any extension are copied",
        lambda f: (
            f"the .{f.name.rpartition('.')[2].lower()} extension is blocked"
            if f.options.blocked(f.name)
            else None
        ),
    ),
    Guard(
        R.SERVICE_ONE_WAY,
        "pair",
        "service activity fields flow CRM to Outlook only; an Outlook edit is skipped, then overwritten",
        "service activity fields sync both ways",
    ),
    Guard(
        R.FIELD_ONE_WAY,
        "pair",
        "a field set one way flows from its source only; an edit on the other side is skipped, "
        "then overwritten",
        "a field set one way syncs both ways",
    ),
    Guard(
        R.FIELD_NONE,
        "pair",
        "a field set not to sync never moves; an edit on either side is skipped",
        "a field set not to sync syncs both ways",
    ),
    Guard(
        R.FIELD_FIXED,
        "settings",
        "changing the direction of a fixed field is refused",
        "any field's direction may be changed",
    ),
    Guard(
        R.FIELD_SECURITY_READ,
        "pair",
        "a field the user cannot read does not sync for that user",
        "field read permissions are ignored",
    ),
    Guard(
        R.FIELD_SECURITY_UPDATE,
        "pair",
        "a field the user cannot update flows CRM to Outlook only, and an Outlook value is replaced at once",
        "field update permissions are ignored",
    ),
    Guard(
        R.COPY_IGNORED,
        "pair",
        "a server-side user's Exchange copy of a linked item is ignored while "
        "IgnoreCopiedItemsInSSSForMailbox is on",
        "the copy comes into CRM as a record of its own, as with the setting off",
    ),
    Guard(
        R.DELETE_APPT_IN_CRM_ORGANIZER,
        "delete",
        "under d365, a server-side user's copy of an appointment deleted in CRM goes only if the user "
        "organizes it and it is in the future",
        "the delete page's rule holds (DELETE-APPT-IN-CRM: an owner's copy goes too)",
    ),
    Guard(
        R.DELETE_APPT_IN_EXCHANGE_OPEN,
        "delete",
        "under d365, a server-side user's Exchange delete of a past, completed or canceled "
        "appointment, or of one the user does not organize, leaves the CRM record",
        "the delete page's rule holds (DELETE-APPT-IN-OUTLOOK: the record is deleted)",
    ),
    Guard(
        R.DELETE_CONTACT_IN_EXCHANGE_OWNER,
        "delete",
        "under d365, a server-side user's Exchange delete of a contact they own deletes the CRM record",
        "the delete page's rule holds (DELETE-CONTACT-IN-OUTLOOK: the record stays)",
    ),
    Guard(
        R.TASK_ACTUALEND_COMPLETES,
        "pair",
        "under d365, a server-side user's task whose actual end has passed is completed in Exchange",
        "the task stays as Exchange has it, its complete date set",
    ),
    Guard(
        R.APPT_CLOSED_KEEPS_CRM,
        "pair",
        "under d365, a server-side user's Exchange changes to a meeting Completed or Canceled in "
        "Dynamics are skipped; Dynamics' values flow to Exchange",
        "Exchange's changes to a closed meeting reach Dynamics, as to an open one",
    ),
    Guard(
        R.MAILBOX_ACT_READY,
        "mailbox",
        "under d365, a server-side mailbox not approved, not set to server-side sync for appointments, "
        "contacts and tasks, or not tested and enabled syncs nothing; the cycle alerts its owner",
        "every server-side mailbox syncs, whatever its row says",
        lambda f: mailboxes.not_ready(f.row) if f.options.profile == R.D365 else None,
    ),
    Guard(
        R.MAILBOX_QUEUE_NO_ACT,
        "mailbox",
        "a queue's mailbox syncs no appointments, contacts or tasks",
        "a queue's mailbox syncs as a user's does",
        lambda f: (
            "a queue's mailbox does not sync appointments, contacts or tasks"
            if mailboxes.is_queue(f.row)
            else None
        ),
    ),
)

#: The table, by rule ID, in catalogue order.
GUARDS: Mapping[str, Guard] = MappingProxyType(
    {g.rule: g for g in sorted(_GUARDS, key=lambda g: list(R.RULES).index(g.rule))}
)
assert set(GUARDS) == set(R.RULES), f"rules without a guard: {sorted(set(R.RULES) - set(GUARDS))}"


class Guards:
    """The guard table as one engine applies it: some rules may be switched off."""

    def __init__(self, disabled: Iterable[str] = ()) -> None:
        self.disabled = frozenset(R.rule(rule_id).id for rule_id in disabled)

    def on(self, rule_id: str) -> bool:
        return rule_id not in self.disabled

    def stops(self, stage: Stage, facts: Facts) -> list[tuple[str, str]]:
        """(rule, reason) of every switched-on stop guard of ``stage`` that applies to ``facts``
        for the user's channel, in table order."""
        found = []
        for guard in GUARDS.values():
            if guard.stage != stage or guard.stops is None or not self.on(guard.rule):
                continue
            if facts.user.channel not in R.RULES[guard.rule].channels:
                continue
            reason = guard.stops(facts)
            if reason is not None:
                found.append((guard.rule, reason))
        return found
