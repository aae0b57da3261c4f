"""The invariants every engine run must keep, checked from the outside, after every cycle.

The checker does not trust the engine's bookkeeping: it snapshots both stores around each cycle
and decides from the values alone.

* **no silent loss**: when sync overwrote or blanked a value on one side, either the other side's
  user had changed it since the sides last agreed (a normal update), or the report has a loss for
  that field;
* **no duplicates**: one link per item in each direction, one Outlook item per CRM record;
* after a **quiet** cycle (no edits since the last one): **idempotency** (nothing written) and
  **convergence** (every mapped field equal on both sides, attachment bytes identical where the
  same file is on both sides).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from harness import mapping
from harness.mapping import blank
from harness.report import Report
from harness.stores.outlook import CRM_ID
from harness.world import World

INVARIANTS = ("no-silent-loss", "no-duplicates", "idempotency", "convergence")


@dataclass(frozen=True)
class Violation:
    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


@dataclass(frozen=True)
class Pair:
    """A linked pair as it stood at one moment."""

    user: str
    entity: str
    crm_id: str
    entry_id: str
    crm: dict[str, Any]
    outlook: dict[str, Any]
    crm_files: dict[str, bytes] = field(default_factory=dict)
    outlook_files: dict[str, bytes] = field(default_factory=dict)


def snapshot(world: World) -> dict[tuple[str, str, str], Pair]:
    """Every linked pair of every user, copied."""
    pairs = {}
    for user in world.users:
        crm, box = world.crm_of(user), world.outlook(user)
        for link in world.sync_state(user).by_crm.values():
            record, item = crm.peek(link.entity, link.crm_id), box.peek(link.entry_id)
            if record is None or item is None:
                continue
            crm_files = {row["filename"]: row["body"] for row in crm.attachments(link.crm_id)}
            key = (user.name, link.crm_id, link.entry_id)
            pairs[key] = Pair(
                user.name,
                link.entity,
                link.crm_id,
                link.entry_id,
                dict(record),
                dict(item),
                crm_files,
                box.files(link.entry_id),
            )
    return pairs


@dataclass
class Agreed:
    """What the two sides of a pair last agreed on: per field pair, and the attachments on both."""

    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    files: frozenset[str] = frozenset()


@dataclass
class Checker:
    """Watches one world: call :meth:`before` and :meth:`after` around each cycle."""

    world: World
    agreed: dict[tuple[str, str, str], Agreed] = field(default_factory=dict)
    pre: dict[tuple[str, str, str], Pair] = field(default_factory=dict)
    #: (pair key, file name) of every attachment sync put on a side: those must match byte for byte
    synced_files: set[tuple[tuple[str, str, str], str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._remember(snapshot(self.world))

    def before(self) -> None:
        self.pre = snapshot(self.world)

    def after(self, report: Report) -> list[Violation]:
        post = snapshot(self.world)
        found = self._silent_losses(post, report) + duplicates(self.world)
        self.synced_files |= _written_files(self.pre, post)
        self._remember(post)
        return found

    def quiet(self, report: Report) -> list[Violation]:
        """After a cycle with no edits before it: nothing written, both sides equal."""
        found = [] if report.writes == 0 else [Violation("idempotency", f"{report.writes} writes")]
        return found + convergence(self.world, self.synced_files)

    def _remember(self, post: dict[tuple[str, str, str], Pair]) -> None:
        """Values both sides hold now become the agreed ones; a pair left apart (an interrupted
        cycle) keeps what it agreed on before."""
        for key, pair in post.items():
            agreed = self.agreed.setdefault(key, Agreed())
            user = self.world.user(pair.user)
            for field_pair in _pairs(self.world, user, pair.entity, pair.outlook):
                crm_value, outlook_value = _values(field_pair, pair)
                if crm_value == outlook_value:
                    agreed.values[field_pair.key] = crm_value
            both = pair.crm_files.keys() & pair.outlook_files.keys()
            either = pair.crm_files.keys() | pair.outlook_files.keys()
            agreed.files = frozenset(both | (agreed.files & either))

    def _silent_losses(self, post: dict, report: Report) -> list[Violation]:
        reported = {(loss.ids, loss.field) for loss in report.losses}
        found = []
        for key, after in post.items():
            before, agreed = self.pre.get(key), self.agreed.get(key)
            if before is None or agreed is None:
                continue  # made or linked in this cycle: nothing was overwritten
            user = self.world.user(after.user)
            lost = [
                change
                for pair in _pairs(self.world, user, after.entity, before.outlook, after.outlook)
                for change in _overwritten(pair, agreed.values.get(pair.key, _NEVER), before, after)
            ] + list(_files_removed(agreed.files, before, after))
            found += [
                _silent(after, *change)
                for change in lost
                if ((after.crm_id, after.entry_id), change[0]) not in reported
            ]
        return found


_NEVER = object()


def _written_files(pre: dict, post: dict) -> set[tuple[tuple[str, str, str], str]]:
    """(pair key, name) of each attachment a cycle put on a side (all of a pair linked in it)."""
    written = set()
    for key, after in post.items():
        before = pre.get(key)
        if before is None:
            written |= {(key, name) for name in after.crm_files.keys() & after.outlook_files.keys()}
            continue
        for old, new in ((before.crm_files, after.crm_files), (before.outlook_files, after.outlook_files)):
            written |= {(key, name) for name, body in new.items() if old.get(name) != body}
    return written


def _pairs(world: World, user, entity: str, *items: dict[str, Any]) -> set[mapping.FieldPair]:
    mode = world.effective_settings(user)["contact_address_sync"]
    return {pair for item in items for pair in mapping.pairs_for(entity, mode, item)}


def _values(pair: mapping.FieldPair, snap: Pair) -> tuple[Any, Any]:
    """(CRM value, Outlook value in CRM's terms) of one field pair."""
    outlook = blank(pair.to_crm(blank(mapping.read(snap.outlook, pair.outlook))))
    return blank(snap.crm.get(pair.crm)), outlook


def _overwritten(pair: mapping.FieldPair, agreed: Any, before: Pair, after: Pair):
    """(field, old, new) for each side where sync replaced a value the other side never took.

    Replacing a side's value is a plain update only when that value is the one both sides
    agreed on and the other side's user has changed it since.
    """
    before_crm, before_outlook = _values(pair, before)
    after_crm, after_outlook = _values(pair, after)
    sides = (
        (pair.crm, before_crm, after_crm, before_outlook),
        (pair.outlook, before_outlook, after_outlook, before_crm),
    )
    for name, old, new, other_now in sides:
        if old is None or new == old:
            continue
        if not (old == agreed and other_now != agreed):
            yield name, old, new


def _files_removed(agreed: frozenset[str], before: Pair, after: Pair):
    """Attachments sync removed from a side although the other side's user had not removed them,
    or replaced with other bytes."""
    for side_before, side_after, other_before in (
        (before.outlook_files, after.outlook_files, before.crm_files),
        (before.crm_files, after.crm_files, before.outlook_files),
    ):
        for name in sorted(side_before.keys() - side_after.keys()):
            if not (name in agreed and name not in other_before):
                yield f"Attachments[{name}]", name, None
        for name in sorted(side_before.keys() & side_after.keys()):
            if side_before[name] != side_after[name]:
                yield (
                    f"Attachments[{name}]",
                    f"{len(side_before[name])} bytes",
                    f"{len(side_after[name])} bytes",
                )


def _silent(pair: Pair, field_name: str, old: Any, new: Any) -> Violation:
    return Violation(
        "no-silent-loss",
        f"{pair.user}'s {pair.entity} {pair.crm_id}/{pair.entry_id}: {field_name} {old!r} -> {new!r} "
        "without a reported loss",
    )


def duplicates(world: World) -> list[Violation]:
    found = []
    for user in world.users:
        state = world.sync_state(user)
        if sorted(link.entry_id for link in state.by_crm.values()) != sorted(state.by_entry):
            found.append(Violation("no-duplicates", f"{user.name}'s links are not one to one"))
        box = world.outlook(user)
        stamped = Counter(
            item.get(CRM_ID) for kind in mapping.OUTLOOK_KINDS for item in box.find(kind) if item.get(CRM_ID)
        )
        for crm_id, count in stamped.items():
            if count > 1:
                found.append(
                    Violation("no-duplicates", f"{count} items in {user.name}'s Outlook for CRM {crm_id}")
                )
    return found


def convergence(world: World, synced_files: set | None = None) -> list[Violation]:
    """Every mapped field equal on both sides; attachments sync moved (all, if None) byte-identical."""
    found = []
    for key, pair in snapshot(world).items():
        user = world.user(pair.user)
        for field_pair in _pairs(world, user, pair.entity, pair.outlook):
            crm_value, outlook_value = _values(field_pair, pair)
            if crm_value != outlook_value:
                found.append(
                    Violation(
                        "convergence",
                        f"{pair.user}'s {pair.entity} {pair.crm_id}: {field_pair.crm}={crm_value!r} but "
                        f"{field_pair.outlook}={outlook_value!r}",
                    )
                )
        for name in sorted(pair.crm_files.keys() & pair.outlook_files.keys()):
            moved = synced_files is None or (key, name) in synced_files
            if moved and pair.crm_files[name] != pair.outlook_files[name]:
                found.append(Violation("convergence", f"attachment {name} differs on the two sides"))
    return found
