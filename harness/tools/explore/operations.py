"""The operations explore draws: what the step vocabulary lets a user do, as plain data.

An operation is a tuple ``(name, *arguments)``; a sequence is a list of them, drawn by hypothesis
from :func:`sequences` and shrunk as a list (fewer operations, smaller numbers, earlier choices).
Each name is carried out by the :class:`~.runner.Runner` method of the same name.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from ... import mailboxes
from ...settings import PROFILE, SETTINGS, TAB
from ...sim.network import FAULT_KINDS

Op = tuple[Any, ...]

USERS = ("alice", "bob")
KINDS = ("contact", "appointment", "recurring appointment", "task")
APPOINTMENTS = ("appointment", "recurring appointment")
SIDES = ("CRM", "Outlook")
WORDS = ("Oslo", "Bergen", "Pilot", "Room 4", "")
#: file names as people and programs write them: other cases, several dots, non-ASCII letters,
#: an extension on the blocked list, none at all
FILES = (
    "agenda.pdf",
    "photo.jpg",
    "Agenda.PDF",
    "minutes.v2.final.docx",
    "Prüfbericht Maß.pdf",
    "setup.exe",
    "README",
)
#: the explored organization's attachment limit, in KB: small, so files either side of it stay
#: small (the limit is a number like any: files of megabytes would only cost memory and time)
MAX_KB = 16
#: file sizes in KB: small, and on both sides of the limit (ATTACH-MAX-SIZE)
SIZES_KB = (1, 1, 1, MAX_KB, MAX_KB + 1)
#: who a task goes to: users by name, or a user's address in capitals ("BOB": BOB@...)
ASSIGNEES = (("bob",), ("eve",), ("alice",), ("bob", "eve"), ("BOB",), ("BOB", "eve"))
RETRY_AFTER = (5, 60, 600)
#: e-mail addresses as people type them: one address in three cases, and none
EMAILS = ("Ann.Lee@Contoso.com", "ann.lee@contoso.com", "ANN.LEE@CONTOSO.COM", "")
#: an appointment's time: all day, across Europe's spring and autumn clock changes (one hour of
#: UTC either way, written in the local offsets), in another zone's offset
TIMES = ("all-day", "spring-forward", "fall-back", "new-york")
#: (start, end, all day) of each of TIMES, as a step writes them
MOMENTS = {
    "all-day": ("2027-02-01T00:00:00+00:00", "2027-02-02T00:00:00+00:00", "true"),
    "spring-forward": ("2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00", "false"),
    "fall-back": ("2027-10-31T02:30:00+02:00", "2027-10-31T02:30:00+01:00", "false"),
    "new-york": ("2027-01-15T09:00:00-05:00", "2027-01-15T10:00:00-05:00", "false"),
}
#: the situation (see :data:`SITUATIONS`) each of TIMES makes
TIME_SITUATIONS = {
    "all-day": "an all-day appointment",
    "spring-forward": "an appointment across a clock change",
    "fall-back": "an appointment across a clock change",
    "new-york": "an appointment written in another zone's offset",
}
#: fields an administrator may turn (settable rows of Microsoft's table), and the directions (two-way
#: as often as the others together: a field turned back is where held-apart values meet)
TURNABLE = (
    ("contact", "jobtitle"),
    ("appointment", "location"),
    ("task", "description"),
    ("contact", "emailaddress1"),
)
DIRECTIONS = ("two-way", "crm-to-outlook", "two-way", "outlook-to-crm", "two-way", "none")
#: sync filters a user adds (FetchXML, as Dynamics keeps them): of their entity, one condition
FILTERS = (
    ("contact", '<condition attribute="address1_city" operator="eq" value="Oslo"/>'),
    ("contact", '<condition attribute="statecode" operator="eq" value="0"/>'),
    ("appointment", '<condition attribute="location" operator="eq" value="Oslo"/>'),
    ("task", '<condition attribute="ownerid" operator="eq-userid"/>'),
)
#: what field security leaves bob on a field
ACCESS = ("read-only", "no-read")
#: what happens to bob's server-side mailbox, drawn as one of ten: mostly nothing; the
#: administrator changes its row (MAILBOX_CHANGES); last (rarely, an hour of cycles) an outage,
#: an hour without network: the mailbox is disabled, then enabled again
MAILBOX_EVENTS = ("nothing",) * 5 + ("test-and-enable", "act-none", "pending", "act-server-side", "outage")
#: The field an edit changes, by kind and side (CRM logical names, Outlook property names).
EDITABLE = {
    ("contact", "CRM"): ("jobtitle", "address1_city", "address2_city"),
    ("contact", "Outlook"): ("JobTitle", "BusinessAddressCity", "HomeAddressCity"),
    ("appointment", "CRM"): ("location", "subject"),
    ("appointment", "Outlook"): ("Location", "Subject"),
    ("recurring appointment", "CRM"): ("location",),
    ("recurring appointment", "Outlook"): ("Location",),
    ("task", "CRM"): ("subject", "description"),
    ("task", "Outlook"): ("Subject", "Body"),
}
#: What the runner compares of an item on each side, beyond what edits change: the fields the
#: other operations set (e-mail, the third address, an appointment's time).
WATCHED = {
    **EDITABLE,
    ("contact", "CRM"): (*EDITABLE[("contact", "CRM")], "address3_city", "emailaddress1"),
    ("contact", "Outlook"): (*EDITABLE[("contact", "Outlook")], "OtherAddressCity", "Email1Address"),
    ("appointment", "CRM"): (
        *EDITABLE[("appointment", "CRM")],
        "scheduledstart",
        "scheduledend",
        "isalldayevent",
    ),
    ("appointment", "Outlook"): (*EDITABLE[("appointment", "Outlook")], "Start", "End", "AllDayEvent"),
}
#: what the administrator does to bob's mailbox row: Test & Enable, or one column set to a value
#: that (under d365) keeps it from syncing until it is set up again (MAILBOX-ACT-READY)
MAILBOX_CHANGES = {
    "test-and-enable": None,
    "act-none": (mailboxes.ACT_METHOD, mailboxes.BY_NONE),
    "act-server-side": (mailboxes.ACT_METHOD, mailboxes.BY_SERVER_SIDE),
    "pending": (mailboxes.APPROVAL, mailboxes.PENDING_APPROVAL),
    "approve": (mailboxes.APPROVAL, mailboxes.APPROVED),
}
#: which of the labelled items an operation acts on, taken modulo the items that fit
PICKS = tuple(range(16))
FIELDS = (0, 1, 2)
BOOLEANS = (False, True)

#: every operation by name, the most useful first, with the choices of each argument (the first
#: choice first: hypothesis shrinks towards the first operation and the first choices)
ARGUMENTS: dict[str, tuple[tuple[Any, ...], ...]] = {
    # nothing at all: shrinking turns every operation a finding does not need into this one
    "nothing": (),
    "sync": (),
    "create": (USERS, KINDS, SIDES),
    "edit": (PICKS, SIDES, FIELDS, WORDS),
    "edit-both": (PICKS, FIELDS, WORDS, WORDS),
    "delete": (PICKS, SIDES),
    "track": (PICKS, BOOLEANS),
    "attach": (PICKS, SIDES, FILES, SIZES_KB),
    "detach": (PICKS, SIDES, FIELDS),
    "clash": (PICKS, FILES),
    "assign": (PICKS, ASSIGNEES),
    "recurring": (PICKS,),
    "mailing": (PICKS, ("home", "other", "business")),
    "setting": (tuple(TAB), (0, 1, 2, 3), BOOLEANS),
    "clock": tuple([tuple(range(1, 31))]),
    "tick": ((1, 59),),
    "fault": (FAULT_KINDS, (1, 2, 3, 4), RETRY_AFTER),
    "email": (PICKS, SIDES, EMAILS),
    "addresses": (PICKS, SIDES),
    "when": (PICKS, SIDES, TIMES),
    "direction": (TURNABLE, DIRECTIONS),
    "security": (TURNABLE, ACCESS),
    "deactivate": (PICKS,),
    "give": (PICKS, USERS),
    "mailbox": (MAILBOX_EVENTS,),
    "filter": (USERS, FILTERS),
    "copy-in-outlook": (PICKS,),
    "settle": (),
}
#: how often each operation is drawn, relative to the others (a weight of n: n slots of the draw)
WEIGHTS = {
    "sync": 5,
    "create": 4,
    "edit": 3,
    "edit-both": 2,
    "attach": 2,
    "setting": 3,
    "fault": 2,
    "addresses": 2,
    "track": 2,
    "assign": 2,
    "direction": 2,
}
#: the settings a sequence may start with (each its default, or another value): the tab's, and
#: the organization's profile (Dynamics 365's server-side deletes: DELETE-APPT-IN-EXCHANGE-OPEN, ...)
STARTING = (*TAB, PROFILE)
#: the draw's slots, "nothing" first: a slot number shrinks towards it
SLOTS = tuple(name for name in ARGUMENTS for _ in range(WEIGHTS.get(name, 1)))
NAMES = tuple(ARGUMENTS)
_SIZES = {name: math.prod(len(choices) for choices in arguments) for name, arguments in ARGUMENTS.items()}


def decode(name: str, number: int) -> Op:
    """An operation from its name and one number: each argument's choice is a digit of the
    number in the mixed radix of the argument's choices (0: every first choice)."""
    arguments = []
    for choices in ARGUMENTS[name]:
        number, index = divmod(number, len(choices))
        arguments.append(choices[index])
    return (name, *arguments)


@st.composite
def sequences(draw: st.DrawFn, steps: int) -> list[Op]:
    """Sequences of ``steps`` operations, now and then fewer.

    The length is drawn first: three times in four the whole ``steps`` (a search goes deep), else
    a shorter one (``st.lists`` would average 6 operations whatever its maximum); before them, the
    organization's starting settings (each its default, or another value). Each operation is
    two numbers (its name and its arguments), the cheapest draw hypothesis has; as they shrink to
    0 an operation becomes "nothing", so a shrunk sequence holds only what the finding needs."""
    sequence: list[Op] = [
        ("setting", name, which, True)
        for name in STARTING
        if (which := draw(st.integers(0, len(setting_values(name)) - 1)))
    ]
    cut = draw(st.integers(0, steps - 1))
    length = cut + 1 if cut < steps // 4 else steps
    for _ in range(length):
        name = SLOTS[draw(st.integers(0, len(SLOTS) - 1))]
        sequence.append(decode(name, draw(st.integers(0, _SIZES[name] - 1))) if _SIZES[name] > 1 else (name,))
    return sequence


def setting_values(name: str) -> list[str]:
    """A setting's values as the steps write them, its default first."""
    setting = SETTINGS[name]
    values = [setting.default, *(v for v in setting.values if v != setting.default)]
    return [str(value).lower() for value in values]


def needed(sequence: list[Op] | tuple[Op, ...]) -> list[Op]:
    """The operations that do something."""
    return [op for op in sequence if op[0] != "nothing"]
