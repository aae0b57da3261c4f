"""One explored sequence: operations applied to a small organization, written down as Gherkin.

An operation is plain data, ``(name, *arguments)``, drawn by :mod:`.operations`; an item it acts
on is named by a number taken modulo the items that fit, so every drawn sequence runs (an
operation with nothing to act on does nothing and writes no line). After every ``sync`` the
invariants of :mod:`syncsim.harness.invariants` are checked; a broken one stops the sequence. The
runner also keeps, for a report, each item's values before and after every cycle and the events
that touched it, and counts what the sequence exercised (coverage).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import Any

from ... import mailboxes, mapping
from ...invariants import Violation
from ...schema import is_moment
from ...settings import SETTINGS, TAB
from ...sim.network import Faults
from ...world import World
from ..scenario import EMPTY, KINDS, Item, Scenario, cell
from . import operations as ops
from . import reach


class InvariantBroken(AssertionError):
    def __init__(self, invariant: str, details: list[str], ids: tuple[str, ...] = ()) -> None:
        super().__init__("; ".join(details))
        self.invariant = invariant
        self.ids = ids


@dataclass
class Moment:
    """One line of an item's timeline: an operation on it, or a cycle with both sides around it."""

    step: int
    what: str
    crm: tuple[str, str] | None = None  # (before, after)
    outlook: tuple[str, str] | None = None
    events: tuple[str, ...] = ()


@dataclass
class Coverage:
    """What sequences exercised: operations, fault kinds, settings at each sync, rules in events."""

    operations: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    settings: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    #: the situations of :mod:`.reach` met, by name (those marked by a rule are in ``rules``)
    situations: Counter[str] = field(default_factory=Counter)
    steps: int = 0
    sequences: int = 0

    def add(self, other: Coverage) -> None:
        for name in ("operations", "faults", "settings", "rules", "situations"):
            getattr(self, name).update(getattr(other, name))
        self.steps += other.steps
        self.sequences += other.sequences


SETTLES = "Then sync settles with both sides in agreement"


class Runner:
    """A fresh organization for one sequence: alice (CRM for Outlook), bob (server-side), and
    eve in another organization; ``seed`` seeds its data."""

    def __init__(self, engine: str, seed: int, *, record: bool = False) -> None:
        self.engine = engine
        self.sim = Scenario(World(seed=seed, engine=engine))
        self.lines = [f"Given a new organization with seed {seed}"]
        for name, channel in (("alice", "outlook"), ("bob", "server-side")):
            self.sim.world.add_user(name, channel=channel)
            self.lines.append(f'And a user "{name}" syncing through {channel}')
        self.sim.world.add_user("eve", organization="Fabrikam")
        self.lines.append('And a user "eve" syncing through outlook in the organization "Fabrikam"')
        self.sim.world.configure(by=self.sim.world.admin, attachment_max_kb=ops.MAX_KB)
        self.lines.append(f'And the administrator sets "attachment_max_kb" to "{ops.MAX_KB}"')
        self.count = 0
        self.record = record
        #: items untracked in Outlook, and the sides edited since (a re-track after edits on both)
        self._untracked: dict[str, set[str]] = {}
        #: contacts with every address part filled
        self._filled: set[str] = set()
        self._met_seen: Counter[str] = Counter()
        self.timeline: dict[str, list[Moment]] = {}
        self.coverage = Coverage(sequences=1)

    def run(self, sequence: list[ops.Op]) -> None:
        """The operations, then sync settles: every sequence ends checking convergence."""
        for op in self.operations(sequence):
            self.apply(op)

    def operations(self, sequence: list[ops.Op]) -> Iterator[ops.Op]:
        """``sequence``, then a settle unless it ended with one (decided once it has run)."""
        yield from sequence
        if self.sim.items and self.lines[-1] != SETTLES:
            yield ("settle",)

    def apply(self, op: ops.Op) -> None:
        name, *args = op
        if name == "nothing":
            return
        self.coverage.operations[name] += 1
        self.coverage.steps += 1
        getattr(self, "_" + name.replace("-", "_"))(*args)

    # -- operations ----------------------------------------------------------------------------

    def _create(self, user: str, kind: str, side: str) -> None:
        self.count += 1
        label = f"x{self.count}"
        self.sim.create(self.sim.world.user(user), kind, label, side)
        self._line(label, f'Given "{user}" has {_article(kind)} {kind} "{label}" in {side}')

    def _edit(self, pick: int, side: str, which: int, value: str) -> None:
        item = self._pick(pick, side)
        if item is not None:
            fields = ops.EDITABLE[(item.kind, side)]
            self._set(item, side, fields[which % len(fields)], value)

    def _edit_both(self, pick: int, which: int, crm_value: str, outlook_value: str) -> None:
        """The same field changed in CRM and in Outlook before sync runs: a conflict."""
        item = self._pick(pick, "CRM")
        if item is None or not self._copy(item):
            return
        for side, value in (("CRM", crm_value), ("Outlook", outlook_value)):
            fields = ops.EDITABLE[(item.kind, side)]
            self._set(item, side, fields[which % len(fields)], value)
        self.coverage.situations[f"a conflict on {_article(item.kind)} {item.kind}"] += 1

    def _mailing(self, pick: int, which: str) -> None:
        """The user makes another of the contact's addresses its mailing address in Outlook."""
        item = self._pick(pick, "Outlook", kinds=("contact",))
        if item is not None:
            self.sim.edit(item.label, "Outlook", {"SelectedMailingAddress": which})
            self._line(item.label, f'When "{item.user.name}" edits the contact "{item.label}" in Outlook:')
            self.lines.append(f"  | SelectedMailingAddress | {which} |")

    def _recurring(self, pick: int) -> None:
        item = self._pick(pick, "Outlook", kinds=("task",))
        if item is not None:
            self._set(item, "Outlook", "IsRecurring", "true")

    def _email(self, pick: int, side: str, address: str) -> None:
        """A contact's e-mail address, in whatever case the user typed it."""
        item = self._pick(pick, side, kinds=("contact",))
        if item is not None:
            self._set(item, side, "emailaddress1" if side == "CRM" else "Email1Address", address)
            if address != address.lower():
                self.coverage.situations["an e-mail address in capitals"] += 1

    def _addresses(self, pick: int, side: str) -> None:
        """Every part of all three of a contact's addresses filled (the address option's switch
        then has data everywhere to keep or lose)."""
        item = self._pick(pick, side, kinds=("contact",))
        if item is None:
            return
        rows = {
            name: f"{item.label} {number} {name.rsplit('_', 1)[-1].removeprefix('Address')}"
            for number, outlook_address in mapping.ALL_THREE_ADDRESSES.items()
            for name in (
                mapping.crm_address_fields(number)
                if side == "CRM"
                else mapping.address_fields(outlook_address)
            )
        }
        self._set_many(item, side, rows)
        self._filled.add(item.label)
        self.coverage.situations["every address part filled"] += 1

    def _when(self, pick: int, side: str, time: str) -> None:
        """An appointment's start and end: all day, or written in local offsets around a clock change."""
        item = self._pick(pick, side, kinds=("appointment",))
        if item is None:
            return
        start, end, all_day = ops.MOMENTS[time]
        names = (
            ("scheduledstart", "scheduledend", "isalldayevent")
            if side == "CRM"
            else ("Start", "End", "AllDayEvent")
        )
        self._set_many(item, side, dict(zip(names, (start, end, all_day), strict=True)))
        self.coverage.situations[ops.TIME_SITUATIONS[time]] += 1

    def _direction(self, turned: tuple[str, str], direction: str) -> None:
        kind, field_name = turned
        self.sim.world.configure_field(
            by=self.sim.world.admin, entity=KINDS[kind], field=field_name, direction=direction
        )
        self.lines.append(
            f'When the administrator sets the {kind} field "{field_name}" to sync "{direction}"'
        )
        self.coverage.situations["a field's direction turned"] += 1

    def _security(self, turned: tuple[str, str], access: str) -> None:
        kind, field_name = turned
        world = self.sim.world
        read = access == "read-only"
        world.secure_field(
            by=world.admin,
            user=world.user("bob"),
            entity=KINDS[kind],
            field=field_name,
            read=read,
            update=False,
        )
        phrase = "may read but not update" if read else "may not read"
        self.lines.append(f'Given "bob" {phrase} the {kind} field "{field_name}"')
        self.coverage.situations["a field secured for a user"] += 1

    def _deactivate(self, pick: int) -> None:
        item = self._pick(pick, "CRM", kinds=("contact",))
        if item is not None:
            self.sim.deactivate(item.label)
            self._line(item.label, f'When "{item.user.name}" deactivates the contact "{item.label}" in CRM')

    def _give(self, pick: int, owner: str) -> None:
        item = self._pick(pick, "CRM")
        if item is not None and item.kind != "contact":
            self.sim.give(item.label, owner)
            self._line(item.label, f'When the {item.kind} "{item.label}" in CRM is given to "{owner}"')
            self.coverage.situations["a record given to another owner"] += 1

    def _outage(self) -> None:
        """An hour without network, with sync running: bob's server-side mailbox is retried, then
        disabled; the administrator enables it again."""
        world = self.sim.world
        now = world.clock.now()
        world.network.inject(Faults(down=(now, now + timedelta(minutes=60))))
        self.lines.append("Given the network is down for 60 minutes")
        self.lines += ["When 60 minutes pass with sync running", "Then the sync kept its invariants"]
        before = self.states() if self.record else {}
        self.sim.run(60)
        self._cycle_seen(before, at=len(self.lines) - 1, what="an hour of sync")
        self._raise(self.sim.violations)
        if not world.mailbox_enabled(world.user("bob")):
            self.coverage.situations["a disabled mailbox enabled again"] += 1
            world.enable_mailbox(world.user("bob"), by=world.admin)
            self.lines.append('When the administrator enables the mailbox of "bob"')

    def _mailbox(self, event: str) -> None:
        """Something happens to bob's mailbox (ops.MAILBOX_EVENTS): nothing, an outage, or the
        administrator changes its row or tests and enables it. A change that keeps it from
        syncing (under d365: MAILBOX-ACT-READY) lasts one sync, then the mailbox is set up again,
        as after an outage: kept from syncing for the rest of a sequence, it would hide
        everything else bob does."""
        if event == "nothing":
            return
        if event == "outage":
            self._outage()
            return
        self._change_mailbox(event)
        if mailboxes.not_ready(self.sim.world.mailbox_row(self.sim.world.user("bob"))) is not None:
            self._sync()
            self._mailbox_set_up()

    def _change_mailbox(self, change: str) -> None:
        world, bob = self.sim.world, self.sim.world.user("bob")
        column_value = ops.MAILBOX_CHANGES[change]
        if column_value is None:
            world.test_and_enable_mailbox(bob)
            self.lines.append('When the administrator tests and enables the mailbox of "bob"')
            return
        column, value = column_value
        row_change: dict[str, Any] = {column: value}
        world.change_mailbox(bob, **row_change)
        shown, value_label = mailboxes.DISPLAY_NAMES[column], mailboxes.label(column, value)
        self.lines.append(f'When the administrator sets "{shown}" of the mailbox of "bob" to "{value_label}"')

    def _mailbox_set_up(self) -> None:
        """Bob's mailbox approved, set to server-side sync, tested and enabled, as an
        administrator leaves it."""
        row = self.sim.world.mailbox_row(self.sim.world.user("bob"))
        if mailboxes.not_ready(row) is None:
            return
        if row[mailboxes.APPROVAL] != mailboxes.APPROVED:
            self._change_mailbox("approve")
        if row[mailboxes.ACT_METHOD] != mailboxes.BY_SERVER_SIDE:
            self._change_mailbox("act-server-side")
        self._change_mailbox("test-and-enable")

    def _filter(self, user: str, shape: tuple[str, str]) -> None:
        """A sync filter of the user's own (it takes the place of their default for its entity)."""
        entity, condition = shape
        fetchxml = f'<fetch><entity name="{entity}"><filter>{condition}</filter></entity></fetch>'
        self.sim.world.add_filter(self.sim.world.user(user), fetchxml)
        self.lines += [f'Given "{user}" adds the sync filter:', '  """', f"  {fetchxml}", '  """']
        self.coverage.situations["a user's sync filter changed"] += 1

    def _tick(self, seconds: int) -> None:
        """Seconds, not minutes: an edit in the same minute as the cycle before it or after it."""
        self.sim.world.clock.advance(seconds)
        if self.lines[-1].startswith("Then the sync kept"):
            self.coverage.situations["seconds, not minutes, after a cycle"] += 1
        self.lines.append(f"When {seconds} seconds pass" if seconds != 1 else "When 1 second passes")

    def _delete(self, pick: int, side: str) -> None:
        item = self._pick(pick, side)
        if item is not None:
            self.sim.delete(item.label, side)
            if item.kind != "recurring appointment":
                self.coverage.situations[f"{_article(item.kind)} {item.kind} deleted in {side}"] += 1
            self._line(
                item.label, f'When "{item.user.name}" deletes the {item.kind} "{item.label}" in {side}'
            )

    def _track(self, pick: int, tracked: bool) -> None:
        item = self._pick(pick, "Outlook")
        if item is not None:
            self.sim.track(item.label, tracked)
            if not tracked:
                self._untracked[item.label] = set()
            elif self._untracked.pop(item.label, set()) == {"CRM", "Outlook"}:
                self.coverage.situations["a re-track after edits on both sides"] += 1
            verb = "tracks" if tracked else "stops tracking"
            self._line(
                item.label, f'When "{item.user.name}" {verb} the {item.kind} "{item.label}" in Outlook'
            )

    def _copy_in_outlook(self, pick: int) -> None:
        """The holder copies an Outlook item there, its CRM id and tracking included (COPY-IGNORED)."""
        item = self._pick(pick, "Outlook")
        if item is None:
            return
        self.count += 1
        label = f"x{self.count}"
        self.sim.copy(item.label, label)
        self.coverage.situations["a copy of an item made in Outlook"] += 1
        self._line(
            item.label,
            f'When "{item.user.name}" copies the {item.kind} "{item.label}" in Outlook as "{label}"',
        )

    def _attach(self, pick: int, side: str, name: str, kb: int) -> None:
        item = self._pick(pick, side, kinds=ops.APPOINTMENTS)
        if item is not None:
            self._attach_to(item, side, name, kb)

    def _attach_to(self, item: Item, side: str, name: str, kb: int = 1) -> bool:
        if name in self._files(item, side):
            return False
        self.sim.attach(item.label, side, name, kb * 1024)
        where = f'the {item.kind} "{item.label}" in {side}'
        self._line(item.label, f'When "{item.user.name}" attaches "{name}" of {kb} KB to {where}')
        settings = self.sim.world.settings.options()
        for met, situation in (
            (kb > settings.attachment_max_kb, "a file over the size limit"),
            (settings.blocked(name), "a file with a blocked extension"),
            (name != name.lower(), "a file name in capitals"),
            (not name.isascii(), "a file name with non-ASCII letters"),
        ):
            if met:
                self.coverage.situations[situation] += 1
        return True

    def _detach(self, pick: int, side: str, which: int) -> None:
        """One of the files the item holds on that side (the ``which``-th by name, modulo), of the
        names this runner attaches (a file an engine renamed is its own: a reproducer that names
        it would not run under another engine)."""
        item = self._pick(pick, side, kinds=ops.APPOINTMENTS)
        names = sorted(n for n in self._files(item, side) if n in ops.FILES) if item is not None else []
        if item is None or not names:
            return
        name = names[which % len(names)]
        self.sim.detach(item.label, side, name)
        where = f'the {item.kind} "{item.label}" in {side}'
        self._line(item.label, f'When "{item.user.name}" removes the attachment "{name}" from {where}')

    def _clash(self, pick: int, name: str) -> None:
        """A file of one name added on both sides before sync runs (other bytes on each)."""
        item = self._pick(pick, "CRM", kinds=ops.APPOINTMENTS)
        if item is None or not self._copy(item):
            return
        if all([self._attach_to(item, side, name) for side in ("CRM", "Outlook")]):
            self.coverage.situations["an attachment clash"] += 1

    def _assign(self, pick: int, to: tuple[str, ...]) -> None:
        item = self._pick(pick, "Outlook", kinds=("task",))
        if item is not None:
            # a name in capitals stands for that user's address in capitals
            to = tuple(self.sim.email_of(n.lower()).upper() if n.isupper() else n for n in to)
            if any("@" in n for n in to):
                self.coverage.situations["a task assigned to an address in capitals"] += 1
            self.sim.assign(item.label, list(to))
            names = " and ".join(f'"{name}"' for name in to)
            self._line(item.label, f'When "{item.user.name}" assigns the task "{item.label}" to {names}')

    def _setting(self, name: str, which: int, admin: bool) -> None:
        values = ops.setting_values(name)
        value = values[which % len(values)]
        parsed = SETTINGS[name].parse(value)
        if admin:
            if (
                name == "contact_address_sync"
                and self._filled
                and parsed != self.sim.world.settings.contact_address_sync
            ):
                self.coverage.situations["the address option switched with every address part filled"] += 1
            self.sim.world.configure(by=self.sim.world.admin, **{name: parsed})
            self.lines.append(f'When the administrator sets "{name}" to "{value}"')
            return
        before = str(getattr(self.sim.world.settings, name)).lower()
        with suppress(PermissionError):
            self.sim.world.configure(by=self.sim.world.user("alice"), **{name: parsed})
        self.lines.append(f'When "alice" tries to set "{name}" to "{value}"')
        self.lines.append(f'Then the setting "{name}" is "{before}"')
        if str(getattr(self.sim.world.settings, name)).lower() != before:
            raise InvariantBroken("admin-only", [f"alice changed {name} to {value}"])

    def _clock(self, minutes: int) -> None:
        self.sim.world.clock.advance(minutes * 60)
        self.lines.append(f"When {minutes} minutes pass" if minutes != 1 else "When 1 minute passes")

    def _fault(self, kind: str, ahead: int, seconds: int) -> None:
        network = self.sim.world.network
        self.coverage.faults[kind] += 1
        if kind == "fail":
            network.fail_write(ahead)
            self.lines.append(f"When the network fails write {ahead} from now")
        elif kind == "lost-response":
            network.fail_write(ahead, lose_response=True)
            self.lines.append(f"When the network loses the response to write {ahead} from now")
        elif kind == "throttled":
            network.throttle_write(ahead, retry_after=seconds)
            self.lines.append(
                f"When the network throttles write {ahead} from now, retry after {seconds} seconds"
            )
        elif kind == "busy":
            network.throttle_write(ahead, retry_after=seconds, busy=True)
            self.lines.append(
                f"When the network answers 503 to write {ahead} from now, retry after {seconds} seconds"
            )
        elif kind == "stale":
            network.stale_write(ahead)
            self.lines.append(f"When the network answers 412 to write {ahead} from now")
        else:  # a batch failing part way
            network.fail_batch(ahead, 3)
            self.lines.append(f"When the network fails writes {ahead} to {ahead + 2} from now")

    def _sync(self) -> None:
        before = self.states() if self.record else {}
        self.coverage.settings[self._settings()] += 1
        self.lines += ["When the sync runs", "Then the sync kept its invariants"]
        self.sim.sync()
        self._cycle_seen(before, at=len(self.lines) - 1)
        self._raise(self.sim.violations)

    def _settle(self) -> None:
        before = self.states() if self.record else {}
        self.lines.append(SETTLES)
        found = self.sim.settle()
        self._cycle_seen(before, at=len(self.lines), what="settle")
        self._raise(found)

    # -- helpers -------------------------------------------------------------------------------

    def _pick(self, pick: int, side: str, kinds: tuple[str, ...] = ops.KINDS) -> Item | None:
        """The ``pick``-th (modulo) labelled item of one of ``kinds`` that is on ``side``."""
        candidates = [item for item in self.sim.items.values() if item.kind in kinds and self._on(item, side)]
        return candidates[pick % len(candidates)] if candidates else None

    def _on(self, item: Item, side: str) -> dict[str, Any] | None:
        """The item on one side: in CRM, or in its holder's Outlook (the copy this runner acts on)."""
        return self.sim.in_crm(item.label) if side == "CRM" else self._copy(item)

    def _copy(self, item: Item) -> dict[str, Any] | None:
        return self.sim.in_outlook(item.label, item.user)

    def _files(self, item: Item, side: str) -> dict[str, bytes]:
        """The item's files on one side (none where the item is not)."""
        if self._on(item, side) is None:
            return {}
        return (
            self.sim.crm_attachments(item.label)
            if side == "CRM"
            else self.sim.outlook_attachments(item.label, item.user)
        )

    def _set(self, item: Item, side: str, name: str, value: str) -> None:
        self._set_many(item, side, {name: value})

    def _set_many(self, item: Item, side: str, values: dict[str, str]) -> None:
        """One edit of several fields, written as one step with a row per field."""
        self.sim.edit(item.label, side, {name: cell(name, value or EMPTY) for name, value in values.items()})
        if item.label in self._untracked:
            self._untracked[item.label].add(side)
        self._line(item.label, f'When "{item.user.name}" edits the {item.kind} "{item.label}" in {side}:')
        self.lines += [f"  | {name} | {value or EMPTY} |" for name, value in values.items()]

    def _line(self, label: str, text: str) -> None:
        self.lines.append(text)
        if self.record:
            self.timeline.setdefault(label, []).append(Moment(len(self.lines), text.strip()))

    def _settings(self) -> str:
        settings = self.sim.world.settings
        return ", ".join(f"{name}={str(getattr(settings, name)).lower()}" for name in TAB)

    def _raise(self, violations: list[Violation]) -> None:
        if violations:
            ids = tuple(i for v in violations for i in v.ids)
            raise InvariantBroken(violations[0].invariant, [str(v) for v in violations], ids)

    def _cycle_seen(self, before: dict[str, tuple[str, str]], *, at: int, what: str = "sync") -> None:
        """Count the rules the cycle's events name; when recording, note each item around it."""
        report = self.sim.report
        if report is not None:
            self.coverage.rules.update(event.rule for event in report.events if event.rule)
        met = self.sim.world.network.met
        for kind, count in met.items():
            self.coverage.situations[reach.MET[kind]] += count - self._met_seen[kind]
        self._met_seen = Counter(met)
        if not self.record or report is None:
            return
        after = self.states()
        for label in sorted(set(before) | set(after), key=label_order):
            was, now = before.get(label, ("-", "-")), after.get(label, ("-", "-"))
            events = self.decisions_of(label)
            if was != now or events:
                moment = Moment(at, what, (was[0], now[0]), (was[1], now[1]), events)
                self.timeline.setdefault(label, []).append(moment)

    def decisions_of(self, label: str) -> tuple[str, ...]:
        """What the engine reported of one labelled item in its last cycle."""
        report, item = self.sim.report, self.sim.items.get(label)
        if report is None or item is None:
            return ()
        ids = {item.crm_id, item.entry_id} - {None}
        return tuple(str(e) for e in report.events if ids & {e.crm_id, e.entry_id})

    def expectations(self, label: str) -> list[str]:
        """Then steps stating everything :meth:`_states` compares of one item on both sides, as
        this runner's stores hold it: a differential finding's reproducer checks them."""
        item = self.sim.items[label]
        lines = []
        for side in ("CRM", "Outlook"):
            found = self._on(item, side)
            where, place = f'the {item.kind} "{label}"', _place(item, side)
            if found is None:
                lines.append(f"{where} is not in {place}")
                continue
            lines.append(f"{where} is in {place}")
            if side == "Outlook":
                lines.append(
                    f"{where} in {place} is {'' if found.get('crmLinkState') == 2 else 'not '}tracked"
                )
            lines.append(f"{where} in {place} has:")
            lines += [f"  | {name} | {_cell(found.get(name))} |" for name in ops.WATCHED[(item.kind, side)]]
            if item.kind in ops.APPOINTMENTS:
                lines += self._file_expectations(item, side)
        return ["Then " + lines[0], *(line if line.startswith(" ") else "And " + line for line in lines[1:])]

    def _file_expectations(self, item: Item, side: str) -> list[str]:
        other = "Outlook" if side == "CRM" else "CRM"
        here, there = self._files(item, side), self._files(item, other)
        where = f'the {item.kind} "{item.label}" in {_place(item, side)}'
        return [f'{where} has no attachment "{name}"' for name in ops.FILES if name not in here] + [
            f'{where} has the attachment "{name}" with the bytes from {other}'
            for name in sorted(here.keys() & there.keys())
            if here[name] == there[name]
        ]

    def states(self) -> dict[str, tuple[str, str]]:
        """Each item's watched fields and files on both sides, as short text."""
        return {
            label: (self._state(item, "CRM"), self._state(item, "Outlook"))
            for label, item in self.sim.items.items()
        }

    def _state(self, item: Item, side: str) -> str:
        found = self._on(item, side)
        if found is None:
            return "(none)"
        shown = [f"{name}={_shown(found.get(name))}" for name in ops.WATCHED[(item.kind, side)]]
        if side == "Outlook":
            shown.append("tracked" if found.get("crmLinkState") == 2 else "untracked")
        if item.kind in ops.APPOINTMENTS:
            shown.append(f"files={sorted(self._files(item, side))}")
        return ", ".join(shown)


def _shown(value: Any) -> str:
    """A value as two runs compare it: a moment as its UTC instant (an engine may keep the offset
    it was written in, or not: the same time either way)."""
    return repr(value.astimezone(UTC).isoformat() if is_moment(type(value)) else value)


def _cell(value: Any) -> str:
    """A value as a step's table writes it."""
    if value is None or value == "":
        return EMPTY
    return str(value).lower() if isinstance(value, bool) else str(value)


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def label_order(label: str) -> int:
    return int(label[1:]) if label[1:].isdigit() else 0


def replay(engine: str, seed: int, sequence: list[ops.Op], *, record: bool = False) -> tuple[Runner, Any]:
    """Run one sequence again; returns the runner and what stopped it (None: nothing)."""
    runner = Runner(engine, seed, record=record)
    try:
        runner.run(sequence)
    except Exception as stopped:  # an invariant, or the engine under test raising
        return runner, stopped
    return runner, None


def _place(item: Item, side: str) -> str:
    """Where a Then step of a reproducer reads: CRM, or the Outlook of the item's holder (named,
    so the step reads that copy even when another mailbox holds one too)."""
    return "CRM" if side == "CRM" else f'the Outlook of "{item.user.name}"'
