"""Dataverse's ``mailbox`` table: one row per user (or queue) mailbox, as an administrator
approves, tests and enables it, and what server-side sync needs of a row before appointments,
contacts and tasks ("ACT") sync (MAILBOX-ACT-READY, MAILBOX-QUEUE-NO-ACT).

Column names and choice values are Microsoft's own (the table reference of ``mailbox``). The
Outlook side of a mailbox, its items, is :class:`syncsim.harness.stores.outlook.Mailbox`; this
module holds only the CRM record that says how (and whether) the organization syncs with it.

A user joins a world with a mailbox an administrator has set up (approved, tested and enabled:
docs/interpretations.md), so every scenario that does not speak of mailboxes keeps its meaning;
``World.add_user(..., mailbox_ready=False)`` starts one as Dynamics makes it, pending approval
and never tested.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, Literal

from . import rules as R

APPROVAL: Final = "emailrouteraccessapproval"
ACT_METHOD: Final = "actdeliverymethod"
ACT_STATUS: Final = "actstatus"
INCOMING_STATUS: Final = "incomingemailstatus"
OUTGOING_STATUS: Final = "outgoingemailstatus"
INCOMING_METHOD: Final = "incomingemaildeliverymethod"
OUTGOING_METHOD: Final = "outgoingemaildeliverymethod"
ENABLED_FOR_ACT: Final = "enabledforact"
TEST_SCHEDULED: Final = "testemailconfigurationscheduled"
TEST_COMPLETED_ON: Final = "testmailboxaccesscompletedon"
REGARDING_TYPE: Final = "regardingobjecttypecode"

# emailrouteraccessapproval (Email Address Status)
EMPTY, APPROVED, PENDING_APPROVAL, REJECTED = 0, 1, 2, 3
# incomingemailstatus, outgoingemailstatus, actstatus (Test & Enable's results)
NOT_RUN, SUCCESS, FAILURE = 0, 1, 2
# actdeliverymethod (Appointments, Contacts, and Tasks)
BY_OUTLOOK, BY_SERVER_SIDE, BY_NONE = 0, 1, 2

#: the label of every choice of each picklist column, by value
CHOICES: Mapping[str, Mapping[int, str]] = MappingProxyType(
    {
        APPROVAL: {
            EMPTY: "Empty",
            APPROVED: "Approved",
            PENDING_APPROVAL: "Pending Approval",
            REJECTED: "Rejected",
        },
        ACT_METHOD: {
            BY_OUTLOOK: "Microsoft Dynamics 365 for Outlook",
            BY_SERVER_SIDE: "Server-Side Synchronization",
            BY_NONE: "None",
        },
        INCOMING_METHOD: {
            0: "None",
            1: "Microsoft Dynamics 365 for Outlook",
            2: "Server-Side Synchronization or Email Router",
            3: "Forward Mailbox",
        },
        OUTGOING_METHOD: {
            0: "None",
            1: "Microsoft Dynamics 365 for Outlook",
            2: "Server-Side Synchronization or Email Router",
        },
        ACT_STATUS: {NOT_RUN: "Not Run", SUCCESS: "Success", FAILURE: "Failure"},
        INCOMING_STATUS: {NOT_RUN: "Not Run", SUCCESS: "Success", FAILURE: "Failure"},
        OUTGOING_STATUS: {NOT_RUN: "Not Run", SUCCESS: "Success", FAILURE: "Failure"},
        "statecode": {0: "Active", 1: "Inactive"},
    }
)
#: the names the mailbox form shows for the columns a scenario reads or sets
DISPLAY_NAMES: Mapping[str, str] = MappingProxyType(
    {
        APPROVAL: "Email Address Status",
        ACT_METHOD: "Appointments, Contacts, and Tasks",
        INCOMING_METHOD: "Incoming Email",
        OUTGOING_METHOD: "Outgoing Email",
        ACT_STATUS: "Appointments, Contacts, and Tasks Status",
        INCOMING_STATUS: "Incoming Email Status",
        OUTGOING_STATUS: "Outgoing Email Status",
        ENABLED_FOR_ACT: "Enabled For Appointments, Contacts, And Tasks",
    }
)
#: Test & Enable writes these three, one result each (N2)
TEST_RESULTS: Final = (INCOMING_STATUS, OUTGOING_STATUS, ACT_STATUS)
#: the columns an administrator may change (in the app, and through the Web API's PATCH);
#: setting ``testemailconfigurationscheduled`` runs Test & Enable
ADMIN_COLUMNS: Final = (APPROVAL, ACT_METHOD, INCOMING_METHOD, OUTGOING_METHOD, TEST_SCHEDULED)
#: the columns a row has, in the order the Web API lists them
COLUMNS: Final = (
    "mailboxid",
    "name",
    "emailaddress",
    "regardingobjectid",
    REGARDING_TYPE,
    "ownerid",
    APPROVAL,
    ACT_METHOD,
    INCOMING_METHOD,
    OUTGOING_METHOD,
    ENABLED_FOR_ACT,
    *TEST_RESULTS,
    TEST_SCHEDULED,
    TEST_COMPLETED_ON,
    "statecode",
    "statuscode",
)

Level = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Alert:
    """One entry of a mailbox's alert wall, which its owner sees (N2)."""

    level: Level
    text: str
    when: datetime
    #: the catalogue rule the alert comes from
    rule: str = R.MAILBOX_ACT_READY

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


def mailbox_id(regarding_id: str) -> str:
    """A mailbox's id, derived from its user's (or queue's) id: no draw from the world's seeded
    stream of ids, so adding mailboxes changes no other id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"syncsim:mailbox:{regarding_id}"))


def label(column: str, value: Any) -> str:
    """The label of a picklist column's value ("Pending Approval"); the value itself otherwise."""
    return CHOICES.get(column, {}).get(value, str(value))


def column(name: str) -> str:
    """A column's logical name from its logical or display name (any case); a ValueError lists them."""
    wanted = name.strip().lower()
    for logical, shown in DISPLAY_NAMES.items():
        if wanted in (logical, shown.lower()):
            return logical
    known = "; ".join(f"{shown} ({logical})" for logical, shown in DISPLAY_NAMES.items())
    raise ValueError(f"no mailbox column {name!r}; these are: {known}")


def value_of(logical: str, text: str) -> Any:
    """A column's value from its label or number ("Pending Approval", "2"; "yes"/"no" for a
    yes/no column); a ValueError names the allowed labels."""
    choices = CHOICES.get(logical)
    if choices is None:
        flags = {"yes": True, "true": True, "no": False, "false": False}
        if text.strip().lower() not in flags:
            raise ValueError(f"{logical}: {text!r} is not yes or no")
        return flags[text.strip().lower()]
    for value, shown in choices.items():
        if text.strip().lower() in (shown.lower(), str(value)):
            return value
    raise ValueError(f"{logical}: {text!r} is not one of {', '.join(choices.values())}")


def new_row(
    *, name: str, email: str, regarding_id: str, queue: bool, server_side: bool, ready: bool
) -> dict[str, Any]:
    """A mailbox row as Dynamics makes it for a new user or queue (``ready``: as an administrator
    leaves it after approving it and a successful Test & Enable)."""
    method = BY_NONE if queue else (BY_SERVER_SIDE if server_side else BY_OUTLOOK)
    tested = SUCCESS if ready else NOT_RUN
    return {
        "mailboxid": mailbox_id(regarding_id),
        "name": name,
        "emailaddress": email,
        "regardingobjectid": regarding_id,
        REGARDING_TYPE: "queue" if queue else "systemuser",
        "ownerid": regarding_id,
        APPROVAL: APPROVED if ready else PENDING_APPROVAL,
        ACT_METHOD: method,
        INCOMING_METHOD: 2,
        OUTGOING_METHOD: 2,
        ENABLED_FOR_ACT: method == BY_SERVER_SIDE,
        INCOMING_STATUS: tested,
        OUTGOING_STATUS: tested,
        ACT_STATUS: tested if method == BY_SERVER_SIDE else NOT_RUN,
        TEST_SCHEDULED: False,
        TEST_COMPLETED_ON: None,
        "statecode": 0,
        "statuscode": 1,
    }


def is_queue(row: Mapping[str, Any]) -> bool:
    return row.get(REGARDING_TYPE) == "queue"


def not_ready(row: Mapping[str, Any]) -> str | None:
    """Why server-side sync does not sync appointments, contacts and tasks with this user's
    mailbox (MAILBOX-ACT-READY, N1), or None when it does: the address approved, the ACT method
    server-side sync, Test & Enable run with success for ACT. A queue's mailbox is
    MAILBOX-QUEUE-NO-ACT's."""
    if not row or is_queue(row):
        return None
    if row[APPROVAL] != APPROVED:
        return f"its email address is {label(APPROVAL, row[APPROVAL])}, not Approved"
    if row[ACT_METHOD] != BY_SERVER_SIDE:
        method = label(ACT_METHOD, row[ACT_METHOD])
        return f"its Appointments, Contacts, and Tasks method is {method}, not Server-Side Synchronization"
    if row[ACT_STATUS] != SUCCESS:
        status = label(ACT_STATUS, row[ACT_STATUS])
        return f"Test & Enable has not succeeded for appointments, contacts and tasks (status {status})"
    return None


def test_and_enable(row: dict[str, Any], now: datetime) -> list[Alert]:
    """Test & Enable Mailbox (N2): writes the incoming, outgoing and ACT statuses apart, and
    returns the alerts its results make for the mailbox's wall. An address not approved fails
    every test; ACT is tested only when its method is server-side sync."""
    row[TEST_SCHEDULED] = False
    row[TEST_COMPLETED_ON] = now
    if row[APPROVAL] != APPROVED:
        for column in TEST_RESULTS:
            row[column] = FAILURE if column != ACT_STATUS or row[ACT_METHOD] == BY_SERVER_SIDE else NOT_RUN
        row[ENABLED_FOR_ACT] = False
        status = label(APPROVAL, row[APPROVAL])
        text = f"Test & Enable failed: the email address {row['emailaddress']} is {status}, not Approved"
        return [Alert("error", text, now)]
    row[INCOMING_STATUS] = row[OUTGOING_STATUS] = SUCCESS
    syncs_act = row[ACT_METHOD] == BY_SERVER_SIDE and not is_queue(row)
    row[ACT_STATUS] = SUCCESS if syncs_act else NOT_RUN
    row[ENABLED_FOR_ACT] = syncs_act
    what = "email, appointments, contacts and tasks" if syncs_act else "email"
    return [Alert("information", f"Test & Enable succeeded: the mailbox is enabled for {what}", now)]


def change(row: dict[str, Any], column: str, value: Any) -> None:
    """An administrator changes one column (ADMIN_COLUMNS); a ValueError names the column or value
    and the allowed ones. A new ACT method must be tested again, so its status goes back to Not Run.
    (Setting TEST_SCHEDULED is the caller's: it runs :func:`test_and_enable`.)"""
    if column not in ADMIN_COLUMNS:
        raise ValueError(
            f"mailbox column {column!r} cannot be changed; these can: {', '.join(ADMIN_COLUMNS)}"
        )
    if column == TEST_SCHEDULED:
        if not isinstance(value, bool):
            raise ValueError(f"{column}: {value!r} is not true or false")
        row[column] = value
        return
    choices = CHOICES[column]
    if isinstance(value, bool) or value not in choices:
        allowed = ", ".join(f"{v} ({text})" for v, text in choices.items())
        raise ValueError(f"{column}: {value!r} is not one of {allowed}")
    if column == ACT_METHOD and is_queue(row) and value != BY_NONE:
        raise ValueError(
            f"{column}: a queue's mailbox cannot sync appointments, contacts and tasks; only {BY_NONE} (None)"
        )
    if column == ACT_METHOD and value != row[column]:
        row[ACT_STATUS] = NOT_RUN
        row[ENABLED_FOR_ACT] = False
    row[column] = value
