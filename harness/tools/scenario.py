"""The vocabulary of the feature files, as Python: named items, edits on either side, checks.

Step definitions translate Gherkin into calls on :class:`Scenario`; developers can use it the
same way to reproduce an edge case in a few lines. Items are known by a label ("Ann", "Review")
and found on either side through the owner's links once sync has paired them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .. import mapping, schema
from ..errors import NotFound, NotPermitted
from ..invariants import Checker, Violation, reports_losses
from ..model import User
from ..report import CycleReport, Report
from ..schema import CRM_ID
from ..sim.network import Faults
from ..world import World

#: The item kinds as QA names them -> CRM entity. The Outlook kind follows from mapping.OUTLOOK_KIND.
KINDS: dict[str, str] = {
    "contact": "contact",
    "appointment": "appointment",
    "recurring appointment": "recurringappointmentmaster",
    "service activity": "serviceappointment",
    "task": "task",
}
SIDES = ("CRM", "Outlook")
EMPTY = "(empty)"
SETTLE_CYCLES = 3


def seed_for(name: str) -> int:
    """A stable seed from a stable name (a scenario's), the same in every process and order."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


def cell(field: str, text: str) -> Any:
    """A datatable cell as the value the stores hold: ``(empty)`` is None, typed fields parsed."""
    if text == EMPTY or text == "":
        return None
    return schema.parse_value(field, text)


def fields_of(table: list[list[str]]) -> dict[str, Any]:
    """A two-column ``| field | value |`` datatable as a dict (a header row is optional)."""
    rows = table[1:] if table and [c.lower() for c in table[0]] == ["field", "value"] else table
    for row in rows:
        if len(row) != 2:
            raise ValueError(f"expected | field | value | rows, got {row}")
    return {name: cell(name, value) for name, value in rows}


@dataclass
class Item:
    """A labelled item: who holds it, and its id on each side once known."""

    label: str
    kind: str
    user: User
    crm_id: str | None = None
    entry_id: str | None = None

    @property
    def entity(self) -> str:
        return KINDS[self.kind]


class Scenario:
    """One scenario's world, its labelled items, and the report of its last sync."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.items: dict[str, Item] = {}
        self.report: Report | None = None
        self.error: Exception | None = None
        self.checker = Checker(world)
        #: what the invariant checker found in the last sync
        self.violations: list[Violation] = []
        #: the Then checks passed over: they read events or losses, which this engine cannot report
        self.not_applicable: list[str] = []

    def attempt(self, change: Callable[[], object]) -> None:
        """Try a change a user may be refused (no permission, a value out of range, a fixed
        field, a limit); the refusal is kept for the Then steps, None when it went through."""
        self.error = None
        try:
            change()
        except (NotPermitted, ValueError) as refused:
            self.error = refused

    def applicable(self, check: str) -> bool:
        """Whether a check of events or losses applies to the world's engine; if not, it is
        noted (a program outside the process reports neither)."""
        if reports_losses(self.world):
            return True
        self.not_applicable.append(check)
        return False

    # -- making and editing items --------------------------------------------------------------

    def create(
        self,
        user: User,
        kind: str,
        label: str,
        side: str,
        fields: dict[str, Any] | None = None,
        *,
        track: bool = True,
    ) -> Item:
        """A Faker-made item of ``kind`` labelled ``label``, with ``fields`` laid over it."""
        entity = _entity(kind)
        if label in self.items:
            raise ValueError(f"an item labelled {label!r} exists already")
        made = self._made(entity, side, label)
        made.update(fields or {})
        item = Item(label, kind, user)
        if _side(side) == "CRM":
            if entity == "contact" and "firstname" not in (fields or {}):
                made["firstname"] = label
            item.crm_id = self.world.crm_of(user).create(entity, made, owner=user)
        else:
            outlook_kind = mapping.OUTLOOK_KIND[entity]
            item.entry_id = self.world.outlook(user).create(outlook_kind, made, track=track)
        self.items[label] = item
        return item

    def _made(self, entity: str, side: str, label: str) -> dict[str, Any]:
        make, now = self.world.factory, self.world.clock.now()
        crm = _side(side) == "CRM"
        if entity == "contact":
            made = make.crm_contact(addresses=0) if crm else make.outlook_contact(addresses=0)
            name_field = "firstname" if crm else "FirstName"
            made[name_field] = label
            if not crm:
                made.pop("SelectedMailingAddress", None)
            return made
        made = make.item("crm" if crm else "outlook", entity, now)
        made["subject" if crm else "Subject"] = label
        return made

    def edit(self, label: str, side: str, fields: dict[str, Any]) -> None:
        item = self.item(label)
        if _side(side) == "CRM":
            self.world.crm_of(item.user).update(item.entity, self.crm_id(label), fields)
        else:
            self.world.outlook(item.user).update(self.entry_id(label), fields)

    def attach(self, label: str, side: str, filename: str, size: int) -> bytes:
        """Attach ``size`` seeded bytes named ``filename`` on one side; returns the bytes."""
        item = self.item(label)
        _, content = self.world.factory.attachment(size)
        if _side(side) == "CRM":
            self.world.crm_of(item.user).attach(self.crm_id(label), filename, content)
        else:
            self.world.outlook(item.user).attach(self.entry_id(label), filename, content)
        return content

    def detach(self, label: str, side: str, filename: str) -> None:
        item = self.item(label)
        if _side(side) == "CRM":
            self.world.crm_of(item.user).detach(self.crm_id(label), filename)
        else:
            self.world.outlook(item.user).detach(self.entry_id(label), filename)

    def give(self, label: str, owner: str) -> None:
        """Make ``owner`` the owner of the labelled record in CRM."""
        item = self.item(label)
        owner_id = self.world.user(owner).systemuserid
        self.world.crm_of(item.user).update(item.entity, self.crm_id(label), {"ownerid": owner_id})

    def assign(self, label: str, to: list[str]) -> None:
        item = self.item(label)
        emails = [self.email_of(name) for name in to]
        self.world.outlook(item.user).assign(self.entry_id(label), to=emails)

    def pass_on(self, label: str, user: str, to: list[str]) -> None:
        """``user`` passes on their copy of a task someone assigned to them."""
        holder = self.world.user(user)
        self.world.outlook(holder).assign(self.entry_id(label, holder), to=[self.email_of(n) for n in to])

    def decline(self, label: str, user: str) -> None:
        """``user`` declines their copy of a task someone assigned to them."""
        holder = self.world.user(user)
        self.world.outlook(holder).decline(self.entry_id(label, holder))

    def email_of(self, name: str) -> str:
        """A user's email address; anything with an @ is taken as an address as it is."""
        return name if "@" in name else self.world.user(name).email

    def sync(self, cycles: int = 1, users: list[str] | None = None) -> Report:
        """Run cycles (for every user, or for ``users`` only), checking the invariants around each
        one (see :mod:`syncsim.harness.invariants`)."""
        reports, self.violations = [], []
        syncing = None if users is None else [self.world.user(name) for name in users]
        for _ in range(cycles):
            self.checker.before()
            report = self.world.sync(users=syncing)
            self.violations += self.checker.after(report)
            reports += report.cycles
            self._remember_ids()
        self.report = Report(reports)
        return self.report

    def run(self, minutes: float) -> Report:
        """Let time pass with background sync (each mailbox when it is due), checking the
        invariants around the whole stretch."""
        self.checker.before()
        self.report = self.world.run(minutes)
        self.violations = self.checker.after(self.report)
        self._remember_ids()
        return self.report

    def cycles_of(self, user: str) -> int:
        """How many cycles of ``user``'s mailbox the last sync or run made."""
        return sum(1 for cycle in self.last.cycles if user in cycle.durations)

    def pauses_of(self, user: str) -> list[float]:
        """The seconds from the end of each of ``user``'s cycles in the last run to the start of
        the next."""
        spans = [
            (cycle.started, cycle.started + timedelta(seconds=cycle.durations[user]))
            for cycle in self.last.cycles
            if user in cycle.durations
        ]
        return [(start - end).total_seconds() for (_, end), (start, _) in zip(spans, spans[1:], strict=False)]

    def _remember_ids(self) -> None:
        """Note both ids of every item sync has paired, so they stay known after it lets go.

        Pairs are found as CRM for Outlook marks them (the ``crmid`` stamp on the Outlook item),
        never through an engine's own bookkeeping."""
        for item in self.items.values():
            if item.crm_id is None:
                item.crm_id = self._stamp(item.user, item.entry_id)
            if item.entry_id is None and item.crm_id is not None:
                item.entry_id = self.world.outlook(item.user).find_crm_id(item.crm_id)

    def _stamp(self, user: User, entry_id: str | None) -> str | None:
        """The CRM id an Outlook item is stamped with, if its record exists; never the stamp a
        user's copy came with (its original's record is not the copy's: COPY-IGNORED)."""
        item = self.world.outlook(user).peek(entry_id) if entry_id else None
        crm_id = item.get(CRM_ID) if item else None
        if not crm_id or (entry_id and self.world.copies.get(entry_id) == crm_id):
            return None
        return crm_id if self.world.crm_of(user).find(crm_id) else None

    def settle(self, cycles: int = SETTLE_CYCLES) -> list[Violation]:
        """Sync with no edits until a cycle writes nothing; then both sides must agree.

        A change can take a second cycle to reach every user (a task assigned to a user whose
        cycle ran first), so sync gets a few cycles; one still writing after that breaks
        idempotency. Faults still pending are cleared first: settling needs a sound link.
        """
        self.world.network.inject(Faults())
        found: list[Violation] = []
        settling: list[CycleReport] = []
        for _ in range(cycles):
            report = self.sync()
            settling += report.cycles
            found += self.violations
            if report.writes == 0:
                break
        self.report = Report(settling)  # every cycle of the settling, the first that did the work too
        return found + self.checker.quiet(report)

    def delete(self, label: str, side: str) -> None:
        item = self.item(label)
        if _side(side) == "CRM":
            self.world.crm_of(item.user).delete(item.entity, self.crm_id(label))
        else:
            self.world.outlook(item.user).delete(self.entry_id(label))

    def copy(self, label: str, copy_label: str) -> Item:
        """The holder copies the labelled Outlook item there (copy and paste): a new item with
        every property of the original, its CRM id stamp and its tracking included, labelled
        ``copy_label``."""
        item = self.item(label)
        if copy_label in self.items:
            raise ValueError(f"an item labelled {copy_label!r} exists already")
        copy = Item(copy_label, item.kind, item.user)
        copy.entry_id = self.world.copy_in_outlook(item.user, self.entry_id(label, item.user))
        self.items[copy_label] = copy
        return copy

    def organize(self, label: str, side: str, user: str) -> None:
        """Make ``user`` the labelled meeting's organizer on one side (by address)."""
        field = "organizer" if _side(side) == "CRM" else "Organizer"
        self.edit(label, side, {field: self.world.user(user).email})

    def count_in_crm(self, kind: str) -> int:
        """How many records of ``kind`` the (first) organization's CRM holds."""
        return self.world.crm.count(_entity(kind))

    def track(self, label: str, tracked: bool = True, user: str | None = None) -> None:
        """Track or untrack the labelled item in its holder's Outlook (or ``user``'s copy)."""
        holder = self.world.user(user) if user else self.item(label).user
        box = self.world.outlook(holder)
        (box.track if tracked else box.untrack)(self.entry_id(label, holder))

    def complete(self, label: str, side: str) -> None:
        """Mark the labelled task complete on one side, as Outlook's Mark Complete and CRM's
        Mark Complete do (100 %, completed now; CRM's state Completed)."""
        now = self.world.clock.now()
        if _side(side) == "CRM":
            self.edit(label, side, {"percentcomplete": 100, "statecode": 1, "actualend": now})
        else:
            self.edit(label, side, {"Complete": True, "PercentComplete": 100, "DateCompleted": now})

    def deactivate(self, label: str, active: bool = False) -> None:
        """Deactivate (or activate again) the labelled contact in CRM: its state, Inactive or Active."""
        self.edit(label, "CRM", {"statecode": 0 if active else 1})

    @property
    def last(self) -> Report:
        """The report of the last sync; a clear error when no sync has run yet."""
        if self.report is None:
            raise AssertionError("no sync has run in this scenario yet: add 'When the sync runs'")
        return self.report

    # -- finding items on either side ----------------------------------------------------------

    def label_of(self, ids: tuple[str | None, str | None]) -> str:
        """The label of the item with these (CRM id, EntryID); the ids themselves if unlabelled."""
        crm_id, entry_id = ids
        for label, item in self.items.items():
            if (crm_id and item.crm_id == crm_id) or (entry_id and item.entry_id == entry_id):
                return label
        return f"{crm_id}/{entry_id}"

    def item(self, label: str) -> Item:
        try:
            return self.items[label]
        except KeyError:
            known = ", ".join(self.items) or "none yet"
            raise NotFound(f"no item labelled {label!r}; labelled items: {known}") from None

    def named(self, label: str, kind: str, user: str | None = None) -> Item:
        """The item a step names, checked against what the step says of it: its kind and its holder."""
        item = self.item(label)
        if item.kind != kind:
            raise StepMismatch(f"{label!r} is {_article(item.kind)} {item.kind}, not {_article(kind)} {kind}")
        if user is not None and user != item.user.name:
            raise StepMismatch(
                f"the {item.kind} {label!r} is {item.user.name}'s, not {user}'s; name its holder in the step"
            )
        return item

    def crm_id(self, label: str) -> str:
        item = self.item(label)
        if item.crm_id is None:
            item.crm_id = self._stamp(item.user, item.entry_id)
            if item.crm_id is None:
                raise NotFound(f"the {item.kind} {label!r} has not reached CRM")
        return item.crm_id

    def entry_id(self, label: str, user: User | None = None) -> str:
        """The EntryID of the item in ``user``'s mailbox (default: the user who holds it)."""
        item = self.item(label)
        holder = user or item.user
        if holder is item.user and item.entry_id is not None:
            return item.entry_id
        crm_id = self.crm_id(label)
        entry_id = self.world.outlook(holder).find_crm_id(crm_id)
        if entry_id is None:
            raise NotFound(f"the {item.kind} {label!r} has not reached {holder.name}'s Outlook")
        if holder is item.user:
            item.entry_id = entry_id
        return entry_id

    def in_crm(self, label: str, organization: str | None = None) -> dict[str, Any] | None:
        """The labelled record in its holder's CRM (or in ``organization``'s), or None."""
        item = self.item(label)
        try:
            crm_id = self.crm_id(label)
        except NotFound:
            return None
        world = self.world
        crm = world.existing_organization(organization).crm if organization else world.crm_of(item.user)
        return crm.peek(item.entity, crm_id)

    def reader(self, label: str, user: str | None = None) -> User:
        """Whose Outlook a step about ``label`` reads: the user it names; unnamed, the item's
        holder's, unless another mailbox holds a copy too: then the step must say which, since a
        check of one copy must never pass for a check of another."""
        if user is not None:
            return self.world.user(user)
        item = self.item(label)
        others = [u.name for u in self.world.users if u is not item.user and self._holds(u, label)]
        if others:
            holders = ([item.user.name] if self._holds(item.user, label) else []) + others
            raise StepMismatch(
                f'the {item.kind} "{label}" is in the Outlook of {_listed(holders)}: say which, '
                f'as in: the {item.kind} "{label}" in the Outlook of "{others[0]}" ...'
            )
        return item.user

    def _holds(self, user: User, label: str) -> bool:
        """Whether ``user``'s mailbox holds a copy of the labelled record."""
        item = self.item(label)
        if user is item.user and item.entry_id is not None:
            return self.world.outlook(user).peek(item.entry_id) is not None
        try:
            crm_id = self.crm_id(label)
        except NotFound:
            return False
        return self.world.outlook(user).find_crm_id(crm_id) is not None

    def in_outlook(self, label: str, user: User | None = None) -> dict[str, Any] | None:
        """The labelled item in ``user``'s Outlook (unnamed: :meth:`reader`'s), or None."""
        holder = user or self.reader(label)
        try:
            entry_id = self.entry_id(label, holder)
        except NotFound:
            return None
        box = self.world.outlook(holder)
        return box.get(entry_id) if box.peek(entry_id) is not None else None

    def categories(self, label: str, user: str | None = None) -> list[str]:
        """The Outlook copy's categories (Outlook keeps them as one text, comma-separated)."""
        item = self.view(label, "Outlook", self.reader(label, user))
        return [c.strip() for c in str(item.get("Categories") or "").split(",") if c.strip()]

    def crm_attachments(self, label: str) -> dict[str, bytes]:
        item = self.item(label)
        rows = self.world.crm_of(item.user).attachments(self.crm_id(label))
        return {row["filename"]: row["body"] for row in rows}

    def outlook_attachments(self, label: str, user: User | None = None) -> dict[str, bytes]:
        holder = user or self.reader(label)
        return self.world.outlook(holder).files(self.entry_id(label, holder))

    def owner_name(self, record: Mapping[str, Any] | None) -> str:
        if record is None:
            return "nobody (no record)"
        owner = self.world.user_by_id(record["ownerid"])
        return owner.name if owner else str(record["ownerid"])

    def mismatches(self, label: str, user: str | None = None) -> dict[str, tuple[Any, Any]]:
        """Mapped pairs whose values differ between CRM and Outlook (:meth:`reader`'s copy):
        (CRM value, Outlook value)."""
        item = self.item(label)
        record, outlook = self.view(label, "CRM"), self.view(label, "Outlook", self.reader(label, user))
        mode = self.world.organization(item.user.organization).settings.contact_address_sync
        wrong = {}
        for pair in mapping.pairs_for(item.entity, mode, outlook):
            crm_value, outlook_value = record.get(pair.crm), mapping.read(outlook, pair.outlook)
            if mapping.blank(crm_value) != mapping.blank(pair.to_crm(outlook_value)):
                wrong[f"{pair.crm}/{pair.outlook}"] = (crm_value, outlook_value)
        return wrong

    def view(self, label: str, side: str, user: User | None = None) -> dict[str, Any]:
        """The item as one side holds it (Outlook: ``user``'s, or :meth:`reader`'s); NotFound if
        it is not there."""
        found = self.in_crm(label) if _side(side) == "CRM" else self.in_outlook(label, user)
        if found is None:
            whose = f"the Outlook of {user.name}" if user is not None else side
            raise NotFound(f"the {self.item(label).kind} {label!r} is not in {whose}")
        return found


def described(wrong: dict[str, tuple[Any, Any]], first: str = "expected", second: str = "found") -> str:
    """Each differing field on a line of its own, its two values labelled."""
    return "".join(f"\n  {name}: {first} {a!r}, {second} {b!r}" for name, (a, b) in wrong.items())


def differences(expected: dict[str, Any], found: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Field -> (expected, found) for every field whose value differs (empty counts as None)."""
    return {
        name: (want, found.get(name))
        for name, want in expected.items()
        if mapping.blank(found.get(name)) != mapping.blank(want) and str(found.get(name)) != str(want)
    }


def _entity(kind: str) -> str:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown item kind {kind!r}; known: {', '.join(KINDS)}") from None


def _side(side: str) -> str:
    for known in SIDES:
        if side.lower() == known.lower():
            return known
    raise ValueError(f"unknown side {side!r}; sides: {', '.join(SIDES)}")


class StepMismatch(ValueError):
    """A step that names an item as something it is not (another kind, another holder)."""


def _listed(names: list[str]) -> str:
    """ "alice", "alice and bob", "alice, bob and carol"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


class Expectation(AssertionError):
    """A failed Then: what it expected, what it found, and what the last cycle did."""


def expect(ok: bool, expected: Any, found: Any, scenario: Scenario) -> None:
    if ok:
        return
    events = scenario.report.describe() if scenario.report else "  (no sync has run yet)"
    shown = str(found)
    found_line = f"found:{shown}" if shown.startswith("\n") else f"found:    {shown}"
    raise Expectation(f"\nexpected: {expected}\n{found_line}\nevents of the last sync:\n{events}")
