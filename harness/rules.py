"""The rule catalogue: every documented behaviour, with a stable ID and the page it comes from.

This module is the single source of truth for rule IDs. Feature tags, step definitions, the
engine, reports and the CLI all read the IDs from here; nothing else types them out. The first
rules come from the seed page (the CRM 2015 System Settings > Synchronization tab, IDs from
``shared/SYNC-RULES.md``); the others from Microsoft's pages listed in :data:`SOURCES`, as
``shared/MICROSOFT-FACTS.md`` maps them. The statements are our own words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Channel = Literal["outlook", "server-side"]
OUTLOOK: Channel = "outlook"
SERVER_SIDE: Channel = "server-side"
CHANNELS: tuple[Channel, ...] = (OUTLOOK, SERVER_SIDE)
BOTH = CHANNELS
#: The product and era whose documented behaviour an organization follows: the seed page's CRM
#: 2015 (and the pages syncsim followed before Dynamics 365's server-side sync pages), or Dynamics
#: 365 with server-side synchronization as Microsoft's sync-logic page describes it. Where the pages
#: conflict, each profile follows its own (docs/interpretations.md).
Profile = Literal["crm2015", "d365"]
CRM2015: Profile = "crm2015"
D365: Profile = "d365"
PROFILES: tuple[Profile, ...] = (CRM2015, D365)

#: The sections of the source document (Dynamics CRM 2015, System Settings > Synchronization),
#: by the short name tables show.
SECTION_INTRO = "Introduction"
SECTION_ATTACHMENTS = "Appointment attachments"
SECTION_ADDRESSES = "Contact addresses"
SECTION_TASKS = "Assigned tasks"
SECTION_DELETES = "Deleting and untracking"
SECTION_SERVICE = "Service activities"
SECTION_LIMITS = "Attachment limits"
SECTION_ASSIGNING = "Assigning tracked tasks"
SECTION_FILTERS = "Sync filters"
SECTION_TIMING = "When sync runs"
SECTION_FIELDS = "Field directions"
SECTION_COPIES = "Copied items"
SECTION_MAILBOXES = "Mailboxes"
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        SECTION_INTRO: "Introduction: admins enable sync in System Settings; run the latest client",
        SECTION_ATTACHMENTS: "Enable appointment attachment synchronization with Outlook or Exchange",
        SECTION_ADDRESSES: "Address synchronization for Contacts",
        SECTION_TASKS: "Enable synchronization for tasks that are assigned in Outlook",
        SECTION_DELETES: "Deleting records that have been tracked (both channels alike)",
        SECTION_SERVICE: "Service activities: every field one way, CRM to Outlook",
        SECTION_LIMITS: "Attachments: a maximum size and blocked file extensions",
        SECTION_ASSIGNING: "Assigning tasks: ownership on send, reassigning, declining",
        SECTION_FILTERS: "Which CRM records reach Outlook: user and system sync filters",
        SECTION_TIMING: "When each channel syncs, and what server-side sync does with a failing mailbox",
        SECTION_FIELDS: "Which fields sync, and which way: per-field directions and field security",
        SECTION_COPIES: "A copy of a linked item made in Exchange (server-side sync)",
        SECTION_MAILBOXES: "What a mailbox needs before server-side sync syncs its appointments, "
        "contacts and tasks",
    }
)

#: Rule IDs, each typed once; the engine refers to rules by these names.
SETTINGS_DEFAULTS = "SETTINGS-DEFAULTS"
SETTINGS_ADMIN_ONLY = "SETTINGS-ADMIN-ONLY"
CLIENT_LATEST = "CLIENT-LATEST"
APPT_ATTACH_OFF = "APPT-ATTACH-OFF"
APPT_ATTACH_ON = "APPT-ATTACH-ON"
APPT_ATTACH_TURNED_OFF = "APPT-ATTACH-TURNED-OFF"
APPT_ATTACH_RECURRING = "APPT-ATTACH-RECURRING"
APPT_ATTACH_SLOW_LINK = "APPT-ATTACH-SLOW-LINK"
APPT_ATTACH_SERVICE_ACTIVITY = "APPT-ATTACH-SERVICE-ACTIVITY"
CONTACT_ADDRESS_MAILING_ONLY = "CONTACT-ADDRESS-MAILING-ONLY"
CONTACT_ADDRESS_ALL_THREE = "CONTACT-ADDRESS-ALL-THREE"
CONTACT_ADDRESS_REMAP_LOSS = "CONTACT-ADDRESS-REMAP-LOSS"
CONTACT_ADDRESS_ONE_SIDED = "CONTACT-ADDRESS-ONE-SIDED"
TASK_ASSIGNED_OFF = "TASK-ASSIGNED-OFF"
TASK_ASSIGNED_ON = "TASK-ASSIGNED-ON"
TASK_RECURRING = "TASK-RECURRING"
TASK_SAME_ORG = "TASK-SAME-ORG"
TASK_ONE_ADDRESS = "TASK-ONE-ADDRESS"
TASK_OUTLOOK_ONLY = "TASK-OUTLOOK-ONLY"
# beyond the seed page: deleting and untracking (DEL), service activities (WF, TS)
DELETE_APPT_IN_OUTLOOK = "DELETE-APPT-IN-OUTLOOK"
DELETE_APPT_IN_CRM = "DELETE-APPT-IN-CRM"
UNTRACK_APPT = "UNTRACK-APPT"
DELETE_CONTACT_IN_OUTLOOK = "DELETE-CONTACT-IN-OUTLOOK"
DELETE_CONTACT_IN_CRM = "DELETE-CONTACT-IN-CRM"
UNTRACK_CONTACT = "UNTRACK-CONTACT"
DELETE_TASK_IN_OUTLOOK = "DELETE-TASK-IN-OUTLOOK"
DELETE_TASK_IN_CRM = "DELETE-TASK-IN-CRM"
UNTRACK_TASK = "UNTRACK-TASK"
SERVICE_ONE_WAY = "SERVICE-ONE-WAY"
# copied items (SL, ODB)
COPY_IGNORED = "COPY-IGNORED"
# deletes under Dynamics 365 server-side sync (SL), where they differ from DEL
DELETE_APPT_IN_CRM_ORGANIZER = "DELETE-APPT-IN-CRM-ORGANIZER"
DELETE_APPT_IN_EXCHANGE_OPEN = "DELETE-APPT-IN-EXCHANGE-OPEN"
DELETE_CONTACT_IN_EXCHANGE_OWNER = "DELETE-CONTACT-IN-EXCHANGE-OWNER"
# tasks under Dynamics 365 (SL)
TASK_ACTUALEND_COMPLETES = "TASK-ACTUALEND-COMPLETES"
# closed meetings (SL)
APPT_CLOSED_KEEPS_CRM = "APPT-CLOSED-KEEPS-CRM"
# mailboxes (SL)
MAILBOX_ACT_READY = "MAILBOX-ACT-READY"
MAILBOX_QUEUE_NO_ACT = "MAILBOX-QUEUE-NO-ACT"
#: the rule that decides what deleting a tracked item in Outlook does to its CRM record, by kind
DELETE_IN_OUTLOOK = {
    "contact": DELETE_CONTACT_IN_OUTLOOK,
    "appointment": DELETE_APPT_IN_OUTLOOK,
    "task": DELETE_TASK_IN_OUTLOOK,
}
#: the sync-logic page's rule for a server-side user's Exchange delete under Dynamics 365, by kind
DELETE_IN_EXCHANGE_SL = {
    "contact": DELETE_CONTACT_IN_EXCHANGE_OWNER,
    "appointment": DELETE_APPT_IN_EXCHANGE_OPEN,
}
# assigned tasks, tracked (TT)
TASK_OWNER_ON_SEND = "TASK-OWNER-ON-SEND"
TASK_REASSIGN_UNTRACKS = "TASK-REASSIGN-UNTRACKS"
TASK_DECLINE_RETURNS = "TASK-DECLINE-RETURNS"
# sync filters (FLT, DFLT, SDKF, ODB) and inactive contacts (WF)
FILTER_DEFAULT = "FILTER-DEFAULT"
FILTER_UNION = "FILTER-UNION"
FILTER_NONE = "FILTER-NONE"
FILTER_LEAVE = "FILTER-LEAVE"
FILTER_SYSTEM_ADMIN = "FILTER-SYSTEM-ADMIN"
CONTACT_INACTIVE = "CONTACT-INACTIVE"
# timing (MAN, PO, SSS, SSST, FAQ)
TIMING_OUTLOOK_INTERVAL = "TIMING-OUTLOOK-INTERVAL"
TIMING_SERVER_SIDE = "TIMING-SERVER-SIDE"
TIMING_TRACK_NOW = "TIMING-TRACK-NOW"
SSS_RETRY_DISABLE = "SSS-RETRY-DISABLE"
TIMING_SSS_AFTER_CYCLE = "TIMING-SSS-AFTER-CYCLE"
# attachment limits (TA)
ATTACH_MAX_SIZE = "ATTACH-MAX-SIZE"
ATTACH_BLOCKED = "ATTACH-BLOCKED"
# field directions (WF, CF, VF) and field security (FS, VF)
FIELD_ONE_WAY = "FIELD-ONE-WAY"
FIELD_NONE = "FIELD-NONE"
FIELD_FIXED = "FIELD-FIXED"
FIELD_SECURITY_READ = "FIELD-SECURITY-READ"
FIELD_SECURITY_UPDATE = "FIELD-SECURITY-UPDATE"


@dataclass(frozen=True)
class Source:
    """A documentation page a rule comes from: MicrosoftDocs repository and path (or the seed)."""

    key: str
    title: str
    repository: str
    path: str

    @property
    def where(self) -> str:
        return f"{self.repository}: {self.path}" if self.repository else self.path


D365CE = "MicrosoftDocs/dynamics-365-customer-engagement"
POWER_PLATFORM = "MicrosoftDocs/power-platform"
SEED = "SEED"
SOURCES: Mapping[str, Source] = MappingProxyType(
    {
        s.key: s
        for s in (
            Source(
                SEED,
                "Configure synchronization for appointments, contacts, and tasks (CRM 2015)",
                "",
                "shared/seed/000_aaa12c8a1b6b1dc4.txt",
            ),
            Source(
                "DEL",
                "Deleting records that have been tracked",
                D365CE,
                "ce/outlook-addin/user-guide/delete-records-that-have-been-tracked.md",
            ),
            Source(
                "WF",
                "What fields can be synchronized with Outlook?",
                D365CE,
                "ce/customerengagement/on-premises/admin/what-fields-synchronized-outlook.md",
            ),
            Source(
                "TS",
                "Troubleshooting and things to know about Dynamics 365 for Outlook",
                D365CE,
                "ce/outlook-addin/admin-guide/troubleshooting-things-to-know.md",
            ),
            Source("TT", "Track Outlook tasks", D365CE, "ce/outlook-addin/user-guide/track-outlook-tasks.md"),
            Source(
                "DFLT",
                "Appointment, Contact and Task default filter changes",
                POWER_PLATFORM,
                "power-platform/admin/AppointmentContactandTaskDefaultFilterchanges-new.md",
            ),
            Source(
                "FLT",
                "Choose records to synchronize between Dynamics 365 and Outlook or Exchange",
                POWER_PLATFORM,
                "power-platform/admin/choose-records-synchronize-dynamics-365-outlook-exchange.md",
            ),
            Source("ODB", "OrgDBOrgSettings", POWER_PLATFORM, "power-platform/admin/OrgDbOrgSettings.md"),
            Source(
                "SL",
                "Synchronization logic for appointments, contacts, and tasks",
                POWER_PLATFORM,
                "power-platform/admin/sync-logic.md",
            ),
            Source(
                "PO",
                "Set personal options that affect tracking and synchronization",
                D365CE,
                "ce/outlook-addin/user-guide/set-personal-options-affect-tracking-synchronization-exchange.md",
            ),
            Source(
                "SSS",
                "Server-side synchronization",
                POWER_PLATFORM,
                "power-platform/admin/server-side-synchronization.md",
            ),
            Source(
                "SSST",
                "Troubleshooting and monitoring server-side synchronization",
                POWER_PLATFORM,
                "power-platform/admin/troubleshooting-monitoring-server-side-synchronization.md",
            ),
            Source(
                "FAQ",
                "Frequently asked questions about synchronizing records",
                D365CE,
                "ce/outlook-addin/user-guide/frequently-asked-questions-synchronizing-records.md",
            ),
            Source(
                "TA",
                "Track Outlook appointments",
                D365CE,
                "ce/outlook-addin/user-guide/track-outlook-appointments.md",
            ),
            Source(
                "CF",
                "Control field synchronization with Outlook",
                D365CE,
                "ce/customerengagement/on-premises/admin/control-field-synchronization-outlook.md",
            ),
            Source(
                "VF",
                "View the fields that are synchronized between Dynamics 365 apps and Outlook",
                D365CE,
                "ce/outlook-addin/user-guide/view-fields-synchronized.md",
            ),
            Source(
                "FS",
                "How field security affects synchronization between Dynamics 365 apps and Outlook",
                D365CE,
                "ce/outlook-addin/admin-guide/field-security-synchronization.md",
            ),
        )
    }
)


@dataclass(frozen=True)
class Rule:
    """One documented behaviour."""

    id: str
    area: str
    channels: tuple[Channel, ...]
    statement: str
    section: str
    #: the key of the page it comes from, in SOURCES
    source: str = SEED
    #: the profiles whose organizations it holds in (PROFILES)
    profiles: tuple[Profile, ...] = PROFILES


_RULES = (
    Rule(
        SETTINGS_DEFAULTS,
        "general",
        BOTH,
        "A new organization starts with attachment sync off, mailing address only, "
        "and assigned-task sync off.",
        SECTION_INTRO,
    ),
    Rule(
        SETTINGS_ADMIN_ONLY,
        "general",
        BOTH,
        "Only a system administrator may change the Synchronization settings; "
        "anyone else is refused and nothing changes.",
        SECTION_INTRO,
    ),
    Rule(
        CLIENT_LATEST,
        "general",
        (OUTLOOK,),
        "A CRM for Outlook client older than the organization's version is warned about "
        "on every cycle, and the tab's options act at their defaults for that user.",
        SECTION_INTRO,
    ),
    Rule(
        APPT_ATTACH_OFF,
        "appointments",
        BOTH,
        "By default appointments sync without their attachments, in both directions.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        APPT_ATTACH_ON,
        "appointments",
        BOTH,
        "With attachment sync on, an attachment added on either side reaches the other side "
        "with the same name, size and bytes.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        APPT_ATTACH_TURNED_OFF,
        "appointments",
        BOTH,
        "After attachment sync is turned off again, new attachments no longer reach CRM, "
        "and the ones already in Outlook stay there.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        APPT_ATTACH_RECURRING,
        "appointments",
        BOTH,
        "A recurring appointment syncs, but its attachments never do, even with the option on.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        APPT_ATTACH_SLOW_LINK,
        "appointments",
        BOTH,
        "Attachment bytes cost transfer time on the user's link, so on a slow link a cycle "
        "that carries attachments takes noticeably longer.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        APPT_ATTACH_SERVICE_ACTIVITY,
        "appointments",
        BOTH,
        "A service activity reaches Outlook as an appointment, but its attachments never sync.",
        SECTION_ATTACHMENTS,
    ),
    Rule(
        CONTACT_ADDRESS_MAILING_ONLY,
        "contacts",
        BOTH,
        "By default only CRM Address 1 and the Outlook mailing address sync; the other "
        "addresses stay as they are on both sides.",
        SECTION_ADDRESSES,
    ),
    Rule(
        CONTACT_ADDRESS_ALL_THREE,
        "contacts",
        BOTH,
        "With all three addresses on, Address 1, 2 and 3 sync with Business, Home and Other.",
        SECTION_ADDRESSES,
    ),
    Rule(
        CONTACT_ADDRESS_REMAP_LOSS,
        "contacts",
        BOTH,
        "Switching to all three addresses with tracked contacts re-maps their fields and can "
        "lose values; every lost value is reported.",
        SECTION_ADDRESSES,
    ),
    Rule(
        CONTACT_ADDRESS_ONE_SIDED,
        "contacts",
        BOTH,
        "With the full address data on the CRM side and the Outlook side empty, switching "
        "loses nothing: the data flows to the empty side.",
        SECTION_ADDRESSES,
    ),
    Rule(
        TASK_ASSIGNED_OFF,
        "tasks",
        (OUTLOOK,),
        "By default a task assigned to someone in Outlook does not reach CRM; tasks a user "
        "tracks for themself sync as usual.",
        SECTION_TASKS,
    ),
    Rule(
        TASK_ASSIGNED_ON,
        "tasks",
        (OUTLOOK,),
        "With the option on, a task assigned in Outlook reaches CRM, owned by the assignee.",
        SECTION_TASKS,
    ),
    Rule(
        TASK_RECURRING,
        "tasks",
        (OUTLOOK,),
        "Recurring tasks do not sync.",
        SECTION_TASKS,
    ),
    Rule(
        TASK_SAME_ORG,
        "tasks",
        (OUTLOOK,),
        "An assigned task syncs only when assigner and assignee are in the same organization.",
        SECTION_TASKS,
    ),
    Rule(
        TASK_ONE_ADDRESS,
        "tasks",
        (OUTLOOK,),
        "A task assigned to more than one email address does not sync.",
        SECTION_TASKS,
    ),
    Rule(
        TASK_OUTLOOK_ONLY,
        "tasks",
        (SERVER_SIDE,),
        "The assigned-task option is for CRM for Outlook only; for a server-side user it changes nothing.",
        SECTION_TASKS,
    ),
    Rule(
        DELETE_APPT_IN_OUTLOOK,
        "deletes",
        BOTH,
        "Deleting a tracked appointment in Outlook deletes it in CRM.",
        SECTION_DELETES,
        "DEL",
        (
            CRM2015,
        ),  # Dynamics 365 server-side sync follows SL here (the DELETE-*-ORGANIZER/-OPEN/-OWNER rules)
    ),
    Rule(
        DELETE_APPT_IN_CRM,
        "deletes",
        BOTH,
        "An appointment deleted in CRM leaves a user's Outlook only if it is present or future and the "
        "user owns or organizes it; otherwise the Outlook copy stays.",
        SECTION_DELETES,
        "DEL",
        (
            CRM2015,
        ),  # Dynamics 365 server-side sync follows SL here (the DELETE-*-ORGANIZER/-OPEN/-OWNER rules)
    ),
    Rule(
        UNTRACK_APPT,
        "deletes",
        (OUTLOOK,),
        "Untracking an appointment asks whether to delete it in CRM; it is deleted only on yes, if it "
        "is present or future and the user owns it.",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        DELETE_CONTACT_IN_OUTLOOK,
        "deletes",
        BOTH,
        "Deleting a tracked contact in Outlook leaves the CRM record in place.",
        SECTION_DELETES,
        "DEL",
        (
            CRM2015,
        ),  # Dynamics 365 server-side sync follows SL here (the DELETE-*-ORGANIZER/-OPEN/-OWNER rules)
    ),
    Rule(
        DELETE_CONTACT_IN_CRM,
        "deletes",
        BOTH,
        "A contact deleted in CRM stays in its owner's Outlook and leaves the Outlook of everyone else.",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        UNTRACK_CONTACT,
        "deletes",
        (OUTLOOK,),
        "Untracking a contact asks its owner whether to delete the CRM record; for anyone else CRM "
        "deletes the record.",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        DELETE_TASK_IN_OUTLOOK,
        "deletes",
        BOTH,
        "Deleting a tracked task in Outlook deletes the CRM task.",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        DELETE_TASK_IN_CRM,
        "deletes",
        BOTH,
        "A task deleted in CRM leaves Outlook only while it is current (not completed).",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        UNTRACK_TASK,
        "deletes",
        (OUTLOOK,),
        "Untracking a task asks whether to delete it in CRM; it is deleted only on yes.",
        SECTION_DELETES,
        "DEL",
    ),
    Rule(
        SERVICE_ONE_WAY,
        "appointments",
        BOTH,
        "Service activities sync one way, CRM to Outlook: an Outlook edit does not reach CRM and is "
        "overwritten by the next CRM change; deleting or untracking one in Outlook leaves its CRM record.",
        SECTION_SERVICE,
        "WF",
    ),
    Rule(
        TASK_OWNER_ON_SEND,
        "tasks",
        (OUTLOOK,),
        "When a task is sent to its assignee, the CRM task passes to the assignee, also when it was "
        "tracked before it was assigned.",
        SECTION_ASSIGNING,
        "TT",
    ),
    Rule(
        TASK_REASSIGN_UNTRACKS,
        "tasks",
        (OUTLOOK,),
        "A tracked task its assignee passes on to someone else is untracked and deleted from CRM.",
        SECTION_ASSIGNING,
        "TT",
    ),
    Rule(
        TASK_DECLINE_RETURNS,
        "tasks",
        (OUTLOOK,),
        "A task its assignee declines returns to the person who assigned it.",
        SECTION_ASSIGNING,
        "TT",
    ),
    Rule(
        FILTER_DEFAULT,
        "filters",
        BOTH,
        "Every user starts with the default sync filters: the active contacts, and the appointments "
        "and tasks, the user owns.",
        SECTION_FILTERS,
        "DFLT",
    ),
    Rule(
        FILTER_UNION,
        "filters",
        BOTH,
        "Several filters for one entity combine as a union: a record passing any of them syncs.",
        SECTION_FILTERS,
        "DFLT",
    ),
    Rule(
        FILTER_NONE,
        "filters",
        BOTH,
        "With no enabled filter for an entity, none of its records reach the user's Outlook.",
        SECTION_FILTERS,
        "DFLT",
    ),
    Rule(
        FILTER_LEAVE,
        "filters",
        BOTH,
        "A record that no longer passes the user's filters leaves the user's Outlook, as a delete does.",
        SECTION_FILTERS,
        "ODB",
    ),
    Rule(
        FILTER_SYSTEM_ADMIN,
        "filters",
        BOTH,
        "Only an administrator creates system filters, and they apply to every user of the organization.",
        SECTION_FILTERS,
        "FLT",
    ),
    Rule(
        CONTACT_INACTIVE,
        "contacts",
        BOTH,
        "A deactivated contact that still passes the user's filters shows in Outlook, in the "
        "Inactive category.",
        SECTION_FILTERS,
        "WF",
    ),
    Rule(
        TIMING_OUTLOOK_INTERVAL,
        "timing",
        (OUTLOOK,),
        "CRM for Outlook syncs every 15 minutes; a user may choose a longer interval, never a shorter one.",
        SECTION_TIMING,
        "PO",
    ),
    Rule(
        TIMING_SERVER_SIDE,
        "timing",
        (SERVER_SIDE,),
        "Server-side sync comes back to a mailbox 5 to 12 minutes after its last cycle.",
        SECTION_TIMING,
        "SSS",
    ),
    Rule(
        TIMING_TRACK_NOW,
        "timing",
        (SERVER_SIDE,),
        "Under server-side sync, tracking an item syncs it at once, not at the next cycle.",
        SECTION_TIMING,
        "FAQ",
    ),
    Rule(
        TIMING_SSS_AFTER_CYCLE,
        "timing",
        (SERVER_SIDE,),
        "Under Dynamics 365, server-side sync counts a mailbox's next cycle from the end of its last "
        "one, so a long cycle (attachments on a slow link) delays the next by its own length.",
        SECTION_TIMING,
        "SSS",
        (D365,),
    ),
    Rule(
        SSS_RETRY_DISABLE,
        "timing",
        (SERVER_SIDE,),
        "Server-side sync retries a failing mailbox up to 10 times, 5 minutes apart, then disables it "
        "until an administrator enables it again.",
        SECTION_TIMING,
        "SSST",
    ),
    Rule(
        ATTACH_MAX_SIZE,
        "appointments",
        BOTH,
        "An attachment larger than the organization's maximum (5 MB unless an administrator raises "
        "it, to at most 32 MB) does not sync, in either direction.",
        SECTION_LIMITS,
        "TA",
    ),
    Rule(
        ATTACH_BLOCKED,
        "appointments",
        BOTH,
        "An attachment whose file extension the organization blocks does not sync, in either direction.",
        SECTION_LIMITS,
        "TA",
    ),
    Rule(
        FIELD_ONE_WAY,
        "general",
        BOTH,
        "A field the administrator sets to sync one way moves only from its source side: an edit on "
        "the other side is kept there unsynced, and is overwritten once the source side changes.",
        SECTION_FIELDS,
        "VF",
    ),
    Rule(
        FIELD_NONE,
        "general",
        BOTH,
        "A field the administrator sets not to sync never moves, in either direction.",
        SECTION_FIELDS,
        "CF",
    ),
    Rule(
        FIELD_FIXED,
        "general",
        BOTH,
        "Only the fields Microsoft's table marks as settable can have their direction changed; the "
        "others (Full Name, Importance, attendees, appointment time, every service activity field) "
        "keep theirs.",
        SECTION_FIELDS,
        "WF",
    ),
    Rule(
        FIELD_SECURITY_READ,
        "general",
        BOTH,
        "A field the user has no permission to read does not sync for that user, even when it is set "
        "to sync both ways.",
        SECTION_FIELDS,
        "VF",
    ),
    Rule(
        FIELD_SECURITY_UPDATE,
        "general",
        BOTH,
        "A field the user may read but not update does not reach CRM from the user's Outlook: CRM's "
        "value replaces the Outlook one at the next sync (Job Title disappears from a tracked contact).",
        SECTION_FIELDS,
        "FS",
    ),
    Rule(
        COPY_IGNORED,
        "general",
        (SERVER_SIDE,),
        "A copy made in Exchange of an item linked to a CRM record is ignored while the organization "
        "setting IgnoreCopiedItemsInSSSForMailbox is on (the default): no duplicate reaches CRM and the "
        "original stays linked. With the setting off, the copy comes into CRM as a record of its own.",
        SECTION_COPIES,
        "SL",
    ),
    Rule(
        DELETE_APPT_IN_CRM_ORGANIZER,
        "deletes",
        (SERVER_SIDE,),
        "Under Dynamics 365 server-side sync, an appointment deleted in Dynamics leaves the user's "
        "Exchange calendar only if the user organizes it and it is in the future; otherwise it stays "
        "there, unlinked (an owner who does not organize it keeps it).",
        SECTION_DELETES,
        "SL",
        (D365,),
    ),
    Rule(
        DELETE_APPT_IN_EXCHANGE_OPEN,
        "deletes",
        (SERVER_SIDE,),
        "Under Dynamics 365 server-side sync, an appointment deleted in Exchange is deleted in "
        "Dynamics only if the user organizes it and it is neither past nor completed or canceled; "
        "otherwise the record stays.",
        SECTION_DELETES,
        "SL",
        (D365,),
    ),
    Rule(
        DELETE_CONTACT_IN_EXCHANGE_OWNER,
        "deletes",
        (SERVER_SIDE,),
        "Under Dynamics 365 server-side sync, a contact deleted in Exchange is deleted in Dynamics "
        "if the user owns it.",
        SECTION_DELETES,
        "SL",
        (D365,),
    ),
    Rule(
        TASK_ACTUALEND_COMPLETES,
        "tasks",
        (SERVER_SIDE,),
        "Under Dynamics 365 server-side sync, a task whose actual end is set and in the past is "
        "completed in Exchange.",
        SECTION_FIELDS,
        "SL",
        (D365,),
    ),
    Rule(
        APPT_CLOSED_KEEPS_CRM,
        "appointments",
        (SERVER_SIDE,),
        "Under Dynamics 365 server-side sync, changes made in Exchange to a meeting that is Completed "
        "or Canceled in Dynamics do not reach Dynamics; Dynamics' values flow to Exchange as before.",
        SECTION_FIELDS,
        "SL",
        (D365,),
    ),
    Rule(
        MAILBOX_ACT_READY,
        "general",
        (SERVER_SIDE,),
        "Under Dynamics 365, server-side sync syncs a user's appointments, contacts and tasks only once "
        "the mailbox's email address is approved, its Appointments, Contacts, and Tasks method is "
        "server-side sync, and Test & Enable has succeeded; until then each cycle syncs nothing and "
        "records a warning naming what is missing.",
        SECTION_MAILBOXES,
        "SL",
        (D365,),
    ),
    Rule(
        MAILBOX_QUEUE_NO_ACT,
        "general",
        (SERVER_SIDE,),
        "A queue's mailbox never syncs appointments, contacts or tasks.",
        SECTION_MAILBOXES,
        "SL",
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _RULES})
assert all(r.source in SOURCES for r in RULES.values()), "every rule names a known source"
AREAS: tuple[str, ...] = ("general", "appointments", "contacts", "tasks", "deletes", "filters", "timing")


def rule(rule_id: str) -> Rule:
    """The rule with this ID; a ValueError names the known IDs otherwise."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise ValueError(f"unknown rule {rule_id!r}; known rules: {', '.join(RULES)}") from None


def not_holding(profile: str) -> frozenset[str]:
    """The rules that do not hold under ``profile``: a scenario tagged with one is not run there."""
    return frozenset(rule.id for rule in RULES.values() if profile not in rule.profiles)
