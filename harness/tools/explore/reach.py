"""What a search must reach: situations that the bugs of real sync programs hide in.

A run counts each situation as its sequences meet it, seen from outside the engine: an operation
that acted (not one that found nothing to act on), a fault the network really met, a rule the
engine's events named. Every run prints which were reached and how often; ``--require-reach``
(as CI runs it) fails a run that never reached one, so a search that stopped making all-day
appointments, say, cannot pass for one that tried them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ... import rules as R


@dataclass(frozen=True)
class Situation:
    name: str
    #: a rule whose events mark it (None: the runner or the network counts it by name)
    rule: str | None = None


SITUATIONS: tuple[Situation, ...] = (
    *(Situation(f"a conflict on {kind}") for kind in ("a contact", "an appointment", "a task")),
    *(
        Situation(f"{kind} deleted in {side}")
        for kind in ("a contact", "an appointment", "a task")
        for side in ("CRM", "Outlook")
    ),
    Situation("a re-track after edits on both sides"),
    Situation("a copy of an item made in Outlook"),
    Situation("a copy of a linked item ignored", R.COPY_IGNORED),
    Situation("a meeting deleted in Dynamics under d365", R.DELETE_APPT_IN_CRM_ORGANIZER),
    Situation("a meeting deleted in Exchange under d365", R.DELETE_APPT_IN_EXCHANGE_OPEN),
    Situation("a contact deleted in Exchange under d365", R.DELETE_CONTACT_IN_EXCHANGE_OWNER),
    Situation("a mailbox kept from syncing under d365", R.MAILBOX_ACT_READY),
    Situation("every address part filled"),
    Situation("the address option switched with every address part filled"),
    Situation("an attachment clash"),
    Situation("a file over the size limit"),
    Situation("a file with a blocked extension"),
    Situation("a file name in capitals"),
    Situation("a file name with non-ASCII letters"),
    Situation("an all-day appointment"),
    Situation("an appointment across a clock change"),
    Situation("an appointment written in another zone's offset"),
    Situation("an e-mail address in capitals"),
    Situation("a task assigned to an address in capitals"),
    Situation("a field's direction turned"),
    Situation("a field secured for a user"),
    Situation("a record given to another owner"),
    Situation("a user's sync filter changed"),
    Situation("a disabled mailbox enabled again"),
    Situation("seconds, not minutes, after a cycle"),
    Situation("a failed write"),
    Situation("a lost response"),
    Situation("a throttled write (429)"),
    Situation("a busy server (503)"),
    Situation("a stale write refused (412)"),
    Situation("a record leaving the user's filters", R.FILTER_LEAVE),
    Situation("an attachment over the limit kept on its side", R.ATTACH_MAX_SIZE),
    Situation("a blocked attachment kept on its side", R.ATTACH_BLOCKED),
    Situation("a tracked task sent to its assignee", R.TASK_OWNER_ON_SEND),
    Situation("a task assigned before it reached CRM", R.TASK_ASSIGNED_ON),
)

#: what real sync programs meet that no sequence can make yet, and why: a clean run says nothing
#: of these either, and every run says so
NOT_EXPLORED: tuple[tuple[str, str], ...] = (
    (
        "an edit landing during a cycle",
        "the stores change only between cycles; a 412 stands in for a concurrent edit",
    ),
    ("an exception of a recurring series", "a series is one item; its occurrences are not modelled"),
    ("an appointment in a named time zone", "times carry UTC offsets; zone names are read only from files"),
    (
        "a change log longer than a page",
        "an engine in the process reads the whole log; only the HTTP faces page",
    ),
    ("a delete by a meeting's organizer or attendee", "attendees are not modelled (docs/gaps.md)"),
)


#: the network's name of each fault it met (``Network.met``) -> the situation it is
MET = {
    "fail": "a failed write",
    "lost-response": "a lost response",
    "throttled": "a throttled write (429)",
    "busy": "a busy server (503)",
    "stale": "a stale write refused (412)",
}


def reached(situations: Mapping[str, int], rules: Mapping[str, int]) -> Counter[str]:
    """How often each situation was met: counted by name, or through its rule's events."""
    return Counter(
        {s.name: (rules.get(s.rule, 0) if s.rule else situations.get(s.name, 0)) for s in SITUATIONS}
    )


def never(situations: Mapping[str, int], rules: Mapping[str, int]) -> list[str]:
    """The situations a run did not reach once, in the list's order."""
    counts = reached(situations, rules)
    return [s.name for s in SITUATIONS if not counts[s.name]]
