"""The engine protocol: what any sync engine implements, and all that it may read.

An engine gets one :class:`SyncContext` per user and cycle: that user's CRM organization and
mailbox (through their public methods), the Synchronization tab as a frozen
:class:`~syncsim.harness.settings.Options`, the clock, the network every write must go through, and a
directory to look up other users by address or id. It never sees the ``World``: whatever it
remembers between cycles (links, watermarks) is its own.

What the harness expects back, and checks from outside (``harness/invariants.py``):

* every write goes through ``context.network.send(now, write, user.name)``, so faults can be injected;
* an Outlook item the engine pairs with a CRM record carries that record's id in its ``crmid``
  property (as CRM for Outlook stamps it): the checker and the scenarios find pairs that way;
* every value it overwrites or blanks that the other side never saw is a
  :class:`~syncsim.harness.report.Loss` in ``report``; every decision an
  :class:`~syncsim.harness.report.Event`;
  its simulated duration goes to ``report.durations[user.name]``, its write count to ``report.writes``;
* an engine that cannot report events and losses (a program outside the process, judged through
  the HTTP faces) sets ``reports = False``: the checks that need them do not apply to it.

docs/engines.md tells the same for people who write engines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..filters import SyncFilter
from ..mapping import FieldAccess
from ..model import User
from ..report import CycleReport
from ..schema import Direction
from ..settings import Options, UserOptions
from ..sim.network import Network
from ..stores.crm import CrmStore
from ..stores.outlook import Mailbox


class Directory(Protocol):
    """Other users, as CRM knows them."""

    def user_by_email(self, email: str) -> User | None: ...

    def user_by_id(self, systemuserid: str) -> User | None: ...


@dataclass(frozen=True)
class SyncContext:
    """Everything one cycle for one user may read and write."""

    user: User
    crm: CrmStore
    mailbox: Mailbox
    #: the organization's Synchronization tab, as its administrator set it
    options: Options
    #: the options that have ever been on in this organization (APPT-ATTACH-TURNED-OFF)
    ever_on: frozenset[str]
    #: the user's own options (the answer CRM for Outlook would ask for when an item is untracked)
    user_options: UserOptions
    #: the user's enabled sync filters for an entity: their own and the organization's system filters
    filters: Callable[[str], tuple[SyncFilter, ...]]
    now: Callable[[], datetime]
    network: Network
    directory: Directory
    #: grows whenever the user's filters (or the organization's system filters) change
    filter_version: int = 0
    #: (entity, field of Microsoft's table) -> direction, where the administrator changed it
    field_directions: Mapping[tuple[str, str], Direction] = field(default_factory=dict)
    #: (entity, attribute) -> the user's field-level security on a secured field
    field_access: Mapping[tuple[str, str], FieldAccess] = field(default_factory=dict)
    #: the user's row of Dataverse's mailbox table (harness/mailboxes.py): approval, the ACT
    #: method, Test & Enable's results; empty where no one keeps one (then nothing is stopped)
    mailbox_row: Mapping[str, Any] = field(default_factory=dict)


class SyncEngine(Protocol):
    """Runs one sync cycle for one user, writing both stores and recording every decision."""

    name: str

    def cycle(self, context: SyncContext, report: CycleReport) -> None: ...


class LinkingEngine(SyncEngine, Protocol):
    """An engine that can also take pairs an earlier sync left linked (``syncsim whatif`` needs it).
    It may also have ``link_run(context, entity, pairs)`` for many (CRM id, EntryID) pairs at once;
    ``World.link_run`` uses it when it is there, ``link`` for each pair otherwise."""

    def link(self, context: SyncContext, entity: str, crm_id: str, entry_id: str) -> None: ...
