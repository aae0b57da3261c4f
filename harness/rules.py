"""The rule catalogue: every documented behaviour of the Synchronization tab, with a stable ID.

This module is the single source of truth for rule IDs. Feature tags, step definitions, the
engine, reports and the CLI all read the IDs from here; nothing else types them out.
The IDs and their meaning come from ``shared/SYNC-RULES.md``; the statements are our own words.
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

#: The sections of the source document (Dynamics CRM 2015, System Settings > Synchronization),
#: by the short name tables show.
SECTION_INTRO = "Introduction"
SECTION_ATTACHMENTS = "Appointment attachments"
SECTION_ADDRESSES = "Contact addresses"
SECTION_TASKS = "Assigned tasks"
SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        SECTION_INTRO: "Introduction: admins enable sync in System Settings; run the latest client",
        SECTION_ATTACHMENTS: "Enable appointment attachment synchronization with Outlook or Exchange",
        SECTION_ADDRESSES: "Address synchronization for Contacts",
        SECTION_TASKS: "Enable synchronization for tasks that are assigned in Outlook",
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


@dataclass(frozen=True)
class Rule:
    """One documented behaviour."""

    id: str
    area: str
    channels: tuple[Channel, ...]
    statement: str
    section: str


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
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _RULES})
AREAS: tuple[str, ...] = ("general", "appointments", "contacts", "tasks")


def rule(rule_id: str) -> Rule:
    """The rule with this ID; a ValueError names the known IDs otherwise."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise ValueError(f"unknown rule {rule_id!r}; known rules: {', '.join(RULES)}") from None
