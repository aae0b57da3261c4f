"""The invariants every engine run must keep, checked from the outside, around every cycle.

The checker trusts nothing the engine says about itself. It snapshots both stores around each
cycle and finds pairs the way CRM for Outlook marks them: an Outlook item stamped with a CRM
record's id (``crmid``). It remembers, per pair, the values both sides last agreed on, and
decides from the values alone:

* **no silent loss**: when sync overwrote or blanked a value on one side, either the other side's
  user had changed it since the sides last agreed (a normal update), or the report has a loss for
  that field. "Last agreed" is what a cycle could have shown the engine: values both sides came
  to hold while the user's cycle failed may never have reached it, so what they agreed on before
  counts as well until a cycle goes through. The same holds when sync deletes a side: each value
  on it that the other side never took (an edit not yet synced, an attachment never copied) must
  be reported lost. A record several users hold is judged through the pairs that still have
  their copy: one whose copy was gone before answers for nothing done through another. Pairs
  made, re-linked, untracked or deleted in the cycle are covered alike;
* **no duplicates**: one Outlook item per CRM record in each mailbox, and, once sync settles, no
  CRM record sync made that no Outlook item ever carried (a second record made for an item that
  has one, the first left orphaned);
* **retry-after**: no write is sent before a 429's or 503's Retry-After has passed;
* after a **quiet** cycle (no edits since the last one): **idempotency** (the cycle changed
  neither store) and **convergence** (every mapped field equal on both sides of every tracked
  pair, attachment bytes identical where sync put the same file on both sides, and, while
  attachment sync is on, every file an appointment may carry, by its size and extension, on
  both sides).

Some rules are kept or broken in ways no value comparison shows: a field sync must not write, a
file that must not cross, a copy that must go. Each is an invariant of its own, named after what
it guards and naming its rule:

* **field-direction** (FIELD-ONE-WAY, FIELD-NONE, FIELD-SECURITY-READ, -UPDATE): a cycle writes a
  field only on the side its pair flows to, as the administrator's directions and the user's
  field security leave it;
* **recurring-files** (APPT-ATTACH-RECURRING, APPT-ATTACH-SERVICE-ACTIVITY): a cycle puts no file
  on either side of a recurring series or a service activity;
* after a quiet cycle, **filter-leave** (FILTER-LEAVE): no copy sync made of a CRM record stays in
  Outlook once the record passes none of the user's filters (the assigner's copy of a task sent on
  stays); **outlook-delete** (DELETE-APPT-IN-OUTLOOK, DELETE-TASK-IN-OUTLOOK): a tracked
  appointment or task the user deleted in Outlook, once a cycle has seen it, is deleted in CRM;
  **task-assignee** (TASK-ASSIGNED-ON, TASK-OWNER-ON-SEND): a tracked task sent to one user of the
  organization (found by address, whatever its case) belongs to that user in CRM.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from . import mapping, schema
from . import rules as R
from .mapping import FieldPair
from .report import Report
from .schema import CRM, CRM_ID, OUTLOOK
from .settings import ATTACHMENT_MAX_KB, BLOCKED_EXTENSIONS, SYNC_APPOINTMENT_ATTACHMENTS, SYNC_ASSIGNED_TASKS
from .stores.crm import CrmStore
from .stores.outlook import TRACKED
from .world import World

#: the invariants that restate one documented rule each (see the module's docstring)
RULE_INVARIANTS = ("field-direction", "recurring-files", "filter-leave", "outlook-delete", "task-assignee")
INVARIANTS = (
    "no-silent-loss",
    "no-duplicates",
    "retry-after",
    "idempotency",
    "convergence",
    *RULE_INVARIANTS,
)
PairKey = tuple[str, str, str]  # (user, crm id, EntryID)
ItemKey = tuple[str, str]  # an Outlook item: (user, EntryID)
_NEVER = object()


@dataclass(frozen=True)
class Violation:
    invariant: str
    detail: str
    #: the CRM ids and EntryIDs it concerns (for a report's timeline)
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


@dataclass(frozen=True)
class Pair:
    """A pair as it stood at one moment; a side that is gone is None."""

    user: str
    entity: str
    crm_id: str
    entry_id: str
    crm: Mapping[str, Any] | None
    outlook: Mapping[str, Any] | None
    tracked: bool = False
    crm_files: Mapping[str, bytes] = field(default_factory=dict)
    outlook_files: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def key(self) -> PairKey:
        return (self.user, self.crm_id, self.entry_id)

    @property
    def ids(self) -> tuple[str, str]:
        return (self.crm_id, self.entry_id)

    @property
    def whole(self) -> bool:
        return self.crm is not None and self.outlook is not None


@dataclass
class Agreed:
    """What the two sides of a pair last agreed on: per field pair, and the files on both."""

    entity: str
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    #: file name -> the bytes both sides held alike (the hash of them)
    files: dict[str, str] = field(default_factory=dict)
    #: field pair -> values agreed on before, which the engine may still remember: both sides
    #: came to hold the new value while the user's cycle failed, so no cycle may have seen it
    #: (an engine can only agree on what a cycle showed it). Cleared by a cycle that went through.
    earlier: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    #: the Outlook copy was gone when the user's last cycle went through (sync took it away, or
    #: the user did and the cycle kept the record): what sync does to the record through another
    #: user's pair that still has its copy (an edit, a delete), that pair answers for
    copy_gone: bool = False

    def lasts(self, key: tuple[str, str]) -> list[Any]:
        """Every value of a field pair the engine may remember as agreed (none: never agreed)."""
        last = self.values.get(key, _NEVER)
        return [] if last is _NEVER else [last, *self.earlier.get(key, ())]


def snapshot(world: World, remembered: Mapping[PairKey, Agreed] | None = None) -> dict[PairKey, Pair]:
    """Every stamped pair of every user, copied; plus each remembered pair, whatever is left of it."""
    pairs: dict[PairKey, Pair] = {}
    for user in world.users:
        crm, box = world.crm_of(user), world.outlook(user)
        for entry_id in box.entry_ids():
            item = box.peek(entry_id)
            crm_id = item.get(CRM_ID) if item else None
            if not crm_id or world.copies.get(entry_id) == crm_id:
                continue  # (not stamped, or a user's copy of a linked item: COPY-IGNORED)
            found = crm.find(crm_id)
            known = (remembered or {}).get((user.name, crm_id, entry_id))
            if found is None and known is None:
                continue  # stamped by a create whose record never came: not a pair yet
            entity = found[0] if found else known.entity  # type: ignore[union-attr]
            pairs[(user.name, crm_id, entry_id)] = _pair(world, user.name, entity, crm_id, entry_id)
    for key, known in (remembered or {}).items():
        if key not in pairs:
            pairs[key] = _pair(world, key[0], known.entity, key[1], key[2])
    return pairs


def _pair(world: World, user_name: str, entity: str, crm_id: str, entry_id: str) -> Pair:
    user = world.user(user_name)
    crm, box = world.crm_of(user), world.outlook(user)
    record, item = crm.peek(entity, crm_id), box.peek(entry_id)
    return Pair(
        user_name,
        entity,
        crm_id,
        entry_id,
        dict(record) if record else None,
        dict(item) if item else None,
        bool(item and item.get("crmLinkState") == TRACKED),
        {row["filename"]: row["body"] for row in crm.attachments(crm_id)} if record else {},
        box.files(entry_id) if item else {},
    )


@dataclass
class Checker:
    """Watches one world: call :meth:`before` and :meth:`after` around each cycle."""

    world: World
    agreed: dict[PairKey, Agreed] = field(default_factory=dict)
    pre: dict[PairKey, Pair] = field(default_factory=dict)
    #: (pair key, file name) of every attachment sync put on a side: those must match byte for byte
    synced_files: set[tuple[PairKey, str]] = field(default_factory=set)
    #: CRM records made by sync, and the CRM ids an Outlook item has carried at some check
    sync_made: set[str] = field(default_factory=set)
    carried: set[str] = field(default_factory=set)
    _seq: int = 0
    _early: int = 0
    #: per CRM store (by id): its change number when last read, and the records known by then
    _crm_seen: dict[int, int] = field(default_factory=dict)
    _crm_known: set[str] = field(default_factory=set)
    #: what the rule invariants remember from cycle to cycle
    rules: RuleWatch = field(default_factory=lambda: RuleWatch())

    def __post_init__(self) -> None:
        post = snapshot(self.world)
        self._remember(post)
        self._new_crm_records()
        self.carried |= {pair.crm_id for pair in post.values() if pair.outlook is not None}

    def before(self) -> None:
        self.pre = snapshot(self.world, self.agreed)
        self.rules.before(self.world, self.pre)
        self._seq = store_changes(self.world)
        self._early = self.world.network.early_writes
        self._new_crm_records()  # made by users since the last cycle

    def after(self, report: Report) -> list[Violation]:
        post = snapshot(self.world, self.agreed)
        silent = self._silent_losses(post, report) if reports_losses(self.world) else []
        found = silent + duplicates(self.world) + self._too_early()
        self.synced_files |= _written_files(self.pre, post)
        made = self._new_crm_records()
        self.sync_made |= made
        self.carried |= {pair.crm_id for pair in post.values() if pair.outlook is not None}
        found += self.rules.after(self.world, self.pre, post, made)
        self._remember(post, failed={user for cycle in report.cycles for user in cycle.failed})
        return found

    def _new_crm_records(self) -> set[str]:
        """The CRM records made since the stores were last read (a record changed since that was
        never seen before is new)."""
        made: set[str] = set()
        for crm in _crm_stores(self.world):
            since = self._crm_seen.get(id(crm), 0)
            made |= {crm_id for _, crm_id in crm.changed_since(since) if crm_id not in self._crm_known}
            self._crm_seen[id(crm)] = crm.changes.seq
        self._crm_known |= made
        return made

    def orphans(self) -> list[Violation]:
        """CRM records sync made that no Outlook item has carried, still in CRM."""
        found = []
        for crm in _crm_stores(self.world):
            for crm_id in sorted(self.sync_made - self.carried):
                located = crm.find(crm_id)
                if located is not None:
                    detail = (
                        f"CRM {located[0]} {crm_id} was made by sync, but no Outlook item has carried it: "
                        "a second record for an item that has one?"
                    )
                    found.append(Violation("no-duplicates", detail, (crm_id,)))
        return found

    def _too_early(self) -> list[Violation]:
        early = self.world.network.early_writes - self._early
        if not early:
            return []
        return [Violation("retry-after", f"{early} write(s) sent before a Retry-After had passed")]

    def quiet(self, report: Report) -> list[Violation]:
        """After a cycle with no edits before it: nothing written, both sides equal."""
        writes = store_changes(self.world) - self._seq
        found = (
            [] if writes == 0 else [Violation("idempotency", f"the cycle changed the stores {writes} times")]
        )
        return (
            found + convergence(self.world, self.synced_files) + self.orphans() + self.rules.quiet(self.world)
        )

    def _remember(self, post: Mapping[PairKey, Pair], failed: Collection[str] = ()) -> None:
        """Values both sides hold now become the agreed ones; a pair left apart (an interrupted
        cycle, an untracked item) keeps what it agreed on before. After a user's failed cycle,
        what the user's pairs agreed on before is kept as well (:attr:`Agreed.earlier`)."""
        record_files = {pair.crm_id: pair.crm_files for pair in self.pre.values() if pair.crm is not None}
        for key, pair in post.items():
            if pair.crm is None and pair.outlook is None:
                self.agreed.pop(key, None)  # both sides gone: nothing left to lose
                continue
            agreed = self.agreed.setdefault(key, Agreed(pair.entity))
            agreed.copy_gone = pair.outlook is None and pair.user not in failed  # failed: not dealt with
            before = self.pre.get(key)
            if not pair.whole:
                if pair.outlook is not None and before is not None and before.whole:
                    for field_pair in _field_pairs(self.world, pair):  # the record went after a copy
                        _, outlook_value = _values(field_pair, pair)
                        _copied_then_moved(agreed, field_pair, before, None, outlook_value, crm_gone=True)
                    agreed.files.update(_files_copied(before, pair, {}))
                continue
            unseen = pair.user in failed
            for field_pair in _field_pairs(self.world, pair):
                crm_value, outlook_value = _values(field_pair, pair)
                if crm_value == outlook_value:
                    _agree(agreed, field_pair.key, crm_value, unseen)
                else:
                    _copied_then_moved(agreed, field_pair, before, crm_value, outlook_value)
            alike = {n for n in pair.crm_files.keys() & pair.outlook_files.keys() if _same_file(pair, n)}
            either = pair.crm_files.keys() | pair.outlook_files.keys()
            kept = {n: h for n, h in agreed.files.items() if n in either and n not in alike}
            copied = _files_copied(before, pair, record_files.get(pair.crm_id, {}))
            agreed.files = kept | {n: _hash(pair.crm_files[n]) for n in alike} | copied

    def _silent_losses(self, post: Mapping[PairKey, Pair], report: Report) -> list[Violation]:
        """Each value lost without a report. A CRM record is shared by the pairs of several users:
        a loss on its side, reported through any of them, counts for all."""
        reported = {(loss.ids, loss.side, loss.field) for loss in report.losses}
        reported |= {
            ((loss.ids[0], None), loss.side, loss.field) for loss in report.losses if loss.side == CRM
        }
        found = []
        by_record: dict[str, list[Pair]] = {}
        for pair in self.pre.values():
            by_record.setdefault(pair.crm_id, []).append(pair)
        for key, after in post.items():
            before, agreed = self.pre.get(key), self.agreed.get(key)
            if before is None or agreed is None:
                continue  # made in this cycle: nothing was overwritten
            copies = tuple(p for p in by_record[after.crm_id] if p is not before)
            shared = tuple(a for copy in copies if (a := self.agreed.get(copy.key)) is not None)
            lost = list(_overwritten(self.world, agreed, before, after, copies, shared))
            if agreed.copy_gone and any(self._holds_copy(copy) for copy in copies):
                lost = [change for change in lost if change[0] != CRM]  # the copy holders answer
            found += [
                _silent(after, *change)
                for change in lost
                if (after.ids, *change[:2]) not in reported
                and ((after.crm_id, None), *change[:2]) not in reported
            ]
        return found

    def _holds_copy(self, pair: Pair) -> bool:
        """Whether a pair had its Outlook copy when its user's last cycle went through."""
        agreed = self.agreed.get(pair.key)
        return agreed is None or not agreed.copy_gone


def _let_go(pairs: Mapping[PairKey, Pair]) -> set[PairKey]:
    """Pairs whose Outlook copy is no longer sync's own: untracked (by the user, or by sync as a
    record deleted in CRM leaves it), or left without its record."""
    return {
        key for key, pair in pairs.items() if pair.outlook is not None and not (pair.tracked and pair.crm)
    }


def _copied_then_moved(
    agreed: Agreed,
    field_pair: FieldPair,
    before: Pair | None,
    crm_value: Any,
    outlook_value: Any,
    *,
    crm_gone: bool = False,
) -> None:
    """Sides that differ after a cycle in which sync copied one to the other and the source then
    moved on (another user's change reached the CRM record later in the same round of cycles, or
    deleted it): the value the copy took counts as agreed too, as if the round had stopped in
    between. A pair made in the cycle took its source's values; an existing one, the other side's
    value of before."""
    key = field_pair.key
    if before is None:
        if key not in agreed.values:
            agreed.values[key] = outlook_value
            agreed.earlier[key] = [crm_value]
        return
    if not before.whole:
        return
    before_crm, before_outlook = _values(field_pair, before)
    sides = [(outlook_value, before_outlook, before_crm)]
    sides += [] if crm_gone else [(crm_value, before_crm, before_outlook)]
    took = [new for new, old, source in sides if new != old and new == source]
    for value in took:
        if value not in agreed.lasts(key):
            agreed.earlier.setdefault(key, []).append(value)


def _files_copied(before: Pair | None, pair: Pair, record_before: Mapping[str, bytes]) -> dict[str, str]:
    """Files a side took from the other during the cycle, which then moved on (as
    :func:`_copied_then_moved` for values): by name, the hash of what was copied. A copy made in
    the cycle took its record's files as they were before it (``record_before``)."""
    if before is None:
        return {n: _hash(body) for n, body in pair.outlook_files.items() if record_before.get(n) == body}
    if not before.whole:
        return {}
    took: dict[str, str] = {}
    for now, was, source in (
        (pair.outlook_files, before.outlook_files, before.crm_files),
        (pair.crm_files, before.crm_files, before.outlook_files),
    ):
        took |= {n: _hash(body) for n, body in now.items() if was.get(n) != body and source.get(n) == body}
    return took


def _agree(agreed: Agreed, key: tuple[str, str], value: Any, unseen: bool) -> None:
    """Both sides of a pair hold ``value`` now; ``unseen``: the user's cycle failed, so the
    engine may still remember what was agreed on before."""
    if not unseen:
        agreed.earlier.pop(key, None)
    elif (last := agreed.values.get(key, _NEVER)) is not _NEVER and last != value:
        agreed.earlier.setdefault(key, []).append(last)
    agreed.values[key] = value


def reports_losses(world: World) -> bool:
    """Whether the world's engine reports its losses (a program outside the process cannot:
    its ``reports`` is False, and no-silent-loss does not apply to it)."""
    return bool(getattr(world.engine, "reports", True))


def _crm_stores(world: World) -> list[CrmStore]:
    """Each organization's CRM store once."""
    return list({id(world.crm_of(user)): world.crm_of(user) for user in world.users}.values())


def store_changes(world: World) -> int:
    """How many writes both stores of every user and organization have taken, all told."""
    return sum(crm.changes.seq for crm in _crm_stores(world)) + sum(
        world.outlook(user).changes.seq for user in world.users
    )


def _field_pairs(world: World, *snaps: Pair) -> list[FieldPair]:
    """The pairs as they sync for the snapshots' user: the organization's field directions, the
    user's field security, and a closed meeting's under the sync-logic page (nothing from
    Exchange: APPT-CLOSED-KEEPS-CRM), read from the world (never from the engine). In a fixed order
    (a set's would follow string hashes, which differ from process to process, and so would the
    order of what a check finds)."""
    user, entity = world.user(snaps[0].user), snaps[0].entity
    mode = world.effective_settings(user)["contact_address_sync"]
    directions = world.organization(user.organization).settings.field_directions
    access = world.field_access(user)

    def on(rule: str) -> bool:
        return rule not in world.disabled_rules

    items: list[Mapping[str, Any] | None] = [snap.outlook for snap in snaps if snap.outlook is not None]
    closed = any(mapping.closed_appointment(entity, snap.crm) for snap in snaps) and _sync_logic(
        world, user.name, R.APPT_CLOSED_KEEPS_CRM
    )
    found = set()
    for item in items or [None]:
        pairs = mapping.effective_pairs(entity, mapping.pairs_for(entity, mode, item), directions, access, on)
        found |= set(mapping.from_crm_only(pairs, R.APPT_CLOSED_KEEPS_CRM) if closed else pairs)
    return sorted(found, key=lambda pair: (pair.key, pair.direction, pair.rule or ""))


def _values(pair: FieldPair, snap: Pair) -> tuple[Any, Any]:
    """(CRM value, Outlook value in CRM's terms) of one field pair; None for a side that is gone."""
    crm = pair.crm_value(snap.crm) if snap.crm is not None else None
    outlook = pair.outlook_value(snap.outlook) if snap.outlook is not None else None
    return crm, outlook


def _overwritten(
    world: World,
    agreed: Agreed,
    before: Pair,
    after: Pair,
    copies: tuple[Pair, ...] = (),
    shared: tuple[Agreed, ...] = (),
) -> Iterator[tuple[str, str, Any, Any]]:
    """(side, field, old, new) of each value sync replaced, blanked or deleted that the other side
    never took.

    Replacing a side's value is a plain update only when that value is the one both sides agreed
    on and a user changed another copy of the record since: the other side, or, for a record
    several users hold (an assigned task), another user's Outlook copy (``copies``). The CRM
    record's value counts as agreed when any of its copies agreed on it (``shared``: what the
    other users' pairs agreed on).
    """
    for pair in _field_pairs(world, before, after):
        lasts = agreed.lasts(pair.key)
        known = (lasts + _agreed_elsewhere(shared, pair.crm), lasts)
        elsewhere = [_held_by(world, pair.crm, copy) for copy in copies if copy.outlook is not None]
        yield from _pair_losses(pair, before, after, known, elsewhere)
    shared_files = {name: digest for other in shared for name, digest in other.files.items()}
    yield from _files_lost(agreed.files, before, after, copies, shared_files)


#: a side sync deleted
_GONE = object()


def _pair_losses(
    pair: FieldPair, before: Pair, after: Pair, known: tuple[list[Any], list[Any]], elsewhere: list[Any]
) -> Iterator[tuple[str, str, Any, Any]]:
    """(side, field, old, new) of one field pair's values sync took; ``known``: the values agreed
    on, for the CRM side and for the Outlook side; ``elsewhere``: other users' copies' values."""
    was_crm, was_outlook = _values(pair, before)
    now_crm, now_outlook = _values(pair, after)
    gone_crm = now_crm if after.crm is not None else _GONE
    gone_outlook = now_outlook if after.outlook is not None else _GONE
    sides = (
        (CRM, pair.crm, before.crm, was_crm, gone_crm, known[0], [was_outlook, *elsewhere], now_outlook),
        (
            OUTLOOK,
            pair.outlook,
            before.outlook,
            was_outlook,
            gone_outlook,
            known[1],
            [was_crm, *elsewhere],
            now_crm,
        ),
    )
    for side, name, held, old, new, agreed_on, others, kept in sides:
        if held is not None and old is not None and _lost(old, new, agreed_on, others, kept):
            yield side, name, old, None if new is _GONE else new


def _lost(old: Any, new: Any, known: list[Any], others: list[Any], kept: Any) -> bool:
    """Whether sync took ``old`` from a side that nobody else had: the side deleted (``new`` is
    _GONE) with a value never agreed on that the other side does not hold (``kept``), or replaced
    by a value no other side or copy (``others``) had put there since the value was agreed."""
    if new is _GONE:
        return old not in known and old != kept
    return new != old and not any(
        old == last and any(v != last and v == new for v in others) for last in known
    )


def _agreed_elsewhere(shared: tuple[Agreed, ...], attribute: str) -> list[Any]:
    """The values other users' pairs agreed on for a CRM attribute (through their own pairs)."""
    return [
        value for other in shared for key in other.values if key[0] == attribute for value in other.lasts(key)
    ]


def _held_by(world: World, attribute: str, copy: Pair) -> Any:
    """What another user's copy holds for a CRM attribute, through that user's own pairs (their
    copy may map it elsewhere: Address 1 to Home where they chose Home as mailing address)."""
    for pair in _field_pairs(world, copy):
        if pair.crm == attribute:
            return _values(pair, copy)[1]
    return None


def _files_lost(
    agreed: Mapping[str, str],
    before: Pair,
    after: Pair,
    copies: tuple[Pair, ...] = (),
    shared: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str, Any, Any]]:
    """Attachments sync removed or replaced on a side although the other side's user had not
    removed or replaced them, or that went with a side sync deleted before they were ever copied.
    A replacement is an update when this side held the agreed bytes and the other side's user had
    put the new ones there. For a record several users hold, a removal from another user's copy,
    or bytes put there (``copies``), count as the other side's too, and a file the record agreed
    on with another user's copy (``shared``) counts as agreed on the CRM side."""
    removed_elsewhere = {
        name
        for copy in copies
        if copy.outlook is not None
        for name in before.crm_files.keys() - copy.outlook_files.keys()
    }
    b, a = before, after
    sides = (
        (OUTLOOK, b.outlook, a.outlook, b.outlook_files, a.outlook_files, b.crm_files, agreed),
        (CRM, b.crm, a.crm, b.crm_files, a.crm_files, b.outlook_files, {**(shared or {}), **agreed}),
    )
    for side, was, now, side_before, side_after, other_before, known in sides:
        if was is None:
            continue
        for name in sorted(side_before.keys() - side_after.keys()):
            if now is None:  # the side went whole: a file goes with it unless both sides had it alike
                if known.get(name) != _hash(side_before[name]):
                    yield side, f"Attachments[{name}]", name, None
            elif not (name in known and (name not in other_before or name in removed_elsewhere)):
                yield side, f"Attachments[{name}]", name, None
        yield from _files_replaced(side, side_before, side_after, other_before, known, copies)


def _files_replaced(
    side: str,
    side_before: Mapping[str, bytes],
    side_after: Mapping[str, bytes],
    other_before: Mapping[str, bytes],
    known: Mapping[str, str],
    copies: tuple[Pair, ...],
) -> Iterator[tuple[str, str, Any, Any]]:
    """Files sync replaced on a side with other bytes that were not an update: this side held
    the agreed bytes, and the other side's user (or another user's copy) put the new ones there."""
    for name in sorted(side_before.keys() & side_after.keys()):
        old_bytes, new_bytes = side_before[name], side_after[name]
        if old_bytes == new_bytes:
            continue
        put_there = [other_before.get(name), *(c.outlook_files.get(name) for c in copies if c.outlook)]
        if not (_hash(old_bytes) == known.get(name) and new_bytes in put_there):
            yield side, f"Attachments[{name}]", _described(old_bytes), _described(new_bytes)


def _same_file(pair: Pair, name: str) -> bool:
    return pair.crm_files[name] == pair.outlook_files[name]


def _described(body: bytes) -> str:
    return f"{len(body)} bytes, sha256 {_hash(body)[:12]}"


def _hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _written_files(pre: Mapping[PairKey, Pair], post: Mapping[PairKey, Pair]) -> set[tuple[PairKey, str]]:
    """(pair key, name) of each attachment a cycle put on a side (all of a pair made in it)."""
    written = set()
    for key, after in post.items():
        before = pre.get(key)
        if before is None:
            written |= {(key, name) for name in after.crm_files.keys() & after.outlook_files.keys()}
            continue
        for old, new in ((before.crm_files, after.crm_files), (before.outlook_files, after.outlook_files)):
            written |= {(key, name) for name, body in new.items() if old.get(name) != body}
    return written


def _silent(pair: Pair, side: str, field_name: str, old: Any, new: Any) -> Violation:
    return Violation(
        "no-silent-loss",
        f"{pair.user}'s {pair.entity} {pair.crm_id}/{pair.entry_id}: {side} {field_name} {old!r} -> {new!r} "
        "without a reported loss",
        pair.ids,
    )


def duplicates(world: World) -> list[Violation]:
    """No mailbox holds two items stamped with one CRM record's id."""
    found = []
    for user in world.users:
        box = world.outlook(user)
        stamped = Counter(  # (a user's copy that still carries its original's stamp is theirs)
            crm_id
            for entry_id in box.entry_ids()
            if (crm_id := (box.peek(entry_id) or {}).get(CRM_ID)) and world.copies.get(entry_id) != crm_id
        )
        found += [
            Violation(
                "no-duplicates", f"{count} items in {user.name}'s Outlook for CRM {crm_id}", (str(crm_id),)
            )
            for crm_id, count in stamped.items()
            if count > 1
        ]
    return found


def convergence(world: World, synced_files: set[tuple[PairKey, str]] | None = None) -> list[Violation]:
    """Every mapped field equal on both sides of every tracked pair; while attachment sync is on,
    files sync moved (all, if None) byte-identical."""
    found = []
    for key, pair in snapshot(world).items():
        if not (pair.whole and pair.tracked):
            continue
        for field_pair in _field_pairs(world, pair):
            crm_value, outlook_value = _values(field_pair, pair)
            if crm_value != outlook_value and field_pair.direction == "both":  # one-way may differ
                detail = (
                    f"{pair.user}'s {pair.entity} {pair.crm_id}: {field_pair.crm}={crm_value!r} but "
                    f"{field_pair.outlook}={outlook_value!r}"
                )
                found.append(Violation("convergence", detail, pair.ids))
        settings = world.effective_settings(world.user(pair.user))
        if not settings[SYNC_APPOINTMENT_ATTACHMENTS]:
            continue  # attachment sync off (or turned off since): files stay as each side has them
        found += _one_sided_files(pair, settings)
        for name in sorted(pair.crm_files.keys() & pair.outlook_files.keys()):
            moved = synced_files is None or (key, name) in synced_files
            if moved and pair.crm_files[name] != pair.outlook_files[name]:
                detail = (
                    f"{pair.user}'s {pair.entity} {pair.crm_id}: attachment {name} differs on the two sides"
                )
                found.append(Violation("convergence", detail, pair.ids))
    return found


def _one_sided_files(pair: Pair, settings: Mapping[str, Any]) -> list[Violation]:
    """Files of a plain appointment on one side only, though its size and extension let them sync
    (recurring series and service activities keep theirs: APPT-ATTACH-RECURRING, -SERVICE-ACTIVITY)."""
    if pair.entity != "appointment":
        return []
    limit = settings[ATTACHMENT_MAX_KB] * 1024
    blocked = settings[BLOCKED_EXTENSIONS].split(";")
    found = []
    for side, here, there in (
        (CRM, pair.crm_files, pair.outlook_files),
        (OUTLOOK, pair.outlook_files, pair.crm_files),
    ):
        for name in sorted(here.keys() - there.keys()):
            extension = name.rpartition(".")[2].lower() if "." in name else ""
            if len(here[name]) <= limit and extension not in blocked:
                detail = f"{pair.user}'s {pair.entity} {pair.crm_id}: attachment {name} only in {side}"
                found.append(Violation("convergence", detail, pair.ids))
    return found


# -- the invariants of one rule each -------------------------------------------------------------


@dataclass
class RuleWatch:
    """What the rule invariants remember from cycle to cycle; :class:`Checker` calls it around
    each cycle, and after a quiet one."""

    #: pairs whose Outlook copy sync made from the CRM record (FILTER-LEAVE removes only those);
    #: one untracked or left without its record is the user's from then on, tracked again or not
    crm_copies: set[PairKey] = field(default_factory=set)
    #: pairs whole and tracked around the last cycle (one it saw: a copy made by a create whose
    #: response was lost is not known to the engine until a cycle finds it); of them, those whose
    #: copy the user deleted in Outlook since (by entity), until the CRM record is gone
    tracked: set[PairKey] = field(default_factory=set)
    deleted_in_outlook: dict[PairKey, str] = field(default_factory=dict)
    #: tasks sent at the last check (their recipients); of them, those a cycle saw sent while the
    #: task rules let them pass to the assignee
    sent: dict[ItemKey, tuple[str, ...]] = field(default_factory=dict)
    passing: dict[ItemKey, tuple[str, ...]] = field(default_factory=dict)

    def before(self, world: World, pre: Mapping[PairKey, Pair]) -> None:
        """Note what users did since the last cycle: copies deleted, untracked, tasks sent."""
        gone = {key: p.entity for key in self.tracked if (p := pre.get(key)) and p.crm and p.outlook is None}
        self.deleted_in_outlook |= {
            key: entity for key, entity in gone.items() if _record_goes(world, pre[key])
        }
        self.crm_copies -= _let_go(pre)
        for key, recipients in sent_tasks(world).items():
            if recipients == self.sent.get(key):
                continue
            item = world.outlook(world.user(key[0])).peek(key[1])
            if item is not None and _assignee(world, key[0], item) is not None:
                self.passing[key] = recipients
            else:
                self.passing.pop(key, None)

    def after(
        self, world: World, pre: Mapping[PairKey, Pair], post: Mapping[PairKey, Pair], made: Collection[str]
    ) -> list[Violation]:
        """The cycle's writes against the rules; then what it leaves to remember (``made``: the
        CRM records sync made in it)."""
        found = against_directions(world, pre, post) + files_on_recurring(world, pre, post)
        self.crm_copies |= {
            key for key, pair in post.items() if key not in pre and pair.outlook and pair.crm_id not in made
        }
        self.crm_copies -= _let_go(post)
        self.tracked = {key for key, pair in post.items() if _whole_and_tracked(pair, pre.get(key))}
        self.sent = sent_tasks(world)
        self.deleted_in_outlook = {
            key: entity for key, entity in self.deleted_in_outlook.items() if (p := post.get(key)) and p.crm
        }
        return found

    def quiet(self, world: World) -> list[Violation]:
        """After a quiet cycle: what the rules should have done by now."""
        return (
            outside_filters(world, snapshot(world), self.crm_copies)
            + kept_after_outlook_deletes(world, self.deleted_in_outlook)
            + kept_from_assignees(world, self.passing)
        )


def _whole_and_tracked(*pairs: Pair | None) -> bool:
    return all(pair is not None and pair.whole and pair.tracked for pair in pairs)


def against_directions(
    world: World, pre: Mapping[PairKey, Pair], post: Mapping[PairKey, Pair]
) -> list[Violation]:
    """Values a cycle wrote to a side their field pair does not flow to, as the organization's
    directions and the user's field security leave it (field-direction). A CRM record several
    users hold may take a value through any holder's pair that flows to CRM."""
    into_crm: dict[str, set[str]] = {}
    for pair in pre.values():
        if pair.whole:
            flowing = {p.crm for p in _field_pairs(world, pair) if p.flows_from(OUTLOOK)}
            into_crm.setdefault(pair.crm_id, set()).update(flowing)
    found = []
    for key, after in post.items():
        before = pre.get(key)
        if before is None or not (before.whole and after.whole):
            continue
        for field_pair in _field_pairs(world, before, after):
            was_crm, was_outlook = _values(field_pair, before)
            now_crm, now_outlook = _values(field_pair, after)
            if was_outlook != now_outlook and not field_pair.flows_from(CRM):
                found.append(_wrong_way(after, field_pair, OUTLOOK, was_outlook, now_outlook))
            if was_crm != now_crm and field_pair.crm not in into_crm.get(after.crm_id, ()):
                found.append(_wrong_way(after, field_pair, CRM, was_crm, now_crm))
    return found


def _wrong_way(pair: Pair, field_pair: FieldPair, side: str, old: Any, new: Any) -> Violation:
    name = field_pair.crm if side == CRM else field_pair.outlook
    rule = field_pair.rule or "the field table"
    detail = (
        f"{pair.user}'s {pair.entity} {pair.crm_id}: the cycle wrote {side} {name} {old!r} -> {new!r}, "
        f"but {field_pair.crm} syncs {field_pair.direction} for {pair.user} ({rule})"
    )
    return Violation("field-direction", detail, pair.ids)


#: the entities whose files never sync, with the rule that says so
_NO_FILES = {
    "recurringappointmentmaster": R.APPT_ATTACH_RECURRING,
    "serviceappointment": R.APPT_ATTACH_SERVICE_ACTIVITY,
}


def files_on_recurring(
    world: World, pre: Mapping[PairKey, Pair], post: Mapping[PairKey, Pair]
) -> list[Violation]:
    """Files a cycle put on a side of a recurring series (in CRM, or made recurring in Outlook)
    or of a service activity (recurring-files)."""
    found = []
    for key, name in sorted(_written_files(pre, post)):
        pair, before = post[key], pre.get(key)
        recurring = any(p is not None and p.outlook and p.outlook.get("IsRecurring") for p in (pair, before))
        rule = _NO_FILES.get(pair.entity) or (R.APPT_ATTACH_RECURRING if recurring else None)
        if rule is not None and rule not in world.disabled_rules:
            detail = (
                f"{pair.user}'s {pair.entity} {pair.crm_id}: the cycle put attachment {name} on a side, "
                f"but {rule}: {R.RULES[rule].statement}"
            )
            found.append(Violation("recurring-files", detail, pair.ids))
    return found


def outside_filters(
    world: World, now: Mapping[PairKey, Pair], copies: Collection[PairKey]
) -> list[Violation]:
    """Copies sync made of CRM records still tracked in Outlook though the record passes none
    of the user's filters (filter-leave); the assigner's copy of a task sent on stays."""
    if R.FILTER_LEAVE in world.disabled_rules:
        return []
    found = []
    for key in sorted(set(copies) & now.keys()):
        pair = now[key]
        if not (pair.whole and pair.tracked) or pair.outlook.get("Ownership") == "delegated":  # type: ignore[union-attr]
            continue
        user = world.user(pair.user)
        held = world.filters(user, pair.entity)
        if any(f.matches(pair.crm, user.systemuserid) for f in held):  # type: ignore[arg-type]
            continue
        names = ", ".join(f.name for f in held) or "no filter at all"
        detail = (
            f"{pair.user}'s {pair.entity} {pair.crm_id}: the copy sync made is still in Outlook, but the "
            f"record passes none of {pair.user}'s filters ({names}); {R.FILTER_LEAVE}: "
            f"{R.RULES[R.FILTER_LEAVE].statement}"
        )
        found.append(Violation("filter-leave", detail, pair.ids))
    return found


def _sync_logic(world: World, user_name: str, rule: str) -> bool:
    """Whether a user's Outlook deletes follow the sync-logic page (a server-side user of a d365
    organization, the rule on), as the engine's ``Deletes._sync_logic`` decides."""
    user = world.user(user_name)
    profile = world.effective_settings(user).get("profile")
    return user.channel == R.SERVER_SIDE and profile == R.D365 and rule not in world.disabled_rules


def _record_goes(world: World, pair: Pair) -> bool:
    """Whether a tracked item the user just deleted in Outlook takes its record with it, told
    from the record as the delete found it: under the sync-logic page, a contact the user owns
    (N36), and an appointment the user organizes (none named: the owner) that is open and ends a
    day or more after now (a nearer end may pass before a failed cycle's retry: not judged);
    else the delete page's rules (a contact stays)."""
    user, record = world.user(pair.user), pair.crm or {}
    kind = schema.entity(pair.entity).outlook_kind
    if kind == "contact":
        return _sync_logic(world, pair.user, R.DELETE_CONTACT_IN_EXCHANGE_OWNER) and (
            record.get("ownerid") == user.systemuserid
        )
    if kind != "appointment" or not _sync_logic(world, pair.user, R.DELETE_APPT_IN_EXCHANGE_OPEN):
        return True
    organizer = str(record.get("organizer") or "").lower()
    organizes = (
        organizer in (user.email.lower(), user.name.lower())
        if organizer
        else (record.get("ownerid") == user.systemuserid)
    )
    end = record.get("scheduledend")
    later = end is None or end > world.clock.now() + timedelta(days=1)
    return organizes and record.get("statecode") not in (1, 2) and later


def kept_after_outlook_deletes(world: World, deleted: Mapping[PairKey, str]) -> list[Violation]:
    """Appointments and tasks a user deleted in Outlook while tracked, still in CRM once sync
    settled (outlook-delete); under the sync-logic page (a d365 organization's server-side user)
    only those whose records :func:`_record_goes` says go, owned contacts included. A contact
    stays under the delete page (DELETE-CONTACT-IN-OUTLOOK), and so does a service activity
    (SERVICE-ONE-WAY)."""
    found = []
    for (user_name, crm_id, entry_id), entity in sorted(deleted.items()):
        kind = schema.entity(entity).outlook_kind
        rule = R.DELETE_IN_OUTLOOK[kind]
        if _sync_logic(world, user_name, R.DELETE_IN_EXCHANGE_SL.get(kind, "")):
            rule = R.DELETE_IN_EXCHANGE_SL[kind]
        elif kind == "contact" or rule in world.disabled_rules:
            continue
        one_way = entity in mapping.CRM_TO_OUTLOOK_ONLY and R.SERVICE_ONE_WAY not in world.disabled_rules
        if one_way:
            continue
        if world.crm_of(world.user(user_name)).peek(entity, crm_id) is not None:
            detail = (
                f"{user_name}'s {entity} {crm_id}: deleted in {user_name}'s Outlook while tracked, still in "
                f"CRM after sync settled; {rule}: {R.RULES[rule].statement}"
            )
            found.append(Violation("outlook-delete", detail, (crm_id, entry_id)))
    return found


def sent_tasks(world: World) -> dict[ItemKey, tuple[str, ...]]:
    """Every tracked task in a mailbox that its user sent to someone, with its recipients."""
    sent = {}
    for user in world.users:
        box = world.outlook(user)
        for entry_id in box.entry_ids():
            item = box.peek(entry_id)
            if item and item.get("Ownership") == "delegated" and item.get("crmLinkState") == TRACKED:
                sent[(user.name, entry_id)] = tuple(item.get("Recipients") or ())
    return sent


def kept_from_assignees(world: World, sent: Mapping[ItemKey, tuple[str, ...]]) -> list[Violation]:
    """Tracked tasks sent to one user of the organization (the address matched whatever its
    case) that, once sync settled, have no CRM task (TASK-ASSIGNED-ON) or one that is not that
    user's (TASK-OWNER-ON-SEND) (task-assignee). ``sent``: the tasks a cycle saw sent while the
    task rules let them pass, with their recipients."""
    found = []
    for (user_name, entry_id), recipients in sorted(sent.items()):
        user = world.user(user_name)
        item = world.outlook(user).peek(entry_id)
        if item is None or item.get("crmLinkState") != TRACKED or item.get("Ownership") != "delegated":
            continue
        assignee = _assignee(world, user_name, item)
        if assignee is None or tuple(item.get("Recipients") or ()) != recipients:
            continue
        crm_id = item.get(CRM_ID)
        record = world.crm_of(user).peek("task", crm_id) if crm_id else None
        if crm_id and record is None:
            continue  # its record deleted in CRM: the delete rules decide
        rule = R.TASK_ASSIGNED_ON if record is None else R.TASK_OWNER_ON_SEND
        if record is None or record.get("ownerid") != assignee.systemuserid:
            what = "no CRM task" if record is None else f"a CRM task that is not {assignee.name}'s"
            detail = (
                f"{user_name}'s task {crm_id or entry_id}: sent to {recipients[0]} ({assignee.name}), but "
                f"{what} after sync settled; {rule}: {R.RULES[rule].statement}"
            )
            found.append(Violation("task-assignee", detail, tuple(i for i in (crm_id, entry_id) if i)))
    return found


def _assignee(world: World, user_name: str, item: Mapping[str, Any]) -> Any:
    """The user a tracked task sent from ``user_name``'s Outlook belongs to in CRM as the task
    rules stand now, or None when another rule keeps it (a recurring task, several addresses,
    outside the organization, the option off, server-side sync, a rule switched off)."""
    user, recipients = world.user(user_name), tuple(item.get("Recipients") or ())
    if item.get("MessageClass") != "IPM.Task" or len(recipients) != 1 or item.get("IsRecurring"):
        return None
    if any(rule in world.disabled_rules for rule in _ASSIGNEE_RULES):
        return None
    if user.channel not in R.RULES[R.TASK_OWNER_ON_SEND].channels:
        return None
    if not world.effective_settings(user)[SYNC_ASSIGNED_TASKS]:
        return None
    assignee = world.user_by_email(recipients[0])
    return assignee if assignee is not None and assignee.organization == user.organization else None


#: the rules :func:`kept_from_assignees` restates the outcome of, all switched on
_ASSIGNEE_RULES = (
    R.TASK_OWNER_ON_SEND,
    R.TASK_ASSIGNED_ON,
    R.TASK_ONE_ADDRESS,
    R.TASK_SAME_ORG,
    R.TASK_RECURRING,
    R.TASK_OUTLOOK_ONLY,
)
